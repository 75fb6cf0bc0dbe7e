"""Demo loader of the plans: shipped workbooks loaded once, demonstration objectives
split per commune (exact sums) and deterministic demonstration operations."""

from __future__ import annotations

import dataclasses
import io
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console
from tests.plans.conftest import Sheets, upload

from observatoire.settings import Settings
from observatoire.territories import Territory

Make = Callable[..., io.BytesIO]


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10, [1, 1, 1], [4, 3, 3]),
        (100, [50, 30, 20], [50, 30, 20]),
        (7, [0.5, 0.25, 0.25], [3, 2, 2]),
        (5, [0, 0], [3, 2]),
        (0, [3, 1], [0, 0]),
    ],
)
def test_largest_remainder_adds_up(
    web: Settings, total: int, weights: list[float], expected: list[int]
) -> None:
    from observatoire.plans.demo import largest_remainder

    assert largest_remainder(total, weights) == expected
    assert sum(largest_remainder(total, weights)) == total


def test_demo_objectives_and_operations(web: Settings, make_workbook: Make) -> None:
    from observatoire import figures
    from observatoire.plans.demo import demo_operations, split_objectives
    from observatoire.plans.workbook import import_workbook

    def edit(s: Sheets) -> None:
        s["Objectifs"][1:] = [
            ["EPCI:200033579", year, product, value, None]
            for year in range(2044, 2050)
            for product, value in (("total", 1310), ("plai", 157), ("plus", 367))
        ]

    plan = import_workbook(make_workbook(edit, start=2044))
    created = split_objectives(plan)
    communes = figures.referential().communes_of(Territory.parse("EPCI:200033579"))
    assert created == 6 * 3 * len(communes)
    assert split_objectives(plan) == 0  # idempotent
    sums: dict[tuple[int, str], int] = defaultdict(int)
    for o in plan.objectives.filter(territory__startswith="COM:"):
        assert o.is_demo
        sums[(o.year, o.product)] += o.value
    assert all(v == {"total": 1310, "plai": 157, "plus": 367}[p] for (_, p), v in sums.items())
    arras = plan.objectives.get(territory="COM:62041", year=2044, product="total").value
    small = min(
        plan.objectives.filter(year=2044, product="total", territory__startswith="COM:"),
        key=lambda o: o.value,
    )
    assert arras > small.value  # proportional to the résidences principales

    made = demo_operations(plan)
    assert made > 0 and demo_operations(plan) == 0
    ops = list(plan.operations.all())
    assert all(op.is_demo and op.source == "données de démonstration" for op in ops)
    realised: dict[str, int] = defaultdict(int)
    target: dict[str, int] = defaultdict(int)
    for op in ops:
        realised[op.territory] += op.dwellings
    for o in plan.objectives.filter(product="total", territory__startswith="COM:"):
        target[o.territory] += o.value
    rates = {c: realised[c] / target[c] for c in target if target[c] >= 30}
    assert max(rates.values()) <= 1.2
    assert any(r < 0.6 for r in rates.values()), "some communes clearly behind"
    assert sum(1 for r in rates.values() if r >= 0.6) > len(rates) / 2

    # Deterministic: the same plan gets the same operations again.
    first = sorted((o.territory, o.year, o.product, o.dwellings) for o in ops)
    plan.operations.all().delete()
    demo_operations(plan)
    assert sorted(plan.operations.values_list("territory", "year", "product", "dwellings")) == first


def test_load_is_idempotent(web: Settings) -> None:
    from observatoire.plans import demo
    from observatoire.plans.models import Plan

    before = Plan.objects.count()
    console = Console(file=io.StringIO(), width=200)
    demo.load(console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert Plan.objects.count() == before
    for path in demo.workbooks():
        assert path.name in output
        assert "Plan déjà présent" in output
    assert "Plan non chargé" not in output


def _comparable(parsed: Any) -> Any:
    """A parsed plan without what the workbook does not order (linked actions, actors
    and objectives are sets) nor the demonstration figures the demo adds."""
    actions = [dataclasses.replace(a, line=0, linked=sorted(a.linked)) for a in parsed.actions]
    return dataclasses.replace(
        parsed,
        source="",
        actions=actions,
        actors=sorted(parsed.actors, key=lambda a: (a.action, a.role, a.organisation)),
        objectives=sorted(
            (o for o in parsed.objectives if not o.is_demo),
            key=lambda o: (o.territory, o.year, o.product),
        ),
    )


def test_the_shipped_workbooks_come_back_identical_from_an_export(web: Settings) -> None:
    from observatoire.plans import demo
    from observatoire.plans.workbook import export_workbook, find_existing, read_workbook

    paths = demo.workbooks()
    if not paths:
        pytest.skip("aucun classeur fourni dans observatoire/data/plans")
    for path in paths:
        shipped, problems = read_workbook(path)
        assert shipped is not None, problems
        plan = find_existing(shipped)
        assert plan is not None, f"{path.name} n'a pas été chargé par la démonstration"
        exported, problems = read_workbook(upload(export_workbook(plan), path.name))
        assert exported is not None, problems
        assert _comparable(_shipped_states(exported, plan)) == _comparable(shipped), path.name


def _shipped_states(exported: Any, plan: Any) -> Any:
    """The states the demo gives a finished plan (plans.demo.finished_states) are exported
    as they are stored; compared with the shipped workbook, they go back to its states
    (every action "à lancer", every milestone "à venir", as test_seed_call checks)."""
    from observatoire.plans.models import DEMO_STATUS_COMMENT, StatusChange

    changes = StatusChange.objects.filter(action__plan=plan, comment=DEMO_STATUS_COMMENT)
    if not changes.exists():
        return exported
    stored = dict(plan.actions.values_list("number", "status"))
    assert {a.number: a.status for a in exported.actions} == stored
    stored_milestones = sorted((m.status, m.done_on) for m in _milestones(plan))
    assert sorted((m.status, m.done_on) for m in exported.milestones) == stored_milestones
    return dataclasses.replace(
        exported,
        actions=[dataclasses.replace(a, status="a_lancer") for a in exported.actions],
        milestones=[
            dataclasses.replace(m, status="a_venir", done_on=None) for m in exported.milestones
        ],
    )


def _milestones(plan: Any) -> list[Any]:
    from observatoire.plans.models import Milestone

    return list(Milestone.objects.filter(action__plan=plan))
