from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "observatoire.exchange"
    label = "exchange"
    verbose_name = "Plateforme d'échange"

    def ready(self) -> None:
        from observatoire.exchange import signals  # noqa: F401  (files leave with their rows)
