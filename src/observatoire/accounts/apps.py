from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "observatoire.accounts"
    label = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self) -> None:
        from django.core import checks

        from observatoire.accounts import signals  # noqa: F401  (audit receivers)
        from observatoire.accounts.deploy import production_checks

        checks.register(production_checks, checks.Tags.security, deploy=True)
