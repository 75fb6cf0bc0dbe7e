"""The audit log: sign-ins, failures, sign-outs, changes of rights (pages, Django admin,
command line alike), token creation, deletions, downloads of restricted figures."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from tests.accounts.conftest import unique

from observatoire.settings import Settings

PASSWORD = "Journal-habitat-2026"


def _events(**filters: Any) -> Any:
    from observatoire.accounts.models import AuditEvent

    return AuditEvent.objects.filter(**filters)


def test_sign_in_failure_and_sign_out_are_logged(web: Settings) -> None:
    email = unique("journal")
    user = get_user_model().objects.create_user(email, email, PASSWORD)
    c = Client(REMOTE_ADDR="192.0.2.10")
    c.post("/compte/connexion/", {"username": email, "password": "faux"})
    failure = _events(action="echec_connexion", target=email).get()
    assert failure.actor is None and failure.ip == "192.0.2.10"
    assert "faux" not in str(failure.detail)  # never the password
    c.post("/compte/connexion/", {"username": email, "password": PASSWORD})
    assert _events(action="connexion", actor=user, ip="192.0.2.10").count() == 1
    c.post("/compte/deconnexion/")
    assert _events(action="deconnexion", actor=user).count() == 1


def test_rights_changes_are_logged_with_before_and_after(make_user: Any) -> None:
    from observatoire.accounts.models import Profile

    admin, _ = make_user("admin")
    target, _ = make_user("lecteur", "EPCI:246200364")
    before = _events(action="droits", target=str(target)).count()
    c = Client()
    c.force_login(admin)
    profile = Profile.objects.get(user=target)
    # Through the Django admin (user page with its profile inline).
    data = {
        "username": target.username,
        "email": target.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "10:00:00",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": str(profile.pk),
        "profile-0-user": str(target.pk),
        "profile-0-organisation": str(profile.organisation_id),
        "profile-0-role": "contributeur",
        "profile-0-territories": '["EPCI:246200364", "COM:62041"]',
    }
    response = c.post(f"/admin/auth/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    profile.refresh_from_db()
    assert profile.role == "contributeur"
    events = _events(action="droits", target=str(target))
    assert events.count() == before + 1
    event = events.first()
    assert event.actor == admin
    assert event.detail["avant"]["rôle"] == "lecteur"
    assert event.detail["après"]["rôle"] == "contributeur"
    assert event.detail["après"]["territoires"] == ["EPCI:246200364", "COM:62041"]
    # Saving without a change writes nothing.
    c.post(f"/admin/auth/user/{target.pk}/change/", data)
    assert _events(action="droits", target=str(target)).count() == before + 1


def test_tokens_deletions_and_restricted_downloads_are_logged(make_user: Any) -> None:
    from observatoire.accounts.models import ApiToken

    user, key = make_user("lecteur", "EPCI:246200364")
    c = Client()
    c.force_login(user)
    c.post("/compte/jetons/", {"label": "tableur"})
    assert _events(action="jeton", actor=user).exists()
    token = ApiToken.objects.filter(user=user, label="tableur").get()
    c.post(f"/compte/jetons/{token.pk}/revoquer/")
    deleted = _events(action="suppression", actor=user).get()
    assert f"#{token.pk}" in deleted.target and deleted.detail["modèle"] == "accounts.ApiToken"

    api = Client(headers={"Authorization": f"Token {key}"})
    response = api.get(
        "/api/v1/values",
        {"indicator": "vacance_longue_duree_part", "territory": "COM:62498", "format": "csv"},
    )
    assert response.status_code == 200
    download = _events(action="telechargement", actor=user).get()
    assert download.target.endswith(".csv")
    assert download.detail == {"indicateur": "vacance_longue_duree_part"}


def test_audit_log_is_read_only_in_the_admin(make_user: Any) -> None:
    admin, _ = make_user("admin")
    c = Client()
    c.force_login(admin)
    page = c.get("/admin/accounts/auditevent/")
    assert page.status_code == 200 and "Connexion" in page.content.decode()
    assert c.get("/admin/accounts/auditevent/add/").status_code == 403
    event = _events().first()
    assert (
        c.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )
