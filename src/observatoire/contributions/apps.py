from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "observatoire.contributions"
    label = "contributions"
    verbose_name = "Contributions des partenaires"
