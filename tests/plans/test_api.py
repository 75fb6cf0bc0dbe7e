"""API v1 of the plans: list, tree of orientations and actions, objectives by commune."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from observatoire.settings import Settings

LENS, LIEVIN = "COM:62498", "COM:62510"
TITLE = "PLH d'essai de l'API des plans"


@pytest.fixture
def plan(web: Settings) -> Any:
    from observatoire.plans.models import (
        Action,
        BudgetLine,
        Objective,
        Operation,
        Orientation,
        Plan,
    )

    p = Plan.objects.create(
        title=TITLE, type="PLH", territory="EPCI:246200364", start_year=2020, end_year=2025
    )
    o1 = Orientation.objects.create(plan=p, number="1", title="Produire", position=1)
    o2 = Orientation.objects.create(plan=p, number="2", title="Réhabiliter", position=2)
    a11 = Action.objects.create(
        plan=p, orientation=o1, number="1-1", title="Logement social", status="en_cours"
    )
    sub = Action.objects.create(
        plan=p, orientation=o1, parent=a11, number="1-1-1", title="PLAI", position=1
    )
    Action.objects.create(
        plan=p, orientation=o1, parent=sub, number="1-1-1-a", title="PLAI adapté", position=1
    )
    Action.objects.create(
        plan=p, orientation=o2, number="2-1", title="Parc privé", status="abandonnee"
    )
    BudgetLine.objects.create(action=a11, year=2021, prevu=Decimal("1000.50"), engage=None)
    BudgetLine.objects.create(action=a11, year=2020, prevu=Decimal("800"), realise=Decimal("0"))
    for year in range(2020, 2026):
        Objective.objects.create(plan=p, territory=LENS, year=year, product="total", value=100)
        Objective.objects.create(plan=p, territory=LIEVIN, year=year, product="plai", value=0)
    Operation.objects.create(plan=p, territory=LENS, year=2020, product="plai", dwellings=30)
    Operation.objects.create(plan=p, territory=LENS, year=2020, product="pls", dwellings=45)
    Operation.objects.create(
        plan=p, territory=LIEVIN, year=2021, product="plai", dwellings=4, is_demo=True
    )
    return p


def test_list_gives_every_plan(client: Any, plan: Any) -> None:
    response = client.get("/api/v1/plans")
    assert response.status_code == 200
    found = [p for p in response.json() if p["id"] == plan.pk]
    assert found == [
        {
            "id": plan.pk,
            "title": TITLE,
            "type": "PLH",
            "territory": "EPCI:246200364",
            "period": "2020-2025",
        }
    ]


def test_plan_tree_nests_actions_and_budgets(client: Any, plan: Any) -> None:
    body = client.get(f"/api/v1/plans/{plan.pk}").json()
    assert (body["title"], body["period"]) == (TITLE, "2020-2025")
    assert [o["number"] for o in body["orientations"]] == ["1", "2"]
    first = body["orientations"][0]["actions"]
    assert [a["number"] for a in first] == ["1-1"]
    action = first[0]
    assert action["status"] == "en_cours"
    # Budget by year, amounts as numbers, unknown amounts null (never 0).
    assert action["budget"] == [
        {"year": 2020, "prevu": 800.0, "engage": None, "realise": 0.0},
        {"year": 2021, "prevu": 1000.5, "engage": None, "realise": None},
    ]
    sub = action["children"]
    assert [s["number"] for s in sub] == ["1-1-1"]
    assert sub[0]["children"][0] == {
        "number": "1-1-1-a",
        "title": "PLAI adapté",
        "status": "a_lancer",
        "budget": [],
        "children": [],
    }
    assert body["orientations"][1]["actions"][0]["status"] == "abandonnee"


def test_objectives_rows_per_commune_year_and_product(client: Any, plan: Any) -> None:
    from observatoire.plans import progress

    rows = client.get(f"/api/v1/plans/{plan.pk}/objectives").json()
    assert len(rows) == 36 * 6 * len(progress.PRODUCTS)
    assert {r["product"] for r in rows} >= {"total", "plai", "plus", "pls"}
    by_key = {(r["territory"], r["year"], r["product"]): r for r in rows}
    lens = by_key[(LENS, 2020, "total")]
    assert (lens["objective"], lens["realised"], lens["rate"]) == (100, 75, 0.75)
    assert not lens["is_demo"]
    # Objective 0: no rate; a demo operation flags its row.
    lievin = by_key[(LIEVIN, 2021, "plai")]
    assert (lievin["objective"], lievin["realised"], lievin["rate"]) == (0, 4, None)
    assert lievin["is_demo"]
    assert by_key[(LENS, 2020, "plai")]["rate"] is None  # no objective
    assert set(rows[0]) == {
        "territory",
        "year",
        "product",
        "objective",
        "realised",
        "rate",
        "is_demo",
    }


def test_objectives_of_one_commune(client: Any, plan: Any) -> None:
    rows = client.get(f"/api/v1/plans/{plan.pk}/objectives?territory={LENS}").json()
    assert {r["territory"] for r in rows} == {LENS}
    assert len(rows) == 6 * 7


@pytest.mark.parametrize(
    ("territory", "words"),
    [
        ("XYZ:12", "territory"),
        ("COM:99999", "inconnu"),
        ("EPCI:200033579", "n'est pas dans le territoire du plan"),
    ],
)
def test_objectives_bad_territory_is_a_french_400(
    client: Any, plan: Any, territory: str, words: str
) -> None:
    response = client.get(f"/api/v1/plans/{plan.pk}/objectives?territory={territory}")
    assert response.status_code == 400
    assert words in response.json()["erreur"]


@pytest.mark.parametrize("suffix", ["", "/objectives"])
def test_unknown_plan_is_a_french_404(client: Any, web: Settings, suffix: str) -> None:
    response = client.get(f"/api/v1/plans/987654{suffix}")
    assert response.status_code == 404
    assert response.json() == {"erreur": "Plan « 987654 » inconnu."}


def test_bad_plan_id_is_a_french_400(client: Any, web: Settings) -> None:
    response = client.get("/api/v1/plans/abc")
    assert response.status_code == 400
    assert response.json() == {"erreur": "Paramètre « plan_id » invalide : nombre entier attendu."}


def _call_plan() -> Any:
    from observatoire.plans.models import Plan

    return Plan.objects.filter(type="PLH", territory="EPCI:246200364", objectives__is_demo=True)


def test_demo_call_plan_objectives_cover_the_36_communes(client: Any, web: Settings) -> None:
    call = _call_plan().first()
    if call is None:
        pytest.skip("plan de démonstration de la CALL non chargé")
    rows = client.get(f"/api/v1/plans/{call.pk}/objectives?territory=EPCI:246200364").json()
    assert len({r["territory"] for r in rows}) == 36
    assert all(r["territory"].startswith("COM:") for r in rows)
    totals = [r for r in rows if r["product"] == "total"]
    assert totals and any(r["objective"] for r in totals)
    assert any(r["is_demo"] for r in rows)
    for r in rows:
        if r["objective"] and r["realised"] is not None:
            assert r["rate"] == pytest.approx(r["realised"] / r["objective"])
        else:
            assert r["rate"] is None
