from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "observatoire.exchange"
    label = "exchange"
    verbose_name = "Plateforme d'échange"
