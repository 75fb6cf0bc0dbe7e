"""Password reset by e-mail, end to end: the request, the French mail, the single-use
link, the strong password rules, the sign-in with the new password."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from tests.accounts.conftest import unique

from observatoire.settings import Settings


def _link(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/compte/mot-de-passe/nouveau/\S+/)", body)
    assert found, body
    return found.group(1)


def test_password_reset_flow(web: Settings) -> None:
    email = unique("oubli")
    get_user_model().objects.create_user(email, email, "Ancien-mot-de-passe-2026")
    c = Client()
    assert "Mot de passe oublié" in c.get("/compte/mot-de-passe/oublie/").content.decode()
    mail.outbox.clear()
    response = c.post("/compte/mot-de-passe/oublie/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/oublie/envoye/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert "réinitialisation" in message.subject and "\n" not in message.subject
    assert "ne sert qu'une fois" in message.body and "&#x27;" not in message.body

    link = _link(message.body)
    page = c.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    # Weak passwords are refused, in French.
    weak = c.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    html = weak.content.decode()
    assert weak.status_code == 200
    assert "trop court" in html and "12 caractères" in html
    assert "trop courant" in html and "entièrement numérique" in html
    new = "Nouveau-mot-de-passe-2026"
    done = c.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/compte/mot-de-passe/nouveau/termine/"

    # Single use: the same link is now refused.
    again = Client().get(link, follow=True).content.decode()
    assert "Lien invalide ou expiré" in again
    signed = Client()
    response = signed.post("/compte/connexion/", {"username": email, "password": new})
    assert response.status_code == 302


def test_unknown_address_sends_nothing_and_says_the_same(web: Settings) -> None:
    mail.outbox.clear()
    response = Client().post("/compte/mot-de-passe/oublie/", {"email": unique("personne")})
    assert response.status_code == 302  # no hint whether the account exists
    assert mail.outbox == []


def test_password_change_needs_the_old_one(web: Settings) -> None:
    email = unique("change")
    user = get_user_model().objects.create_user(email, email, "Ancien-mot-de-passe-2026")
    c = Client()
    c.force_login(user)
    new = "Autre-mot-de-passe-2026"
    bad = c.post(
        "/compte/mot-de-passe/",
        {"old_password": "faux", "new_password1": new, "new_password2": new},
    )
    assert bad.status_code == 200 and "ancien mot de passe est incorrect" in bad.content.decode()
    good = c.post(
        "/compte/mot-de-passe/",
        {"old_password": "Ancien-mot-de-passe-2026", "new_password1": new, "new_password2": new},
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_reset_mails_are_throttled_per_address(web: Settings) -> None:
    """Issue #11: five reset mails in a row for one address. Three an hour, then a
    French refusal (429) and no mail, whether or not the address has an account."""
    from observatoire.accounts.views_password import RESET_LIMIT

    email = unique("rafale")
    get_user_model().objects.create_user(email, email, "Ancien-mot-de-passe-2026")
    c = Client()
    mail.outbox.clear()
    for _ in range(RESET_LIMIT):
        assert c.post("/compte/mot-de-passe/oublie/", {"email": email}).status_code == 302
    assert len(mail.outbox) == RESET_LIMIT == 3
    refused = c.post("/compte/mot-de-passe/oublie/", {"email": email.upper()})
    assert refused.status_code == 429
    assert f"Trop de demandes pour l&#x27;adresse « {email.upper()} »" in refused.content.decode()
    assert len(mail.outbox) == RESET_LIMIT
    # Another address is not affected; an unknown address is counted the same way.
    other = unique("voisin-oubli")
    get_user_model().objects.create_user(other, other, "Ancien-mot-de-passe-2026")
    assert c.post("/compte/mot-de-passe/oublie/", {"email": other}).status_code == 302
    assert len(mail.outbox) == RESET_LIMIT + 1
    nobody = unique("inconnu")
    statuses = [
        c.post("/compte/mot-de-passe/oublie/", {"email": nobody}).status_code for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
