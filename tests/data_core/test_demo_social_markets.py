"""Social stock (RPLS) breakdowns and DVF houses/flats on the demo: a commune's value as in
the producer's file, a parent as a ratio of sums (never a mean of commune rates)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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


def get(cube: Cube, code: str, territory: str, year: int) -> Value:
    return cube.value(code, Territory.parse(territory), year)


def test_social_stock_shares_of_a_commune_are_those_of_the_rpls_detail(cube: Cube) -> None:
    # rrrpls rpls_par_date_2019, Lens: 9,036 dwellings, 4,223 with a known DPE of which
    # 1,037 E-G; 1,466 of 1-2 rooms, 2,079 of 5+; 4,211 in QPV; 5,954 built before 1975.
    expected = {
        "lls_part_dpe_efg": 100 * 1037 / 4223,
        "lls_part_t1_t2": 100 * 1466 / 9036,
        "lls_part_t5_plus": 100 * 2079 / 9036,
        "lls_part_qpv": 100 * 4211 / 9036,
        "lls_part_avant_1975": 100 * 5954 / 9036,
    }
    for code, rate in expected.items():
        got = get(cube, code, LENS, 2019)
        assert got.status == "ok" and got.value == pytest.approx(rate), code
        assert got.source == "rpls" and got.millesime == 2019 and got.geo_vintage, code


def test_social_stock_shares_of_a_departement_are_ratios_of_sums(cube: Cube) -> None:
    # Pas-de-Calais: 54,970 of 160,839 dwellings in QPV (the DREAL publishes 34.18 %); the
    # mean of the communes' rates would be 5.2 %.
    assert get(cube, "lls_part_qpv", "DEP:62", 2019).value == pytest.approx(100 * 54970 / 160839)
    assert get(cube, "lls_part_dpe_efg", "DEP:62", 2019).value == pytest.approx(
        100 * 23602 / (160839 - 53351)
    )
    # Seven dwellings of 62865 carry the construction year 1097: unknown, not "before 1975".
    before = get(cube, "lls_part_avant_1975", "DEP:62", 2019)
    assert before.status == "ok" and before.value == pytest.approx(100 * 72524 / 160832)
    # The construction year is only in the commune detail (5 départements): Hauts-de-France
    # also has 02, 60 and 80, so its share is not derivable.
    region = get(cube, "lls_part_avant_1975", "REG:32", 2019)
    assert region.value is None and region.status == "unavailable"


def test_social_rent_per_m2_is_rents_over_surfaces_where_published(cube: Cube) -> None:
    # DREAL indicators 2019: Lens-Liévin 15,934,030 EUR / 2,822,413 m2 = 5.65 EUR/m2.
    epci = get(cube, "lls_loyer_m2", LENS_LIEVIN, 2019)
    assert epci.value == pytest.approx(15934030 / 2822413) and epci.status == "ok"
    assert get(cube, "lls_loyer_m2", "DEP:62", 2019).value == pytest.approx(54961584 / 9966556)
    assert get(cube, "lls_loyer_m2", "REG:32", 2019).value == pytest.approx(201775912 / 36594303)
    # No rent by commune in the open files: said so, not "département non couvert".
    commune = get(cube, "lls_loyer_m2", LENS, 2019)
    assert commune.value is None and commune.status == "missing"
    assert commune.note == "non publié à l'échelle communale"


def test_mobility_rate_is_used_as_published_never_averaged(cube: Cube) -> None:
    assert get(cube, "lls_taux_mobilite", LENS, 2024).value == pytest.approx(8.6921)
    assert get(cube, "lls_taux_mobilite", "DEP:62", 2019).value == pytest.approx(9.765941968158)
    # The SDES publishes no département rate in the files loaded: not a mean of communes.
    dep = get(cube, "lls_taux_mobilite", "DEP:62", 2024)
    assert dep.value is None and dep.status == "unavailable"


def test_dvf_houses_and_flats_series(cube: Cube) -> None:
    # dvf2023 (Indicateurs immobiliers par commune), Lens: 170 houses, 86 flats.
    assert get(cube, "dvf_ventes_maisons", LENS, 2023).value == 170
    assert get(cube, "dvf_ventes_appartements", LENS, 2023).value == 86
    assert get(cube, "dvf_part_appartements", LENS, 2023).value == pytest.approx(100 * 86 / 256)
    # Pas-de-Calais, 2020 to 2024: sums of the communes; the share is 2,322 / 14,680 in
    # 2023 (15.8 %), where the mean of the communes' shares would be 1.9 %.
    for year, (houses, flats, total) in {
        2020: (15109, 2774, 17883),
        2023: (12358, 2322, 14680),
        2024: (11605, 2183, 13788),
    }.items():
        assert get(cube, "dvf_ventes_maisons", "DEP:62", year).value == houses
        assert get(cube, "dvf_ventes_appartements", "DEP:62", year).value == flats
        share = get(cube, "dvf_part_appartements", "DEP:62", year)
        assert share.value == pytest.approx(100 * flats / total), year
        assert share.source == "dvf_communes" and share.millesime == year
    for year in range(2020, 2025):
        assert get(cube, "dvf_ventes_maisons", LENS_LIEVIN, year).status == "ok", year
