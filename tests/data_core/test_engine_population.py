"""Population extras in the engine, on real slices: a source published by département only
is unavailable below it with the reason; the 6-year growth pairs N with N-6; density
divides by the COG 2026 areas whatever the population's year."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatoire.indicators.cube import build
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.territories import Territory
from observatoire.territories.referential import national
from observatoire.warehouse.imports import import_file

REF = national()


@pytest.fixture(scope="module")
def population_cube(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # One build for the module: a build of the whole catalog is the slow part.
    settings = Settings(tmp_path_factory.mktemp("population") / "data")
    fixtures = Path(__file__).parent.parent / "fixtures"
    for source, name in (
        ("estimations_population", "estim-pop-dep-sexe-gca-2019-2024-extrait.xlsx"),
        ("populations_series", "populations-municipales-2013-2021-extrait.csv"),
        ("surfaces_communes", "surfaces-communes-cog2026-extrait.csv"),
    ):
        import_file(settings, source, fixtures / source / name)
    build(settings)
    return settings


def test_departement_source_is_unavailable_for_a_commune_with_the_reason(
    population_cube: Settings,
) -> None:
    with Cube(population_cube, REF) as cube:
        commune = cube.value("part_75_ans_plus", Territory.parse("COM:59350"), 2024)
        epci = cube.value("part_75_ans_plus", Territory.parse("EPCI:200093201"), 2024)
        nord = cube.value("part_75_ans_plus", Territory.parse("DEP:59"), 2024)
    assert (commune.value, commune.status) == (None, "unavailable")
    assert "source départementale" in (commune.note or "")
    assert (epci.status, epci.note) == ("unavailable", commune.note)
    assert nord.value == pytest.approx(100 * 224157 / 2614334)


def test_growth_over_six_years_never_pairs_consecutive_years(population_cube: Settings) -> None:
    with Cube(population_cube, REF) as cube:
        series = cube.series("population_evolution_annuelle_6ans", Territory.parse("COM:62498"))
    assert [v.year for v in series] == [2019, 2020, 2021]
    # Lens: 31,647 (2013) -> 31,461 (2019).
    assert series[0].value == pytest.approx(100 * ((31461 / 31647) ** (1 / 6) - 1))


def test_density_divides_by_the_cog_2026_area_for_every_year(population_cube: Settings) -> None:
    with Cube(population_cube, REF) as cube:
        lens = cube.series("densite_population", Territory.parse("COM:62498"))
    assert [v.year for v in lens] == list(range(2013, 2022))
    assert lens[0].value == pytest.approx(31647 / 11.6909)
    assert lens[-1].value == pytest.approx(32618 / 11.6909)
