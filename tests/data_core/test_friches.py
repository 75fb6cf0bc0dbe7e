"""Friches by status, the treated/remaining ratio, sites treated between two imports and
the site list, on the real Cartofriches extract (tests/fixtures/cartofriches)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from observatoire.figures import friche_sites
from observatoire.figures.reader import Reader
from observatoire.indicators.cube import build
from observatoire.indicators.query import Cube
from observatoire.settings import Settings, activate
from observatoire.territories import Territory
from observatoire.territories.referential import national
from observatoire.warehouse.imports import import_file

FIXTURE = "cartofriches/friches_standard_test-extrait.csv"
LENS = Territory.parse("EPCI:246200364")
REF = national()
# "Appel à projet Fonds Vert 2023" in 62624, its only site not "potentielle", "friche avec
# projet", 12,693 m²: made "friche reconvertie" in the next import.
TREATED = "62624_28293"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _with_status(src: Path, dest: Path, site_id: str, statut: str) -> Path:
    rows = _rows(src)
    (row,) = [r for r in rows if r["site_id"] == site_id]
    row["site_statut"] = statut
    with dest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return dest


@pytest.fixture
def one_import(settings: Settings, fixtures: Path) -> Settings:
    import_file(settings, "cartofriches", fixtures / FIXTURE)
    build(settings)
    return settings


@pytest.fixture
def two_imports(settings: Settings, fixtures: Path, tmp_path: Path) -> Settings:
    import_file(settings, "cartofriches", fixtures / FIXTURE, millesime=2023)
    later = _with_status(
        fixtures / FIXTURE, tmp_path / "friches.csv", TREATED, "friche reconvertie"
    )
    import_file(settings, "cartofriches", later, millesime=2024)
    build(settings)
    return settings


def test_counts_by_status_are_the_file_rows(one_import: Settings, fixtures: Path) -> None:
    rows = _rows(fixtures / FIXTURE)
    by_dep = Counter(
        (r["comm_insee"].zfill(5)[:2], r["site_statut"])
        for r in rows
        if r["comm_insee"].zfill(5).startswith("62")
    )
    carvin = Counter(r["site_statut"] for r in rows if r["comm_insee"] == "62160")
    with Cube(one_import, REF) as cube:
        dep = Territory.parse("DEP:62")
        com = Territory.parse("COM:62160")
        assert cube.value("friches_avec_projet", com).value == carvin["friche avec projet"] == 2
        assert cube.value("friches_sans_projet", com).value == 0
        # Every Pas-de-Calais site is in the extract: the département is the sum.
        assert cube.value("friches_sans_projet", dep).value == by_dep["62", "friche sans projet"]
        assert cube.value("friches_avec_projet", dep).value == by_dep["62", "friche avec projet"]
        assert cube.value("friches_reconverties", dep).value == 0
        surface = cube.value("friches_surface_avec_projet", com)
        assert (surface.value, surface.status) == (13767.0 + 255.0, "ok")
        marne = cube.value("friches_reconverties", Territory.parse("COM:51388"))
        assert (marne.value, marne.source, marne.millesime) == (1, "cartofriches", 2024)
        # One import only: no year to compare with, nothing counted as treated.
        single = cube.value("friches_traitees_annee", dep)
        assert (single.value, single.status, single.year) == (None, "unavailable", 2024)
        assert single.note and "un seul import Cartofriches (millésime 2024)" in single.note


def test_epci_sums_its_communes(one_import: Settings) -> None:
    members = REF.epci_members[LENS.code]
    with Cube(one_import, REF) as cube:
        epci = cube.value("friches_surface", LENS)
        communes = [cube.value("friches_surface", Territory.parse(f"COM:{c}")) for c in members]
    assert epci.status == "ok"
    assert (
        epci.value == sum(v.value or 0 for v in communes) == 100 + 6255 + 1297 + 15070 + 412 + 1220
    )


def test_site_changed_between_imports_is_treated_that_year(two_imports: Settings) -> None:
    dep = Territory.parse("DEP:62")
    with Cube(two_imports, REF) as cube:
        treated = cube.value("friches_traitees_annee", dep)
        surface = cube.value("friches_traitees_annee_surface", dep)
        commune = cube.value("friches_traitees_annee", Territory.parse("COM:62624"))
        # Already reconverted in both imports: not treated in 2024.
        marne = cube.value("friches_traitees_annee", Territory.parse("COM:51388"))
        first = [v.year for v in cube.series("friches_traitees_annee", dep)]
    assert (treated.year, treated.value, treated.status) == (2024, 1, "ok")
    assert (surface.value, surface.status) == (12693.0, "ok")
    assert commune.value == 1 and marne.value == 0
    assert first == [2024]  # the first import has nothing to compare with


def test_treated_over_remaining_is_a_ratio_of_sums(two_imports: Settings) -> None:
    with Cube(two_imports, REF) as cube:
        dep = cube.value("friches_taux_traitement", Territory.parse("DEP:62"))
        treated = cube.value("friches_taux_traitement", Territory.parse("COM:62624"), 2024)
        rates = [
            cube.value("friches_taux_traitement", Territory.parse(f"COM:{c}")).value
            for c in ("62042", "62160", "62907", "62765", "62678", "62849")
        ]
    # 2024: 1 reconverted, 1 sans projet + 6 avec projet remaining in the Pas-de-Calais.
    assert dep.value == pytest.approx(100 * 1 / 7)
    # No friche left in 62624: no rate there, and the other communes' rates are all 0.
    assert (treated.year, treated.value) == (2024, None)
    assert rates == [0.0] * 6


def test_site_list_of_a_territory(one_import: Settings) -> None:
    activate(one_import)
    listed = friche_sites(LENS)
    assert listed.millesime == 2024 and not listed.restricted
    assert {s.site_id for s in listed.sites} == {
        "62498_5371", "62523_8231", "62498_942", "62573_4358", "62413_4252", "62510_4248",
    }  # fmt: skip
    bracq = next(s for s in listed.sites if s.site_id == "62498_5371")
    assert (bracq.nom, bracq.statut, bracq.surface, bracq.commune) == (
        "Chaudronnerie Bracq", "friche potentielle", 100.0, "62498",
    )  # fmt: skip
    assert (bracq.longitude, bracq.latitude) == (2.83344, 50.43495)
    assert friche_sites(Territory.parse("COM:62119")).sites == ()  # Béthune: none recorded
    assert Reader().can_read("public", LENS)
