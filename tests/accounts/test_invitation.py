"""Invitations end to end: an animateur invites a lecteur on its territory, the invitee
opens the mailed link, sets a strong password, is signed in with the right rights; the
link works once. An animateur cannot invite outside its scope nor an animateur."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client
from tests.accounts.conftest import unique

from observatoire.settings import Settings

PASSWORD = "Partenaire-habitat-2026"


def _link(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/compte/invitation/\S+/)", body)
    assert found, body
    return found.group(1)


def _invite(c: Client, **fields: Any) -> Any:
    return c.post("/compte/invitations/", fields)


def test_invitation_end_to_end(make_user: Any) -> None:
    from observatoire.accounts.models import AuditEvent, Invitation, Profile

    animateur, _ = make_user("animateur", "DEP:62", organisation="Département du Pas-de-Calais")
    c = Client()
    c.force_login(animateur)
    form = c.get("/compte/invitations/").content.decode()
    assert "Inviter un partenaire" in form
    assert 'value="lecteur"' in form and 'value="animateur"' not in form
    email = unique("invite")
    mail.outbox.clear()
    response = _invite(
        c,
        email=email,
        new_organisation=f"Ville de Lens {email}",
        kind="commune",
        role="lecteur",
        territories="COM:62498",
    )
    assert response.status_code == 302, response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    body = mail.outbox[0].body
    assert "Lecteur partenaire" in body and "COM:62498" in body and "7 jours" in body
    assert AuditEvent.objects.filter(action="invitation", target=email).exists()
    assert email in c.get("/compte/invitations/").content.decode()

    link = _link(body)
    invitee = Client()
    page = invitee.get(link).content.decode()
    assert email in page and "Lecteur partenaire" in page
    weak = invitee.post(link, {"password1": "motdepasse", "password2": "motdepasse"})
    assert weak.status_code == 400 and "trop court" in weak.content.decode()
    mismatch = invitee.post(link, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "ne sont pas identiques" in mismatch.content.decode()
    done = invitee.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/compte/"
    html = invitee.get("/compte/").content.decode()
    assert "Lens (COM:62498)" in html and "Lecteur partenaire" in html

    profile = Profile.objects.get(user__username=email)
    assert profile.role == "lecteur" and [t.id for t in profile.territories] == ["COM:62498"]
    assert profile.organisation.kind == "commune"
    invitation = Invitation.objects.get(email=email)
    assert invitation.accepted is not None and invitation.user == profile.user

    # The rights work at once: Lens yes, Arras no.
    api = "/api/v1/values?indicator=vacance_longue_duree_part&territory="
    assert invitee.get(api + "COM:62498").status_code == 200
    assert invitee.get(api + "COM:62041").status_code == 403

    # Used once: the link is dead; signing in with the chosen password works.
    again = Client().get(link)
    assert again.status_code == 410 and "déjà servi" in again.content.decode()
    response = Client().post("/compte/connexion/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302


def test_animateur_stays_within_its_scope(make_user: Any) -> None:
    from observatoire.accounts.models import Invitation

    animateur, _ = make_user("animateur", "DEP:46", organisation="Département du Lot")
    c = Client()
    c.force_login(animateur)
    email = unique("hors-perimetre")
    base = {"email": email, "new_organisation": "Ville de Lens", "kind": "commune"}
    mail.outbox.clear()
    outside = _invite(c, **base, role="lecteur", territories="COM:62498")
    assert outside.status_code == 400
    assert "Hors de votre périmètre : COM:62498" in outside.content.decode()
    promoted = _invite(c, **base, role="animateur", territories="DEP:46")
    assert promoted.status_code == 400 and "choix valide" in promoted.content.decode()
    unknown = _invite(c, **base, role="lecteur", territories="EPCI:999999999")
    assert "EPCI:999999999" in unknown.content.decode()
    assert mail.outbox == [] and not Invitation.objects.filter(email=email).exists()


def test_only_admins_and_animateurs_invite(make_user: Any) -> None:
    lecteur, _ = make_user("lecteur", "EPCI:246200364")
    c = Client()
    c.force_login(lecteur)
    assert c.get("/compte/invitations/").status_code == 403
    response = _invite(c, email=unique("x"), new_organisation="X", role="lecteur", territories="")
    assert response.status_code == 403
    anonymous = Client().get("/compte/invitations/")
    assert anonymous.status_code == 302


def test_admin_invites_any_role_and_existing_accounts_are_refused(make_user: Any) -> None:
    admin, _ = make_user("admin")
    existing, _ = make_user("lecteur", "EPCI:246200364")
    c = Client()
    c.force_login(admin)
    form = c.get("/compte/invitations/").content.decode()
    assert 'value="animateur"' in form and 'value="admin"' in form
    response = _invite(
        c, email=existing.email, new_organisation="X", role="lecteur", territories="DEP:62"
    )
    assert response.status_code == 400 and "Un compte existe déjà" in response.content.decode()


def test_bad_and_expired_links(web: Settings) -> None:
    import time
    from unittest import mock

    from django.core import signing

    from observatoire.accounts.models import Invitation, Organisation
    from observatoire.accounts.views_invitations import SALT, link_key

    response = Client().get("/compte/invitation/n-importe-quoi/")
    assert response.status_code == 410 and "pas valide" in response.content.decode()
    org, _ = Organisation.objects.get_or_create(name="CU d'Arras")
    invitation = Invitation.objects.create(
        email=unique("expire"), organisation=org, role="lecteur", territories=["EPCI:200033579"]
    )
    assert Client().get(f"/compte/invitation/{link_key(invitation)}/").status_code == 200
    # A link signed 8 days ago has expired (valid 7 days).
    with mock.patch("time.time", return_value=time.time() - 8 * 24 * 3600):
        stale = signing.dumps(invitation.pk, salt=SALT)
    response = Client().get(f"/compte/invitation/{stale}/")
    assert response.status_code == 410 and "expiré" in response.content.decode()
