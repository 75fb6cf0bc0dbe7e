"""Forms of the accounts pages, drawn with the DSFR field markup (django-dsfr)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from dsfr.forms import DsfrBaseForm


class LoginForm(AuthenticationForm, DsfrBaseForm):
    """Sign-in with the e-mail address (the username of every account created by an
    invitation or by `observatoire user create`)."""

    error_messages = {  # noqa: RUF012 (Django's own class attribute)
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Après plusieurs échecs, la "
            "connexion est bloquée pendant une heure."
        ),
        "inactive": "Ce compte est désactivé : contactez l'administrateur de l'observatoire.",
    }

    # Declared here, not relabelled in __init__: DsfrBaseForm builds the bound fields first.
    username = UsernameField(
        label="Adresse électronique",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username", "")).strip().lower()


class TokenForm(DsfrBaseForm):
    label = forms.CharField(
        label="Libellé du jeton",
        max_length=100,
        required=False,
        help_text="Par exemple le nom du script ou de l'outil qui l'utilisera.",
    )
