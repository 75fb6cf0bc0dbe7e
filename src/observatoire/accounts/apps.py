from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "observatoire.accounts"
    label = "accounts"
    verbose_name = "Comptes et organisations"
