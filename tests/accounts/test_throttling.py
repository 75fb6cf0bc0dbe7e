"""django-axes: after 5 failed sign-ins for one address from one client, that pair is
locked out for an hour (French page, 429), even with the right password; another
address from the same client is not."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from tests.accounts.conftest import unique

from observatoire.settings import Settings

PASSWORD = "Observatoire-2026!"


def _attempt(c: Client, email: str, password: str) -> tuple[int, str]:
    response = c.post("/compte/connexion/", {"username": email, "password": password})
    return response.status_code, response.content.decode()


def test_five_failures_lock_the_address_out(web: Settings) -> None:
    from django.conf import settings

    assert settings.AXES_FAILURE_LIMIT == 5
    email = unique("verrou")
    get_user_model().objects.create_user(email, email, PASSWORD)
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        status, html = _attempt(c, email, "mauvais-mot-de-passe")
        assert status == 200 and "mot de passe incorrect" in html
    status, html = _attempt(c, email, "mauvais-mot-de-passe")
    assert status == 429
    assert "Connexion temporairement bloquée" in html and "pendant une heure" in html
    # The right password no longer opens the door; nor does another case of the address.
    status, html = _attempt(c, email, PASSWORD)
    assert status == 429 and "_auth_user_id" not in c.session
    assert _attempt(c, email.upper(), PASSWORD)[0] == 429
    assert c.get("/compte/").status_code == 302

    # Somebody else signing in from the same address is not affected.
    other = unique("voisin")
    get_user_model().objects.create_user(other, other, PASSWORD)
    status, _ = _attempt(Client(), other, PASSWORD)
    assert status == 302


def test_a_success_resets_the_count(web: Settings) -> None:
    email = unique("recompte")
    get_user_model().objects.create_user(email, email, PASSWORD)
    c = Client()
    for _ in range(4):
        assert _attempt(c, email, "faux")[0] == 200
    assert _attempt(c, email, PASSWORD)[0] == 302
    c.post("/compte/deconnexion/")
    for _ in range(4):
        assert _attempt(c, email, "faux")[0] == 200
    assert _attempt(c, email, PASSWORD)[0] == 302
