"""Zonages et dispositifs in the embedded demo (built once): a parent counts its communes
per zone and programme, populations are sums of populations légales, and a commune's
portrait list (figures.zonages_of) names its zones, programmes and quartiers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire.demo import demo_dir
from observatoire.figures import zonages_of
from observatoire.indicators.cube import referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings, activate
from observatoire.sources import get
from observatoire.territories import Territory

CALL = Territory.parse("EPCI:246200364")  # CA de Lens-Liévin


@pytest.fixture(scope="module")
def demo(demo_data: tuple[Path, str]) -> Iterator[tuple[Cube, Settings]]:
    settings = Settings(demo_data[0])
    with Cube(settings, referential_for(settings)) as cube:
        yield cube, settings


def _flags(source: str, variable: str) -> set[str]:
    [path] = sorted((demo_dir() / source).iterdir())
    obs = get(source).read(path).tables["observations"]
    return set(obs.filter((pl.col("variable") == variable) & (pl.col("value") == 1))["code"])


@pytest.mark.parametrize(
    ("indicator", "source", "variable"),
    [
        ("communes_zone_b1", "zonage_abc", "ZONE_B1"),
        ("communes_zone_b2", "zonage_abc", "ZONE_B2"),
        ("communes_zone_c", "zonage_abc", "ZONE_C"),
        ("communes_zone_tendue", "zone_tendue", "ZONE_TENDUE"),
        ("communes_pvd", "anct_programmes", "ANCT_PVD"),
        ("communes_thlv", "taxe_vacance", "THLV"),
    ],
)
def test_a_parent_counts_its_communes_in_the_zone(
    demo: tuple[Cube, Settings], indicator: str, source: str, variable: str
) -> None:
    cube, _ = demo
    ref = cube.ref
    flagged = _flags(source, variable)
    for parent in (CALL, Territory.parse("DEP:62"), Territory.parse("DEP:46")):
        got = cube.value(indicator, parent)
        expected = len(flagged & set(ref.communes_of(parent)))
        assert (got.value, got.status) == (expected, "ok"), (indicator, parent)


def test_lot_has_no_commune_in_zone_tendue_and_pvd_communes(demo: tuple[Cube, Settings]) -> None:
    cube, _ = demo
    lot = Territory.parse("DEP:46")
    assert cube.value("communes_zone_tendue", lot).value == 0
    assert cube.value("population_zone_tendue", lot).value == 0
    # "46029","Biars-sur-Cère","pvd-76-46-1": a Petite ville de demain.
    biars = cube.value("communes_pvd", Territory.parse("COM:46029"))
    assert (biars.value, biars.millesime, biars.geo_vintage) == (1, 2023, 2026)
    assert cube.value("communes_pvd", lot).value > 1


def test_population_in_zone_tendue_is_the_populations_legales_of_its_communes(
    demo: tuple[Cube, Settings],
) -> None:
    cube, _ = demo
    lille = Territory.parse("COM:59350")
    got = cube.value("population_zone_tendue", lille)
    assert got.value == cube.value("population_municipale", lille, 2023).value > 200_000
    assert got.note and "population municipale 2023" in got.note
    nord = Territory.parse("DEP:59")
    total = sum(
        cube.value("population_municipale", Territory.parse(f"COM:{c}"), 2023).value or 0
        for c in _flags("zone_tendue", "ZONE_TENDUE") & set(cube.ref.communes_of(nord))
    )
    assert cube.value("population_zone_tendue", nord).value == pytest.approx(total)


def test_thlv_rate_is_not_derived_above_the_commune(demo: tuple[Cube, Settings]) -> None:
    cube, _ = demo
    # 46042;THLV;0.169566150439648
    assert cube.value("thlv_taux", Territory.parse("COM:46042")).value == pytest.approx(
        16.96, abs=0.01
    )
    lot = cube.value("thlv_taux", Territory.parse("DEP:46"))
    assert lot.value is None and lot.status == "unavailable"


def test_commune_list_of_lille(demo: tuple[Cube, Settings]) -> None:
    _, settings = demo
    activate(settings)
    lines = {(z.label, z.value) for z in zonages_of(Territory.parse("COM:59350"))}
    assert ("Zone A/B/C", "zone A") in lines
    assert ("Zone tendue (taxe sur les logements vacants)", "oui") in lines
    quartiers = [v for label, v in lines if label.startswith("Quartier prioritaire")]
    assert any(v.startswith("Secteur Ouest (QP059073), 1\u202f733 habitants") for v in quartiers)
    sud = [v for v in quartiers if "QP059074" in v]
    assert sud and "47\u202f011 habitants" in sud[0] and "quartier intercommunal" in sud[0]
    assert zonages_of(CALL) == []


def test_zone_rank_is_a_commune_category_never_aggregated(demo: tuple[Cube, Settings]) -> None:
    cube, _ = demo
    # 59350,Zone A ; 62498,Zone B1 ; 46042,Zone C
    for commune, rank in (("59350", 2), ("62498", 3), ("46042", 5)):
        assert cube.value("zone_abc_rang", Territory.parse(f"COM:{commune}")).value == rank
    parent = cube.value("zone_abc_rang", CALL)
    assert parent.value is None and parent.status == "unavailable"
