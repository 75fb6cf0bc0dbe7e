"""Users of every role and scope, created in each test's transaction."""

from __future__ import annotations

from typing import Any

import pytest

from observatoire.settings import Settings

# role name in the matrix -> (role code, organisation, organisation kind, scope)
ROLES: dict[str, tuple[str, str, str, list[str]] | None] = {
    "anonyme": None,
    "admin": ("admin", "Observatoire départemental de l'habitat", "departement", []),
    "animateur": ("animateur", "Département du Pas-de-Calais", "departement", ["DEP:62"]),
    "contributeur_lens": ("contributeur", "CA de Lens-Liévin", "epci", ["EPCI:246200364"]),
    "lecteur_lens": ("lecteur", "CA de Lens-Liévin", "epci", ["EPCI:246200364"]),
    "lecteur_arras": ("lecteur", "CU d'Arras", "epci", ["EPCI:200033579"]),
}


@pytest.fixture
def matrix_users(web: Settings) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Organisation, Profile

    users: dict[str, Any] = {"anonyme": None}
    for name, spec in ROLES.items():
        if spec is None:
            continue
        role, org_name, kind, scope = spec
        org, _ = Organisation.objects.get_or_create(name=org_name, defaults={"kind": kind})
        user, _ = get_user_model().objects.get_or_create(
            username=f"matrice-{name}", defaults={"email": f"{name}@matrice.test"}
        )
        Profile.objects.update_or_create(
            user=user, defaults={"organisation": org, "role": role, "territories": scope}
        )
        users[name] = user
    return users
