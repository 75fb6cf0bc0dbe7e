"""Accounts pages: sign-in, sign-out, own page and tokens, password reset and change,
invitations (admin and animateur only)."""

from __future__ import annotations

from typing import Any

from tests.matrix.cases import EVERYONE, SIGNED_IN, Case, expect


def _invitation(organisation: str, territories: str) -> Any:
    """A complete invitation into `organisation` (issue #11: the matrix animateur's scope
    is the Pas-de-Calais): only the admins invite outside the inviter's scope."""

    def data() -> dict[str, Any]:
        from observatoire.accounts.models import Organisation

        org = Organisation.objects.get(name=organisation)
        return {
            "email": "matrice-invitation@exemple.fr",
            "organisation": org.pk,
            "role": "contributeur",
            "territories": territories,
        }

    return data


CASES = [
    # A signed-in user asking for the sign-in page is sent on to the portal.
    Case("accounts:login", "/compte/connexion/", expect(("anonyme",), denied=302)),
    Case("accounts:logout", "/compte/deconnexion/", expect(EVERYONE), method="POST"),
    Case("accounts:profile", "/compte/", expect(SIGNED_IN, anonymous=302)),
    Case(
        "accounts:token_create",
        "/compte/jetons/",
        expect(SIGNED_IN, ok=302, anonymous=302),
        method="POST",
        data={"label": "matrice"},
    ),
    # Somebody else's (or no) token: not found, never revoked.
    Case(
        "accounts:token_revoke",
        "/compte/jetons/999999999/revoquer/",
        expect(SIGNED_IN, ok=404, anonymous=302),
        method="POST",
    ),
    Case(
        "accounts:invite",
        "/compte/invitations/",
        expect(("admin", "animateur"), anonymous=302),
    ),
    # An incomplete invitation: refused (400) for those who may invite, 403 otherwise;
    # nobody is invited either way.
    Case(
        "accounts:invite",
        "/compte/invitations/",
        expect(("admin", "animateur"), ok=400, anonymous=302),
        method="POST",
        data={"email": "matrice-invite@exemple.fr", "role": "lecteur"},
    ),
    # Into an organisation of the Nord, even with a scope in the Pas-de-Calais: outside
    # the animateur's scope, refused (400).
    Case(
        "accounts:invite",
        "/compte/invitations/",
        expect(("admin",), ok=302, anonymous=302) | {"animateur": 400},
        method="POST",
        data=_invitation("Département du Nord", "COM:62498"),
    ),
    # Into the animateur's own organisation, but with a scope outside their own.
    Case(
        "accounts:invite",
        "/compte/invitations/",
        expect(("admin",), ok=302, anonymous=302) | {"animateur": 400},
        method="POST",
        data=_invitation("Département du Pas-de-Calais", "DEP:59"),
    ),
    # Both inside their scope: invited.
    Case(
        "accounts:invite",
        "/compte/invitations/",
        expect(("admin", "animateur"), ok=302, anonymous=302),
        method="POST",
        data=_invitation("Département du Pas-de-Calais", "COM:62498"),
    ),
    # A forged invitation link is dead for everybody.
    Case("accounts:accept", "/compte/invitation/lien-forge/", expect(EVERYONE, ok=410)),
    Case(
        "accounts:accept",
        "/compte/invitation/lien-forge/",
        expect(EVERYONE, ok=410),
        method="POST",
        data={"password1": "Matrice-habitat-2026", "password2": "Matrice-habitat-2026"},
    ),
    Case("accounts:password_reset", "/compte/mot-de-passe/oublie/", expect(EVERYONE)),
    Case("accounts:password_reset_done", "/compte/mot-de-passe/oublie/envoye/", expect(EVERYONE)),
    Case(
        "accounts:password_reset_confirm",
        "/compte/mot-de-passe/nouveau/MQ/faux-jeton/",
        expect(EVERYONE),
    ),
    Case(
        "accounts:password_reset_complete",
        "/compte/mot-de-passe/nouveau/termine/",
        expect(EVERYONE),
    ),
    Case(
        "accounts:password_change",
        "/compte/mot-de-passe/",
        expect(SIGNED_IN, anonymous=302),
    ),
    Case(
        "accounts:password_change_done",
        "/compte/mot-de-passe/modifie/",
        expect(SIGNED_IN, anonymous=302),
    ),
]
