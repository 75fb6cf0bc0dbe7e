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


def _access_request(territory: str) -> Any:
    """The decision page of a pending access request on `territory` (LOVAC, diffusion
    restreinte) by a lecteur of Arras, made anew for each role once the previous one is
    decided: the Lot is outside the matrix animateur's scope, Lens inside."""

    def path() -> str:
        from django.contrib.auth import get_user_model

        from observatoire.accounts.models import AccessRequest, Organisation, Profile

        user, _ = get_user_model().objects.get_or_create(
            username="matrice-demandeur", defaults={"email": "demandeur@matrice.test"}
        )
        org, _ = Organisation.objects.get_or_create(name="CU d'Arras", defaults={"kind": "epci"})
        Profile.objects.update_or_create(
            user=user,
            defaults={"organisation": org, "role": "lecteur", "territories": ["EPCI:200033579"]},
        )
        found, _ = AccessRequest.objects.get_or_create(
            requester=user,
            territory=territory,
            diffusion="restreint",
            state="en_attente",
            defaults={"indicator": ACCESS_INDICATOR, "reason": "matrice"},
        )
        return f"/compte/acces/{found.pk}/decision/"

    return path


ACCESS_INDICATOR = "vacance_longue_duree_part"
ACCESS_DECIDERS_LENS = ("admin", "animateur")

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
    # « Demander l'accès » (issue #14 §5): the pages of signed-in users.
    Case("accounts:access_requests", "/compte/acces/", expect(SIGNED_IN, anonymous=302)),
    Case(
        "accounts:access_request",
        f"/compte/acces/demander/?territoire=COM:62041&indicateur={ACCESS_INDICATOR}",
        expect(SIGNED_IN, anonymous=302),
    ),
    # Arras asked for: those who already read it there are told so (400), the others'
    # request is sent (302).
    Case(
        "accounts:access_request",
        "/compte/acces/demander/",
        expect(("contributeur_lens", "lecteur_lens"), ok=302, denied=400, anonymous=302),
        method="POST",
        data={
            "territory": "COM:62041",
            "diffusion": "restreint",
            "indicator": ACCESS_INDICATOR,
            "reason": "matrice",
        },
    ),
    # Deciding: administrators, and animateurs whose scope covers the territory.
    Case(
        "accounts:access_decide",
        _access_request("COM:62498"),
        expect(ACCESS_DECIDERS_LENS, ok=302, anonymous=302),
        method="POST",
        data={"decision": "accorder"},
    ),
    Case(
        "accounts:access_decide",
        _access_request("COM:46042"),
        expect(("admin",), ok=302, anonymous=302),
        method="POST",
        data={"decision": "refuser", "answer": "matrice"},
    ),
    # An unknown request: not found for everybody signed in.
    Case(
        "accounts:access_decide",
        "/compte/acces/999999999/decision/",
        expect(SIGNED_IN, ok=404, anonymous=302),
        method="POST",
        data={"decision": "accorder"},
    ),
]
