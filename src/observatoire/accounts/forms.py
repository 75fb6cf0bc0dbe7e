"""Forms of the accounts pages, drawn with the DSFR field markup (django-dsfr)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from dsfr.forms import DsfrBaseForm

from observatoire.accounts import provisioning
from observatoire.accounts.models import Organisation, Role
from observatoire.accounts.permissions import in_scope, role_of
from observatoire.territories import Territory


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


def _split(raw: str) -> list[str]:
    return [p for p in raw.replace(",", " ").replace(";", " ").split() if p]


class InvitationForm(DsfrBaseForm):
    """Who to invite, into which organisation, with which role and scope. An animateur
    may only invite contributeurs and lecteurs, within their own territories."""

    email = forms.EmailField(label="Adresse électronique de la personne invitée")
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        required=False,
        empty_label="— nouvelle organisation (ci-dessous) —",
        error_messages={
            "invalid_choice": (
                "Organisation n° %(value)s hors de votre périmètre ou inconnue : vous ne "
                "pouvez inviter que dans une organisation de vos territoires."
            )
        },
    )
    new_organisation = forms.CharField(
        label="Nouvelle organisation : nom", max_length=200, required=False
    )
    kind = forms.ChoiceField(label="Nouvelle organisation : type", choices=(), required=False)
    role = forms.ChoiceField(label="Rôle", choices=())
    territories = forms.CharField(
        label="Territoires",
        help_text=(
            "Identifiants séparés par des espaces ou des virgules : EPCI:246200364, COM:62498, "
            "DEP:62... Le compte ne verra les données restreintes que sur ces territoires."
        ),
        required=False,
    )

    def __init__(self, *args: Any, inviter: Any = None, **kwargs: Any) -> None:
        self.inviter = inviter
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = invitable_organisations(inviter)
        self.fields["kind"].choices = Organisation.Kind.choices
        allowed = Role.choices
        if role_of(inviter) != "admin":
            allowed = [(v, label) for v, label in Role.choices if v in INVITABLE_BY_ANIMATEUR]
        self.fields["role"].choices = allowed

    def clean_email(self) -> str:
        from django.contrib.auth import get_user_model

        email = str(self.cleaned_data["email"]).strip().lower()
        if get_user_model().objects.filter(username=email).exists():
            raise forms.ValidationError(
                "Un compte existe déjà pour cette adresse : modifiez ses droits dans "
                "l'administration, ou invitez une autre adresse."
            )
        return email

    def clean_territories(self) -> list[Territory]:
        raw = _split(str(self.cleaned_data.get("territories", "")))
        try:
            found = provisioning.check_territories(raw)
        except provisioning.ProvisioningError as exc:
            raise forms.ValidationError(str(exc)) from None
        if role_of(self.inviter) != "admin":
            outside = [t.id for t in found if not in_scope(self.inviter, t)]
            if outside:
                raise forms.ValidationError(
                    "Hors de votre périmètre : " + ", ".join(outside) + ". Vous ne pouvez "
                    "inviter que sur vos propres territoires."
                )
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new_name = str(data.get("new_organisation", "")).strip()
        if not data.get("organisation") and not new_name and "organisation" not in self.errors:
            self.add_error(
                "organisation", "Choisissez une organisation ou indiquez le nom d'une nouvelle."
            )
        elif not data.get("organisation") and new_name:
            # provisioning.organisation reuses an existing name: the same bound applies.
            same = Organisation.objects.filter(name=new_name).first()
            allowed = self.fields["organisation"].queryset
            if same is not None and not allowed.filter(pk=same.pk).exists():
                self.add_error(
                    "new_organisation",
                    f"L'organisation « {new_name} » existe déjà et n'est pas de votre "
                    "périmètre : vous ne pouvez pas y inviter.",
                )
        needs_scope = data.get("role") and data.get("role") != "admin"
        if needs_scope and not data.get("territories") and "territories" not in self.errors:
            self.add_error("territories", "Indiquez au moins un territoire pour ce rôle.")
        return data


INVITABLE_BY_ANIMATEUR = ("contributeur", "lecteur")


def invitable_organisations(inviter: Any) -> Any:
    """Admins: every organisation. Others: those whose own territory lies in their scope;
    an organisation without territory is the admins' to invite into (deny by default)."""
    everything = Organisation.objects.all()
    if role_of(inviter) == "admin":
        return everything
    mine = [o.pk for o in everything if o.territory is not None and in_scope(inviter, o.territory)]
    return everything.filter(pk__in=mine)


class AcceptInvitationForm(DsfrBaseForm):
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères ; évitez un mot de passe courant ou proche de votre adresse.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif p1:
            probe = get_user_model()(username=self.email, email=self.email)
            try:
                validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
