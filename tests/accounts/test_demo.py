"""Demo accounts: one per role on the seed plans' territories, listed with the demo
password in the demo output (embedded mode), usable at once; a second load changes
nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from rich.console import Console

from observatoire.settings import Settings

# The demo passwords are printed in embedded mode only.
pytestmark = pytest.mark.embedded


def test_demo_prints_the_accounts_and_they_work(demo_data: tuple[Path, str], web: Settings) -> None:
    from observatoire.accounts import demo

    output = demo_data[1]
    assert "Comptes de démonstration" in output and demo.PASSWORD in output
    assert "lecteur.lens@" in output
    c = Client()
    response = c.post(
        "/compte/connexion/",
        {"username": f"lecteur.lens@{demo.DOMAIN}", "password": demo.PASSWORD},
    )
    assert response.status_code == 302
    html = c.get("/compte/").content.decode()
    assert "CA de Lens-Liévin" in html and "Lecteur partenaire" in html
    api = "/api/v1/values?indicator=vacance_longue_duree_part&territory="
    assert c.get(api + "COM:62498").status_code == 200
    assert c.get(api + "COM:62041").status_code == 403


def test_demo_load_is_idempotent(web: Settings) -> None:
    from django.contrib.auth import get_user_model

    from observatoire.accounts import demo
    from observatoire.accounts.models import AuditEvent, Organisation, Profile

    counts = (
        get_user_model().objects.count(),
        Organisation.objects.count(),
        Profile.objects.count(),
        AuditEvent.objects.filter(action="droits").count(),
    )
    demo.load(Console(file=io.StringIO()))
    assert counts == (
        get_user_model().objects.count(),
        Organisation.objects.count(),
        Profile.objects.count(),
        AuditEvent.objects.filter(action="droits").count(),
    )


def test_production_demo_has_no_known_password(web: Settings) -> None:
    import dataclasses

    from django.contrib.auth import get_user_model

    from observatoire.accounts import demo
    from observatoire.settings import activate, active

    before = active()
    out = io.StringIO()
    original = dict(demo.ACCOUNTS)
    demo.ACCOUNTS = {"lecteur.production": ("lecteur", "CU d'Arras", ["EPCI:200033579"])}
    activate(dataclasses.replace(before, production=True))
    try:
        demo.load(Console(file=out))
    finally:
        activate(before)
        demo.ACCOUNTS = original
    assert demo.PASSWORD not in out.getvalue() and "sans mot de passe" in out.getvalue()
    user = get_user_model().objects.get(username=f"lecteur.production@{demo.DOMAIN}")
    assert not user.has_usable_password()


def test_readme_documents_the_demo_accounts() -> None:
    from observatoire.accounts import demo

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert demo.PASSWORD in readme
    for local in demo.ACCOUNTS:
        assert f"`{local}@" in readme
