"""Import page (animateurs, administrators) and Excel export (public) of a plan."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from tests.plans.conftest import Sheets, canonical, table_counts, upload

from observatoire.settings import Settings

# "Nothing saved on error" relies on the database's transactions: both engines.
pytestmark = pytest.mark.embedded

Make = Callable[..., io.BytesIO]


def _user(name: str, role: str, scope: list[str]) -> Any:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Organisation, Profile

    org, _ = Organisation.objects.get_or_create(name="Département du Pas-de-Calais")
    user, _ = get_user_model().objects.get_or_create(username=f"classeur-{name}")
    Profile.objects.update_or_create(
        user=user, defaults={"organisation": org, "role": role, "territories": scope}
    )
    return user


@pytest.fixture
def animateur(web: Settings) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(_user("animateur", "animateur", ["DEP:62"]))
    return client


@pytest.fixture
def lecteur(web: Settings) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(_user("lecteur", "lecteur", ["EPCI:200033579"]))
    return client


def test_the_import_page_shows_the_form(animateur: Any) -> None:
    response = animateur.get("/plans/importer/")
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_a_bad_workbook_shows_every_problem_and_saves_nothing(
    animateur: Any, make_workbook: Make
) -> None:
    def edit(s: Sheets) -> None:
        s["Budget"][1][2] = -1200
        s["Objectifs"][3][0] = "62999"
        s["Actions"].append(["1-2", "2", None, "Doublon"])

    before = table_counts()
    response = animateur.post(
        "/plans/importer/", {"classeur": make_workbook(edit, start=2036, name="pdh-faux.xlsx")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert table_counts() == before
    assert "3 problèmes" in page and "pdh-faux.xlsx" in page and "rien n'a été importé" in page
    table = page[page.index('id="rapport"') :]
    for cell in ("Budget", "-1200", "Montant négatif", "62999", "Territoire inconnu"):
        assert cell in table, cell
    assert "Numéro d&#x27;action en double (déjà ligne 4)" in table


def test_a_good_workbook_is_imported_with_a_link_to_the_plan(
    animateur: Any, make_workbook: Make
) -> None:
    from observatoire.accounts.models import AuditEvent
    from observatoire.plans.models import Plan

    response = animateur.post("/plans/importer/", {"classeur": make_workbook(start=2037)})
    assert response.status_code == 200
    plan = Plan.objects.get(type="PLH", territory="EPCI:200033579", start_year=2037)
    page = response.content.decode()
    assert "Plan importé" in page and f"/plans/{plan.pk}/" in page
    event = AuditEvent.objects.filter(action="import", detail__plan=plan.pk).get()
    assert event.actor is not None and event.actor.username == "classeur-animateur"


def test_an_animateur_imports_only_within_his_scope(web: Settings, make_workbook: Make) -> None:
    from django.test import Client

    client = Client()
    client.force_login(_user("animateur-lot", "animateur", ["DEP:46"]))
    before = table_counts()
    response = client.post("/plans/importer/", {"classeur": make_workbook(start=2038)})
    assert response.status_code == 200
    assert "hors de votre périmètre" in response.content.decode()
    assert table_counts() == before


def test_a_lecteur_may_not_import(lecteur: Any, make_workbook: Make) -> None:
    before = table_counts()
    assert lecteur.get("/plans/importer/").status_code == 403
    response = lecteur.post("/plans/importer/", {"classeur": make_workbook(start=2039)})
    assert response.status_code == 403
    assert table_counts() == before


def test_anonymous_users_are_sent_to_sign_in(client: Any, make_workbook: Make) -> None:
    before = table_counts()
    response = client.post("/plans/importer/", {"classeur": make_workbook(start=2039)})
    assert response.status_code == 302
    assert table_counts() == before


def test_not_a_workbook(animateur: Any) -> None:
    response = animateur.post("/plans/importer/", {"classeur": upload(b"a;b\n", "plan.csv")})
    assert response.status_code == 200
    assert "n&#x27;est pas un classeur .xlsx" in response.content.decode()


def test_export_downloads_the_plan_for_everyone(
    client: Any, web: Settings, make_workbook: Make
) -> None:
    from observatoire.plans.models import Plan
    from observatoire.plans.workbook import import_workbook

    plan = import_workbook(make_workbook(start=2040))
    response = client.get(f"/plans/{plan.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="plh-dessai-du-classeur.xlsx"'
    before = canonical(plan)
    Plan.objects.filter(pk=plan.pk).delete()
    again = import_workbook(upload(response.content, "telecharge.xlsx"))
    assert canonical(again) == before
    assert client.get("/plans/999999/export.xlsx").status_code == 404


def test_a_file_that_is_not_a_workbook_is_refused_before_reading(animateur: Any) -> None:
    """The upload guard sniffs the bytes: a CSV renamed .xlsx is refused like a .csv."""
    response = animateur.post("/plans/importer/", {"classeur": upload(b"a;b\n", "plan.xlsx")})
    assert "n&#x27;est pas un classeur .xlsx" in response.content.decode()


def test_a_million_line_workbook_is_refused_at_the_cap_in_bounded_memory(
    animateur: Any,
) -> None:
    """The real Lens-Liévin PLH workbook whose `Objectifs` sheet carries a million lines
    (560 KB): the import had no cap and read it whole. Refused in French at the cap,
    nothing saved, in bounded memory."""
    import tracemalloc
    from pathlib import Path

    from tests.support import with_million_lines

    import observatoire

    plh = Path(observatoire.__file__).parent / "data/plans/call-plh-2014-2020.xlsx"
    header = ["territoire", "annee", "produit", "objectif"]
    bomb = with_million_lines(plh.read_bytes(), "Objectifs", header, ["COM:62498", 2015, "plai", 1])
    before = table_counts()
    tracemalloc.start()
    try:
        response = animateur.post("/plans/importer/", {"classeur": upload(bomb, "plh.xlsx")})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    page = response.content.decode()
    assert response.status_code == 200 and "rien n'a été importé" in page
    table = page[page.index('id="rapport"') :]
    assert "Objectifs" in table and "plus de 50000 lignes" in table.lower()
    assert peak < 128 * 1024 * 1024, peak
    assert table_counts() == before
