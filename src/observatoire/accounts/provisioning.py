"""Creating accounts with their organisation, role and scope (command line, invitations,
demo), with the same checks everywhere: known role, existing territories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from observatoire import figures
from observatoire.accounts.models import Organisation, Profile, Role
from observatoire.territories import Level, Territory, TerritoryError

KIND_OF_LEVEL = {
    Level.DEP: "departement",
    Level.REG: "region",
    Level.EPCI: "epci",
    Level.COM: "commune",
}


class ProvisioningError(ValueError):
    """A French message naming the value refused."""


@dataclass
class Created:
    user: Any
    organisation: Organisation
    role_label: str
    territories: list[str]
    created: bool


def check_territories(raw: list[str]) -> list[Territory]:

    ref = figures.referential()
    out: list[Territory] = []
    for r in raw:
        try:
            t = Territory.parse(r.strip())
        except TerritoryError as exc:
            raise ProvisioningError(f"Territoire « {r} » : {exc}") from None
        if not ref.exists(t):
            raise ProvisioningError(
                f"Territoire « {t.id} » inconnu du référentiel (forme attendue : COM:62498, "
                "EPCI:246200364, DEP:62...)."
            )
        if t not in out:
            out.append(t)
    return out


def check_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ProvisioningError(f"Adresse électronique « {email} » invalide.") from None
    return email


def organisation(name: str, kind: str | None, scope: list[Territory]) -> Organisation:
    """The organisation of that name, created with a kind (given, or guessed from its
    first territory) when missing."""
    name = name.strip()
    if not name:
        raise ProvisioningError("Nom d'organisation vide.")
    found = Organisation.objects.filter(name=name).first()
    if found is not None:
        return found
    if kind is None:
        kind = (KIND_OF_LEVEL.get(scope[0].level) if scope else None) or "autre"
    own = scope[0] if len(scope) == 1 else None
    return Organisation.objects.create(name=name, kind=kind, territory=own)


@transaction.atomic
def create_user(
    email: str,
    organisation_name: str,
    role: str,
    territories: list[str],
    kind: str | None = None,
    password: str | None = None,
) -> Created:
    """Create the account (username = e-mail) or update the role and scope of an
    existing one. Without a password the account can only use tokens, or set one by
    password reset."""
    if role not in Role.values:
        raise ProvisioningError(
            f"Rôle « {role} » inconnu : admin, animateur, contributeur ou lecteur."
        )
    email = check_email(email)
    scope = check_territories(territories)
    if role != Role.ADMIN and not scope:
        raise ProvisioningError(
            f"Le rôle « {role} » demande au moins un territoire (--territory EPCI:246200364)."
        )
    org = organisation(organisation_name, kind, scope)
    users = get_user_model()
    user = users.objects.filter(username=email).first()
    created = user is None
    if user is None:
        user = users.objects.create_user(username=email, email=email, password=password)
    elif password is not None:
        user.set_password(password)
    if role == Role.ADMIN:
        # The observatoire's administrators also run the Django admin (users, organisations).
        user.is_staff = user.is_superuser = True
    user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={"organisation": org, "role": role, "territories": scope},
    )
    return Created(user, org, Role(role).label, [t.id for t in scope], created)
