"""Population extras on the demo: the census series 2013-2021, density from the shipped
COG 2026 areas, shares of the 60+ and 75+ from INSEE's département estimates."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from observatoire.demo import demo_dir
from observatoire.indicators.cube import referential_for
from observatoire.indicators.query import Cube, Value
from observatoire.settings import Settings
from observatoire.territories import Territory

LENS = "COM:62498"
LENS_LIEVIN = "EPCI:246200364"


@pytest.fixture(scope="module")
def cube(demo_data: tuple[Path, str]) -> Iterator[Cube]:
    settings = Settings(demo_data[0])
    with Cube(settings, referential_for(settings)) as c:
        yield c


def get(cube: Cube, code: str, territory: str, year: int | None = None) -> Value:
    return cube.value(code, Territory.parse(territory), year)


def shipped_area(code: str) -> float:
    path = demo_dir() / "surfaces_communes" / "surfaces-communes-cog2026.csv.gz"
    for line in gzip.decompress(path.read_bytes()).decode().splitlines()[1:]:
        commune, km2, _ = line.split(";")
        if commune == code:
            return float(km2)
    raise KeyError(code)


def test_census_series_fills_the_years_without_populations_legales(cube: Cube) -> None:
    # Lens in the series file: 31,647 (2013), 30,413 (2015), 32,458 (2020).
    for year, population in {2013: 31647, 2015: 30413, 2020: 32458}.items():
        value = get(cube, "population_municipale", LENS, year)
        assert (value.value, value.status, value.source) == (
            population,
            "ok",
            "populations_series",
        )
        assert (value.millesime, value.geo_vintage) == (2021, year + 2)
    # Years with both files: the populations légales, the same figure.
    both = get(cube, "population_municipale", LENS, 2021)
    assert (both.value, both.source) == (32618, "populations_legales")
    assert [v.year for v in cube.series("population_municipale", Territory.parse(LENS))] == [
        *range(2013, 2022),
        2023,
    ]


def test_six_year_growth_is_that_of_summed_populations(cube: Cube) -> None:
    lens = get(cube, "population_evolution_annuelle_6ans", LENS, 2021)
    assert lens.value == pytest.approx(100 * ((32618 / 30413) ** (1 / 6) - 1))
    assert "2015 et 2021" in (lens.note or "")
    communes = cube.ref.communes_of(Territory.parse(LENS_LIEVIN))
    start = sum(get(cube, "population_municipale", f"COM:{c}", 2015).value or 0 for c in communes)
    end = sum(get(cube, "population_municipale", f"COM:{c}", 2021).value or 0 for c in communes)
    epci = get(cube, "population_evolution_annuelle_6ans", LENS_LIEVIN, 2021)
    assert epci.status == "ok"
    assert epci.value == pytest.approx(100 * ((end / start) ** (1 / 6) - 1))
    # No rate between two consecutive census years.
    assert [
        v.year for v in cube.series("population_evolution_annuelle_6ans", Territory.parse(LENS))
    ] == [2019, 2020, 2021]


def test_lens_density_from_the_shipped_area(cube: Cube) -> None:
    area = shipped_area("62498")
    density = get(cube, "densite_population", LENS, 2023)
    assert density.value == pytest.approx(32920 / area)
    assert density.status == "ok"
    old = get(cube, "densite_population", LENS, 2015)
    assert old.value == pytest.approx(30413 / area)


def test_parent_density_is_summed_population_over_summed_area(cube: Cube) -> None:
    communes = cube.ref.communes_of(Territory.parse(LENS_LIEVIN))
    population = get(cube, "population_municipale", LENS_LIEVIN, 2023).value
    area = sum(shipped_area(c) for c in communes)
    density = get(cube, "densite_population", LENS_LIEVIN, 2023)
    assert population and density.value == pytest.approx(population / area)
    nord = get(cube, "densite_population", "DEP:59", 2023)
    assert nord.status == "ok" and 400 < (nord.value or 0) < 500


def test_nord_share_of_75_and_over_as_in_the_file(cube: Cube) -> None:
    # Nord, 1 January 2024: 224,157 aged 75+ of 2,614,334 (estimations de population).
    nord = get(cube, "part_75_ans_plus", "DEP:59", 2024)
    assert nord.value == pytest.approx(100 * 224157 / 2614334)
    assert (nord.status, nord.source, nord.millesime) == ("ok", "estimations_population", 2024)
    evolution = get(cube, "part_75_ans_plus_evolution", "DEP:59", 2024)
    assert evolution.value == pytest.approx(100 * 224157 / 2614334 - 100 * 195558 / 2608346)
    france = get(cube, "part_60_ans_plus", "FR", 2024)
    assert france.value == pytest.approx(100 * (11881138 + 7106175) / 68373433)
    assert get(cube, "part_75_ans_plus", "REG:32", 2024).status == "ok"
    assert len(cube.series("part_75_ans_plus", Territory.parse("DEP:59"))) == 50


@pytest.mark.parametrize("territory", [LENS, LENS_LIEVIN])
def test_share_of_75_and_over_is_unavailable_below_the_departement(
    cube: Cube, territory: str
) -> None:
    value = get(cube, "part_75_ans_plus", territory, 2024)
    assert (value.value, value.status) == (None, "unavailable")
    assert "source départementale" in (value.note or "")
