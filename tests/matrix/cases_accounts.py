"""Accounts pages: sign-in, sign-out, own page and tokens, password reset and change,
invitations (admin and animateur only)."""

from __future__ import annotations

from tests.matrix.cases import EVERYONE, SIGNED_IN, Case, expect

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
