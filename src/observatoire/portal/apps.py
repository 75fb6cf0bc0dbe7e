from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "observatoire.portal"
    label = "portal"
    verbose_name = "Portail"
    default_auto_field = "django.db.models.BigAutoField"
