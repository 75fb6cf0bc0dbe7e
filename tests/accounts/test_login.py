"""Sign-in page, user menu, sign-out (POST only), own page."""

from __future__ import annotations

from django.test import Client


def _user(password: str = "Observatoire-2026!") -> tuple[object, str]:
    from django.contrib.auth import get_user_model

    email = "connexion@exemple.fr"
    user = get_user_model().objects.create_user(email, email, password)
    return user, email


def test_login_page_is_french_dsfr(client: Client) -> None:
    html = client.get("/compte/connexion/").content.decode()
    assert "<h1>Connexion</h1>" in html and "Adresse électronique" in html
    assert 'class="fr-input' in html and "Mot de passe oublié" in html
    assert "Se connecter" in client.get("/").content.decode()


def test_login_menu_and_logout(client: Client) -> None:
    _, email = _user()
    response = client.post(
        "/compte/connexion/",
        {"username": email.upper(), "password": "Observatoire-2026!", "next": "/compte/"},
    )
    assert response.status_code == 302 and response["Location"] == "/compte/"
    html = client.get("/compte/").content.decode()
    assert email in html and "Mon compte" in html and "Se déconnecter" in html
    # A link cannot sign anybody out: GET is refused, POST does it.
    assert client.get("/compte/deconnexion/").status_code == 405
    assert client.post("/compte/deconnexion/").status_code == 200
    assert client.get("/compte/").status_code == 302


def test_bad_password_says_so_in_french(client: Client) -> None:
    _, email = _user()
    response = client.post("/compte/connexion/", {"username": email, "password": "faux"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in html


def test_pages_needing_sign_in_send_to_login(client: Client) -> None:
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")
