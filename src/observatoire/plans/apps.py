from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "observatoire.plans"
    label = "plans"
    verbose_name = "Suivi des plans"
