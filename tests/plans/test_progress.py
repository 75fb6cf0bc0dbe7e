"""Objectives against realisations: ratios of sums, cumulation, behind-schedule flag."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from observatoire.settings import Settings
from observatoire.territories import Territory

LENS, LIEVIN = "COM:62498", "COM:62510"


@pytest.fixture
def plan(web: Settings) -> Any:
    from observatoire.plans.models import Objective, Operation, Plan

    p = Plan.objects.create(
        title="PLH test progression",
        type="PLH",
        territory="EPCI:246200364",
        start_year=2020,
        end_year=2025,
    )
    for year in range(2020, 2026):
        Objective.objects.create(plan=p, territory=LENS, year=year, product="total", value=100)
        Objective.objects.create(plan=p, territory=LIEVIN, year=year, product="total", value=10)
        Objective.objects.create(plan=p, territory=LENS, year=year, product="plai", value=20)
    # Lens: 90 + 95 = 185 of 200 (on track); Liévin: 2 + 1 = 3 of 20 (behind).
    Operation.objects.create(plan=p, territory=LENS, year=2020, product="plai", dwellings=30)
    Operation.objects.create(
        plan=p, territory=LENS, year=2020, product="accession_libre", dwellings=60
    )
    Operation.objects.create(plan=p, territory=LENS, year=2021, product="plus", dwellings=95)
    Operation.objects.create(plan=p, territory=LIEVIN, year=2020, product="pls", dwellings=2)
    Operation.objects.create(
        plan=p, territory=LIEVIN, year=2021, product="plai", dwellings=1, is_demo=True
    )
    return p


def test_cells_cover_every_commune_year_and_product(plan: Any) -> None:
    from observatoire.plans import progress

    rows = progress.cells(plan, today=date(2022, 6, 1))
    assert len(rows) == 36 * 6 * len(progress.PRODUCTS)
    by_key = {(c.territory.id, c.year, c.product): c for c in rows}
    assert by_key[(LENS, 2020, "total")].realised == 90
    assert by_key[(LENS, 2020, "plai")].realised == 30
    assert by_key[(LENS, 2020, "plai")].rate == pytest.approx(1.5)
    # A past year without any operation is 0; a year not started yet is unknown.
    assert by_key[(LENS, 2022, "total")].realised == 0
    assert by_key[(LENS, 2023, "total")].realised is None
    assert by_key[(LIEVIN, 2021, "plai")].is_demo
    assert not by_key[(LENS, 2021, "total")].is_demo


def test_cumulated_progress_flags_the_commune_behind(plan: Any) -> None:
    from observatoire.plans import progress

    rows = progress.cells(plan, Territory.parse("EPCI:246200364"), today=date(2022, 6, 1))
    cumulated = {p.territory.id: p for p in progress.cumulate(rows, 2021)}
    assert (cumulated[LENS].objective, cumulated[LENS].realised) == (200, 185)
    assert not cumulated[LENS].behind
    assert (cumulated[LIEVIN].objective, cumulated[LIEVIN].realised) == (20, 3)
    assert cumulated[LIEVIN].behind and cumulated[LIEVIN].is_demo
    # A commune without objective is never "behind".
    other = next(p for t, p in cumulated.items() if t not in (LENS, LIEVIN))
    assert other.objective is None and not other.behind


def test_a_group_rate_is_a_ratio_of_sums_not_a_mean_of_rates(plan: Any) -> None:
    from observatoire.plans import progress

    rows = progress.cells(plan, today=date(2022, 6, 1))
    epci = progress.total(progress.cumulate(rows, 2021), "EPCI:246200364")
    assert (epci.objective, epci.realised) == (220, 188)
    assert epci.rate == pytest.approx(188 / 220)  # the mean of rates would be 0.5375
