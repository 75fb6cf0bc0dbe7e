from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "observatoire.publications"
    label = "publications"
    verbose_name = "Publications"
