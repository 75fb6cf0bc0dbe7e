"""Only the pilots of an action (contributeurs or animateurs of a pilot organisation),
animateurs whose scope covers the plan and admins update it; everyone else gets a 403
and nothing changes. Histories are kept: status changes and indicator entries are
added, never overwritten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from tests.plans.test_pages import make_plan, text

from observatoire.settings import Settings


@pytest.fixture
def sample(web: Settings) -> dict[str, Any]:
    return make_plan("droits")


@pytest.fixture
def users(sample: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Organisation, Profile

    # Not the demo's "Département du Nord": another organisation than the pilots'.
    elsewhere = Organisation.objects.create(name="Département du Nord (essai)", kind="departement")
    specs = {
        "admin": ("admin", None, []),
        "animateur": ("animateur", elsewhere, ["DEP:62"]),
        "animateur_nord": ("animateur", elsewhere, ["DEP:59"]),
        "pilote": ("contributeur", sample["pilot"], ["EPCI:246200364"]),
        "lecteur_pilote": ("lecteur", sample["pilot"], ["EPCI:246200364"]),
        "autre_pilote": ("contributeur", sample["other"], ["EPCI:246200364"]),
        "sans_profil": None,
    }
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        user = get_user_model().objects.create_user(name, password="x")
        if spec is not None:
            role, org, scope = spec
            Profile.objects.create(user=user, role=role, organisation=org, territories=scope)
        out[name] = user
    return out


def login(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def snapshot(made: dict[str, Any]) -> dict[str, Any]:
    """Everything the edit endpoints could change on the sample plan."""
    from observatoire.plans.models import (
        BudgetLine,
        IndicatorEntry,
        Milestone,
        Operation,
        StatusChange,
    )

    plan = made["plan"]
    return {
        "status": sorted(plan.actions.values_list("number", "status")),
        "history": StatusChange.objects.filter(action__plan=plan).count(),
        "budget": sorted(
            BudgetLine.objects.filter(action__plan=plan).values_list(
                "action__number", "year", "prevu", "engage", "realise", "comment"
            )
        ),
        "milestones": sorted(
            Milestone.objects.filter(action__plan=plan).values_list("pk", "status", "done_on")
        ),
        "entries": IndicatorEntry.objects.filter(indicator__action__plan=plan).count(),
        "operations": Operation.objects.filter(plan=plan).count(),
    }


def posts(made: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """One valid POST to each edit endpoint of action 1-1 and of the plan."""
    plan = made["plan"]
    base = f"/plans/{plan.pk}/actions/1-1/"
    m = made["milestones"]["late"]
    i = made["indicators"]["manual"]
    return [
        (base + "etat/", {"status": "realisee", "comment": "fini"}),
        (base + "budget/", {"engage_2022": "100", "realise_2022": "50"}),
        (base + f"jalons/{m.pk}/", {f"m{m.pk}-status": "atteint"}),
        (base + f"indicateurs/{i.pk}/", {f"i{i.pk}-year": "2022", f"i{i.pk}-value": "7"}),
        (
            f"/plans/{plan.pk}/operations/ajouter/",
            {"territory": "COM:62498", "year": "2022", "product": "plai", "dwellings": "3",
             "stage": "financee"},
        ),
    ]  # fmt: skip


def test_permission_functions(sample, users) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    from observatoire.plans.permissions import can_edit_action, can_edit_plan

    a11, a21, sub = (sample["actions"][n] for n in ("1-1", "2-1", "1-1-1"))
    allowed = {n for n, u in users.items() if can_edit_action(u, a11)}
    assert allowed == {"admin", "animateur", "pilote"}
    assert {n for n, u in users.items() if can_edit_action(u, a21)} == {
        "admin",
        "animateur",
        "autre_pilote",
    }
    # A sub-action is piloted by its parent's pilots.
    assert can_edit_action(users["pilote"], sub)
    assert not can_edit_action(AnonymousUser(), a11)
    plan_editors = {n for n, u in users.items() if can_edit_plan(u, sample["plan"])}
    assert plan_editors == {"admin", "animateur"}


@pytest.mark.parametrize(
    "who", ["lecteur_pilote", "autre_pilote", "animateur_nord", "sans_profil", "anonyme"]
)
def test_denied_users_change_nothing(sample, users, who) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from observatoire.accounts.models import AuditEvent

    client = Client() if who == "anonyme" else login(users[who])
    before = snapshot(sample)
    audits = AuditEvent.objects.count()
    for url, data in posts(sample):
        response = client.post(url, data)
        if who == "anonyme":
            assert (
                response.status_code == 302 and "/plans/" not in response["Location"].split("?")[0]
            )
        else:
            assert response.status_code == 403, url
            assert "Accès refusé" in response.content.decode()
    assert snapshot(sample) == before
    assert AuditEvent.objects.count() == audits
    edit = client.get(f"/plans/{sample['plan'].pk}/actions/1-1/modifier/")
    assert edit.status_code == (302 if who == "anonyme" else 403)


def test_pilot_changes_status_with_dated_attributed_history(client, sample, users) -> None:  # type: ignore[no-untyped-def]
    from observatoire.accounts.models import AuditEvent

    pilot = login(users["pilote"])
    plan, a11 = sample["plan"], sample["actions"]["1-1"]
    url = f"/plans/{plan.pk}/actions/1-1/etat/"
    response = pilot.post(url, {"status": "realisee", "comment": "Convention signée"})
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/actions/1-1/"
    pilot.post(url, {"status": "en_cours", "comment": "Rouvert pour l'avenant"})
    a11.refresh_from_db()
    assert a11.status == "en_cours"
    history = list(a11.status_history.all())
    assert [(h.status, h.by, h.comment) for h in history] == [
        ("realisee", users["pilote"], "Convention signée"),
        ("en_cours", users["pilote"], "Rouvert pour l'avenant"),
    ]
    assert all(h.at.date() == date.today() for h in history)
    event = AuditEvent.objects.filter(actor=users["pilote"]).order_by("-at", "-id").first()
    assert event is not None and event.detail["après"] == "en_cours"
    sheet = pilot.get(f"/plans/{plan.pk}/actions/1-1/").content.decode()
    assert "fr-alert--success" in sheet and "État de l'action 1-1 : En cours" in text(sheet)
    assert "Rouvert pour l'avenant" in text(sheet) and "Mettre à jour l'action" in sheet
    # The public sheet shows the history too.
    assert "Convention signée" in client.get(f"/plans/{plan.pk}/actions/1-1/").content.decode()
    # A status outside the list is refused, nothing saved.
    bad = pilot.post(url, {"status": "termine"})
    assert bad.status_code == 400 and "Rien n'a été enregistré" in text(bad.content.decode())
    assert a11.status_history.count() == 2


def test_budget_refuses_negative_amounts_and_keeps_the_planned_budget(sample, users) -> None:  # type: ignore[no-untyped-def]
    from observatoire.plans.models import BudgetLine

    pilot = login(users["pilote"])
    a11 = sample["actions"]["1-1"]
    url = f"/plans/{sample['plan'].pk}/actions/1-1/budget/"
    before = snapshot(sample)
    bad = pilot.post(url, {"engage_2020": "-5", "realise_2021": "900"})
    assert bad.status_code == 400
    assert "Le montant doit être positif ou nul." in bad.content.decode()
    assert snapshot(sample) == before
    ok = pilot.post(
        url,
        {
            "engage_2020": "800",
            "realise_2020": "650,50",
            "realise_2021": "700",
            "engage_2023": "1000",
            "comment_2023": "Subvention État",
        },
    )
    assert ok.status_code == 302
    lines = {b.year: b for b in BudgetLine.objects.filter(action=a11)}
    assert lines[2020].prevu == Decimal(1000) and lines[2020].realise == Decimal("650.50")
    assert lines[2021].engage is None  # left empty: not known, never zero
    assert lines[2023].prevu is None and lines[2023].engage == Decimal(1000)
    assert lines[2023].comment == "Subvention État"
    assert set(lines) == {2020, 2021, 2023}


def test_indicator_entries_are_added_never_overwritten(sample, users) -> None:  # type: ignore[no-untyped-def]
    manual, linked = sample["indicators"]["manual"], sample["indicators"]["linked"]
    pilot = login(users["pilote"])
    base = f"/plans/{sample['plan'].pk}/actions/1-1/indicateurs/"
    p = f"i{manual.pk}"
    assert (
        pilot.post(f"{base}{manual.pk}/", {f"{p}-year": "2022", f"{p}-value": "20"}).status_code
        == 302
    )
    assert (
        pilot.post(f"{base}{manual.pk}/", {f"{p}-year": "2022", f"{p}-value": "22,5"}).status_code
        == 302
    )
    values = list(manual.entries.filter(year=2022).values_list("value", "entered_by"))
    assert values == [(Decimal(20), users["pilote"].pk), (Decimal("22.5"), users["pilote"].pk)]
    assert manual.entries.count() == 4
    sheet = pilot.get(f"/plans/{sample['plan'].pk}/actions/1-1/").content.decode()
    row = (
        sheet.split(f'data-indicator="{manual.pk}"')[1]
        .split('data-year="2022"')[1]
        .split("</tr>")[0]
    )
    assert "22,5" in row
    # A year outside the plan is refused; a linked indicator is never entered by hand.
    assert (
        pilot.post(f"{base}{manual.pk}/", {f"{p}-year": "2040", f"{p}-value": "1"}).status_code
        == 400
    )
    q = f"i{linked.pk}"
    pilot.post(f"{base}{linked.pk}/", {f"{q}-year": "2022", f"{q}-value": "1"})
    assert linked.entries.count() == 0 and manual.entries.count() == 4


def test_milestone_reached_gets_a_date(sample, users) -> None:  # type: ignore[no-untyped-def]
    m = sample["milestones"]["late"]
    pilot = login(users["pilote"])
    url = f"/plans/{sample['plan'].pk}/actions/1-1/jalons/{m.pk}/"
    assert (
        pilot.post(
            url, {f"m{m.pk}-status": "atteint", f"m{m.pk}-done_on": "2099-01-01"}
        ).status_code
        == 400
    )
    m.refresh_from_db()
    assert m.status == "a_venir"
    assert pilot.post(url, {f"m{m.pk}-status": "atteint"}).status_code == 302
    m.refresh_from_db()
    assert m.status == "atteint" and m.done_on == date.today()
    overview = pilot.get(f"/plans/{sample['plan'].pk}/").content.decode()
    assert "Aucun jalon en retard." in overview
    # The pilot of another action cannot touch this milestone.
    other = login(users["autre_pilote"])
    assert other.post(url, {f"m{m.pk}-status": "abandonne"}).status_code == 403
    m.refresh_from_db()
    assert m.status == "atteint"


def test_operations_by_plan_editors_only(sample, users) -> None:  # type: ignore[no-untyped-def]
    from observatoire.plans.models import Operation

    plan = sample["plan"]
    url = f"/plans/{plan.pk}/operations/ajouter/"
    data = {"territory": "COM:62510", "year": "2022", "product": "plus", "dwellings": "12",
            "stage": "financee", "name": "Résidence des Mineurs"}  # fmt: skip
    assert login(users["pilote"]).post(url, data).status_code == 403
    animateur = login(users["animateur"])
    assert animateur.get(f"/plans/{plan.pk}/operations/").status_code == 200
    assert animateur.post(url, {**data, "dwellings": "0"}).status_code == 400
    assert animateur.post(url, {**data, "territory": "COM:62041"}).status_code == 400  # Arras
    response = animateur.post(url, data)
    assert response.status_code == 302
    op = Operation.objects.get(plan=plan, name="Résidence des Mineurs")
    assert op.dwellings == 12 and op.created_by == users["animateur"] and not op.is_demo
    page = animateur.get(response["Location"]).content.decode()
    assert "Opération enregistrée : 12 logements PLUS en 2022" in page
    row = page.split(f'data-operation="{op.pk}"')[1].split("</tr>")[0]
    assert "Résidence des Mineurs" in row and "démonstration" not in row


def test_get_on_a_change_endpoint_and_csrf(sample, users) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    url = f"/plans/{sample['plan'].pk}/actions/1-1/etat/"
    assert login(users["pilote"]).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["pilote"])
    before = snapshot(sample)
    assert strict.post(url, {"status": "realisee"}).status_code == 403
    assert snapshot(sample) == before
