from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "observatoire.accounts"
    label = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self) -> None:
        from observatoire.accounts import signals  # noqa: F401  (audit receivers)
