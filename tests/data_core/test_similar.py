"""Territoires qui me ressemblent (issue #14 §1) on the real demo cube (RP 2021, RPLS,
Filosofi): nearest territories of the same level on standardised structural indicators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from observatoire import figures
from observatoire.settings import Settings, activate
from observatoire.territories import Level, Territory

LENS = Territory(Level.COM, "62498")
LENS_LIEVIN = Territory(Level.EPCI, "246200364")


@pytest.fixture(scope="module", autouse=True)
def demo(demo_data: tuple[Path, str]) -> Iterator[None]:
    activate(Settings(data_dir=demo_data[0]))
    yield


def _population(t: Territory) -> float:
    v = figures.value("population_municipale", t)
    assert v.value is not None
    return v.value


def test_lens_neighbours_are_other_communes_of_similar_size() -> None:
    found = figures.similar(LENS, count=5)
    codes = [n.territory for n in found.neighbours]
    assert len(codes) == 5 and len(set(codes)) == 5
    assert LENS not in codes
    assert all(t.level is Level.COM and figures.exists(t) for t in codes)
    distances = [n.distance for n in found.neighbours]
    assert distances == sorted(distances) and distances[0] > 0
    # Compared on what the demo loads: population, houses, social housing, income, vacancy.
    used = [i.code for i in found.indicators]
    assert {"population_municipale", "part_maisons", "revenu_median", "taux_vacance"} <= set(used)
    # A town of 32,000 inhabitants resembles towns, not villages (half the communes of
    # France have fewer than 500 inhabitants): the same order of size.
    lens = _population(LENS)
    for t in codes:
        assert lens / 5 < _population(t) < lens * 5, (t, _population(t))


def test_epci_neighbours_are_epci() -> None:
    found = figures.similar(LENS_LIEVIN, count=3)
    assert found.neighbours
    assert all(n.territory.level is Level.EPCI for n in found.neighbours)
    assert LENS_LIEVIN not in [n.territory for n in found.neighbours]


def test_more_neighbours_keep_the_nearest_first() -> None:
    few = figures.similar(LENS, count=3).neighbours
    many = figures.similar(LENS, count=10).neighbours
    assert len(many) == 10 and many[:3] == few


def _latest_income_status() -> dict[Territory, str]:
    """The status of each commune's latest Filosofi median (the one its portrait shows),
    for the communes with a population."""
    rows = (
        figures.cube()
        .con.execute(
            "SELECT code, arg_max(status, year) FROM cube "
            "WHERE indicator = 'revenu_median' AND level = 'COM' AND status <> 'missing' "
            "AND code IN (SELECT code FROM cube WHERE indicator = 'population_municipale' "
            "AND level = 'COM' AND value IS NOT NULL) GROUP BY code ORDER BY code"
        )
        .fetchall()
    )
    return {Territory(Level.COM, code): status for code, status in rows}


def test_a_secret_value_never_places_a_neighbour() -> None:
    statuses = _latest_income_status()
    secret = {t for t, status in statuses.items() if status == "secret"}
    assert secret, "the demo has communes whose Filosofi median is under secrecy"
    target = min(secret, key=lambda t: t.code)
    found = figures.similar(target, count=5)
    # The territory's own secret figure is not a comparison criterion...
    assert "revenu_median" not in [i.code for i in found.indicators]
    assert found.neighbours
    for n in found.neighbours:
        assert "revenu_median" not in n.shared
    # ... and a neighbour whose figure is secret is compared without it: the smallest
    # commune whose median is published has neighbours whose median is not.
    # One query for every commune's latest population (a value read per commune costs
    # minutes over the 30,000 communes of the demo).
    rows = (
        figures.cube()
        .con.execute(
            "SELECT code, arg_max(value, year) FROM cube WHERE indicator = "
            "'population_municipale' AND level = 'COM' AND value IS NOT NULL GROUP BY code"
        )
        .fetchall()
    )
    population = {Territory(Level.COM, code): value for code, value in rows}
    small = min(
        (t for t, status in statuses.items() if status == "ok"),
        key=lambda t: (population[t], t.code),
    )
    many = figures.similar(small, count=50).neighbours
    masked = [n for n in many if n.territory in secret]
    assert masked
    for n in masked:
        assert "revenu_median" not in n.shared
        assert len(n.shared) >= 4
    visible = [n for n in many if statuses.get(n.territory) == "ok"]
    assert visible
    assert all("revenu_median" in n.shared for n in visible)
