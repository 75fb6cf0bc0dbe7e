"""Outputs of the plans: fiches de suivi, bilan annuel (page, PDF, XLSX) and the
photographie au 31/12 that freezes a bilan."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import pytest
from tests.plans.reports_plan import AVION, LENS, LIEVIN, build

from observatoire.settings import Settings

TITLE = "PLH d'essai des bilans annuels"


@pytest.fixture
def plan(web: Settings) -> Any:
    from observatoire.plans.models import StatusChange

    p = build(TITLE)
    # The action was launched in 2022 (the history is dated).
    StatusChange.objects.filter(action__plan=p, comment="Lancement").update(
        at="2022-03-01T10:00:00Z"
    )
    return p


def _user(name: str, role: str, scope: list[str]) -> Any:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Organisation, Profile

    org, _ = Organisation.objects.get_or_create(
        name="Organisation d'essai des bilans", defaults={"kind": "departement"}
    )
    user, _ = get_user_model().objects.get_or_create(username=f"bilans-{name}")
    Profile.objects.update_or_create(
        user=user, defaults={"organisation": org, "role": role, "territories": scope}
    )
    return user


def _section(html: str) -> str:
    """The bilan itself (page chrome, CSRF token and messages left out)."""
    found = re.search(r'<section id="bilan".*?</section>', html, re.S)
    assert found, "section du bilan absente"
    return found.group(0)


def _xlsx(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def _pdf_text(content: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_payload_figures(plan: Any) -> None:
    from observatoire.plans import reports

    b = reports.bilan_payload(plan, 2024, today=date(2026, 3, 1))
    assert json.loads(json.dumps(b)) == b
    assert b["as_of"] == "2024-12-31" and b["complete_year"] and b["demo"]
    # Status on 31/12/2024 from the dated history; an import restates the plan document.
    assert b["counts"] == {"a_lancer": 0, "en_cours": 1, "realisee": 1, "abandonnee": 1}
    first = b["orientations"][0]
    assert (first["actions"], first["rate"]) == (2, 0.5)
    # Sub-action lines count in their orientation; unknown amounts stay None.
    assert first["budget_year"] == {"prevu": 120000.0, "engage": 60000.0, "realise": 5000.0}
    assert first["budget_cumul"] == {"prevu": 170000.0, "engage": 60000.0, "realise": 45000.0}
    assert b["orientations"][1]["budget_year"] == {"prevu": None, "engage": None, "realise": None}
    assert [m["label"] for m in b["late_milestones"]] == ["Convention avec les bailleurs"]
    p = b["production"]
    # Ratio of sums over the communes: (127 + 12 + 8) / (500 + 250), not a mean of rates.
    assert (p["cumul"]["objective"], p["cumul"]["realised"]) == (750, 147)
    assert p["cumul"]["rate"] == pytest.approx(147 / 750)
    assert p["stated"] == {"cumul": 6550, "year": 1310}
    communes = {c["id"]: c for c in p["communes"]}
    assert set(communes) == {LENS, LIEVIN, AVION}
    assert communes[LIEVIN]["demo"] and not communes[LENS]["demo"]
    assert communes[LENS]["cumul"]["behind"]
    manual = next(i for i in b["indicators"] if i["kind"] == "saisi")
    assert (manual["value"], manual["source"]) == (131.0, "DDTM")  # latest entry of the year


def test_year_in_progress_is_provisional(plan: Any) -> None:
    from observatoire.plans import reports

    b = reports.bilan_payload(plan, 2025, today=date(2025, 5, 10))
    assert (b["as_of"], b["complete_year"]) == ("2025-05-10", False)
    # On 10/05/2025 the T2 2024 milestone is late, the 2026 one is not.
    assert [m["label"] for m in b["late_milestones"]] == ["Convention avec les bailleurs"]


def test_plan_pages_and_bilan_agree_on_late_milestones(plan: Any) -> None:
    """A milestone due in June 2024 but reached only in February 2025 was late at the end
    of 2024: the plan pages and the bilan give the same answer at the same date (the
    pages used to call it on time once reached, whatever the date)."""
    from observatoire.plans import followup, reports
    from observatoire.plans.models import Milestone

    action = plan.actions.get(number="1-1")
    Milestone.objects.create(
        action=action,
        label="Charte de peuplement",
        due="T2 2024",
        due_date=date(2024, 6, 30),
        status="atteint",
        done_on=date(2025, 2, 1),
    )
    end_2024 = date(2024, 12, 31)
    bilan = reports.bilan_payload(plan, 2024, today=date(2026, 3, 1))
    late_in_bilan = [m["label"] for m in bilan["late_milestones"]]
    late_on_page = [m.label for m in followup.late_milestones(plan, end_2024)]
    assert late_in_bilan == late_on_page
    assert late_on_page == ["Convention avec les bailleurs", "Charte de peuplement"]
    assert sum(o.late for o in followup.orientations(plan, end_2024)) == 2
    # Once reached, it is no longer late.
    assert [m.label for m in followup.late_milestones(plan, date(2025, 3, 1))] == [
        "Convention avec les bailleurs"
    ]


def test_bilan_page(client: Any, plan: Any) -> None:
    response = client.get(f"/plans/{plan.pk}/bilan/2024/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bilan annuel 2024" in html and TITLE.replace("'", "&#x27;") in html
    section = _section(html)
    assert "Données de démonstration" in section
    assert "120\u202f000\u00a0€" in section and "en retard" in section
    assert f"/plans/{plan.pk}/bilan/2024/pdf/" in html
    # Anonymous readers do not see the photograph button.
    assert "/photographie/" not in html


def test_bilan_pdf(client: Any, plan: Any) -> None:
    response = client.get(f"/plans/{plan.pk}/bilan/2024/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages, text = _pdf_text(response.content)
    assert 2 <= pages <= 6
    flat = " ".join(text.split())
    assert TITLE in flat and "Bilan annuel 2024" in flat
    assert "objectif de 750" in flat and "147 réalisés" in flat
    assert "données de démonstration" in flat.lower()
    assert f"Page 2 sur {pages}" in flat


def test_bilan_xlsx(client: Any, plan: Any) -> None:
    response = client.get(f"/plans/{plan.pk}/bilan/2024/xlsx/")
    assert response.status_code == 200
    assert 'filename="bilan-plh-' in response["Content-Disposition"]
    sheets = _xlsx(response.content)
    assert list(sheets) == [
        "Synthèse",
        "Orientations",
        "Actions",
        "Jalons en retard",
        "Production",
        "Communes",
        "Indicateurs",
    ]
    communes = {r[0]: r for r in sheets["Communes"] if r and r[1] in (LENS, LIEVIN, AVION)}
    assert communes["Lens"][2:8] == (100, 30, 0.3, 500, 127, 0.254)
    assert communes["Liévin"][-1] == "démonstration"
    assert any("Données de démonstration" in str(r[0]) for r in sheets["Communes"] if r)
    total = next(r for r in sheets["Production"] if r and r[0] == "Total")
    assert total[4:6] == (750, 147)
    orientation = next(r for r in sheets["Orientations"] if r and str(r[0]).startswith("1."))
    assert orientation[-6:] == (120000, 60000, 5000, 170000, 60000, 45000)


def test_snapshot_freezes_the_bilan(client: Any, plan: Any) -> None:
    from observatoire.accounts.models import AuditEvent
    from observatoire.plans.models import BudgetLine, Operation, Snapshot

    url = f"/plans/{plan.pk}/bilan/2024/"
    before = _section(client.get(url).content.decode())
    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    response = client.post(url + "photographie/")
    assert response.status_code == 302 and response["Location"] == url
    assert Snapshot.objects.filter(plan=plan, year=2024).count() == 1
    assert AuditEvent.objects.filter(target=f"plan {plan.pk} : photographie du bilan 2024")
    page = client.get(url).content.decode()
    assert "Photographie au 31/12/2024" in page
    frozen = _section(page)
    assert frozen == before
    frozen_xlsx = _xlsx(client.get(url + "xlsx/").content)

    # The data change after the photograph...
    Operation.objects.filter(plan=plan, name="Résidence des Mines").update(dwellings=300)
    BudgetLine.objects.filter(action__plan=plan, year=2024, prevu=100000).update(prevu=777777)
    # ...the frozen bilan does not.
    assert _section(client.get(url).content.decode()) == frozen
    assert _xlsx(client.get(url + "xlsx/").content) == frozen_xlsx
    _, text = _pdf_text(client.get(url + "pdf/").content)
    assert "777" not in text and "Photographie au 31/12/2024" in " ".join(text.split())

    # Without the photograph, the live bilan shows the change.
    Snapshot.objects.filter(plan=plan).delete()
    live = _section(client.get(url).content.decode())
    assert live != frozen
    assert "797\u202f777\u00a0€" in live  # 777 777 + 20 000 of the sub-action
    assert _xlsx(client.get(url + "xlsx/").content) != frozen_xlsx


def test_retaking_the_photograph_replaces_it(client: Any, plan: Any) -> None:
    from observatoire.plans import reports
    from observatoire.plans.models import Operation, Snapshot

    admin = _user("admin", "admin", [])
    reports.take_snapshot(plan, 2024, admin)
    Operation.objects.filter(plan=plan, name="Résidence des Mines").update(dwellings=300)
    client.force_login(admin)
    client.post(f"/plans/{plan.pk}/bilan/2024/photographie/")
    snaps = Snapshot.objects.filter(plan=plan, year=2024)
    assert snaps.count() == 1
    assert snaps.get().payload["production"]["cumul"]["realised"] == 147 - 30 + 300


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),  # to the sign-in page
        (("lecteur", ["EPCI:246200364"]), 403),
        (("contributeur", ["EPCI:246200364"]), 403),
        (("animateur", ["DEP:59"]), 403),  # outside the plan's territory
    ],
)
def test_snapshot_refused(client: Any, plan: Any, who: Any, status: int) -> None:
    from observatoire.plans.models import Snapshot

    if who is not None:
        client.force_login(_user(f"{who[0]}-{who[1][0]}", who[0], who[1]))
    response = client.post(f"/plans/{plan.pk}/bilan/2024/photographie/")
    assert response.status_code == status
    if status == 302:
        assert "/compte/connexion/" in response["Location"]
    assert not Snapshot.objects.filter(plan=plan).exists()


def test_snapshot_needs_post_and_a_year_of_the_plan(client: Any, plan: Any) -> None:
    client.force_login(_user("admin", "admin", []))
    assert client.get(f"/plans/{plan.pk}/bilan/2024/photographie/").status_code == 405
    assert client.post(f"/plans/{plan.pk}/bilan/2019/photographie/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/bilan/2026/").status_code == 404


def test_fiche_commune(client: Any, plan: Any) -> None:
    html = client.get(f"/plans/{plan.pk}/suivi/communes/62498/").content.decode()
    assert "Fiche de suivi PLH — Lens" in html
    # The plan (2020-2025) is over: cumulated over its six years.
    assert "Depuis 2020, 127 logements réalisés pour un objectif de 600 (21" in html
    assert "Résidence des Mines" in html and "en retard" in html
    assert "Opérations saisies (programmes financés)" in html
    assert "Données de démonstration" not in html
    demo = client.get(f"/plans/{plan.pk}/suivi/communes/{LIEVIN}/").content.decode()
    assert "Données de démonstration" in demo
    other = client.get(f"/plans/{plan.pk}/suivi/communes/62498/?commune={LIEVIN}")
    assert other.status_code == 302 and other["Location"].endswith(f"/communes/{LIEVIN}/")
    # Arras is not in the plan's territory.
    assert client.get(f"/plans/{plan.pk}/suivi/communes/COM:62041/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/suivi/communes/bidule/").status_code == 404


def test_commune_figures(plan: Any) -> None:
    from observatoire.plans.reports import fiches as reports_fiches
    from observatoire.territories import Territory

    f = reports_fiches.commune_fiche(plan, Territory.parse(LENS), today=date(2024, 7, 1))
    years = {y["year"]: y for y in f["years"]}
    assert years[2024]["cumul"] == {
        "objective": 500,
        "realised": 127,
        "rate": 0.254,
        "behind": True,
    }
    assert not years[2025]["started"] and years[2025]["cumul"]["realised"] is None
    assert f["last"]["year"] == 2024
    plai = next(p for p in years[2024]["products"] if p["code"] == "plai")
    assert (plai["objective"], plai["realised"], plai["rate"]) == (20, 30, 1.5)
    assert [p["code"] for p in f["products"]] == ["plai", "plus", "total"]


def test_fiche_action(client: Any, plan: Any) -> None:
    response = client.get(f"/plans/{plan.pk}/actions/1-1/fiche/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fiche de suivi — action 1-1" in html
    for expected in (
        "Lancement",  # status history
        "01/03/2022",
        "150\u202f000\u00a0€",  # budget total prévu
        "Convention avec les bailleurs",
        "en retard",
        "Logements sociaux agréés",
        "131 logements",  # latest entry of 2024
        "PLAI adapté",  # its modalité
    ):
        assert expected in html, expected
    assert client.get(f"/plans/{plan.pk}/actions/9-9/fiche/").status_code == 404


def _call() -> Any:
    from observatoire.plans.models import Plan

    return (
        Plan.objects.filter(type="PLH", territory="EPCI:246200364", objectives__is_demo=True)
        .exclude(title__in=[TITLE])
        .first()
    )


def test_demo_call_bilan_pdf(client: Any, web: Settings) -> None:
    call = _call()
    if call is None:
        pytest.skip("plan de démonstration de la CALL non chargé")
    from observatoire.plans import reports

    year = min(max(call.start_year, date.today().year - 1), call.end_year)
    b, _ = reports.bilan(call, year)
    assert b["demo"] and b["production"] is not None
    # Demo objectives for each of the 36 communes, their total the plan's 1310 a year.
    assert len({c["id"] for c in b["production"]["communes"]}) == 36
    assert b["production"]["year"]["objective"] == 1310
    response = client.get(f"/plans/{call.pk}/bilan/{year}/pdf/")
    pages, text = _pdf_text(response.content)
    flat = " ".join(text.split())
    assert 3 <= pages <= 40
    assert f"Bilan annuel {year}" in flat and "données de démonstration" in flat.lower()
    cumul = b["production"]["cumul"]
    expected = "{:,} réalisés pour un objectif de {:,}".format(
        cumul["realised"], cumul["objective"]
    )
    assert expected.replace(",", " ") in flat  # split() folds the narrow no-break spaces
    assert call.title in flat


def test_bilan_xlsx_stores_contributed_text_as_text(client: Any, plan: Any) -> None:
    """A source typed by a contributeur was written as a formula into the public bilan
    workbook (DDE attack when opened in Excel): it stays the text typed."""
    from openpyxl import load_workbook

    from observatoire.plans.models import ActionIndicator, IndicatorEntry

    attack = "=cmd|' /C calc'!A0"
    IndicatorEntry.objects.filter(indicator__action__plan=plan).update(source=attack)
    ActionIndicator.objects.filter(action__plan=plan, indicator_code="").update(
        label='=HYPERLINK("http://exemple.invalid","Cliquez")'
    )
    response = client.get(f"/plans/{plan.pk}/bilan/2024/xlsx/")
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells}
    assert attack in texts and '=HYPERLINK("http://exemple.invalid","Cliquez")' in texts
