"""FINESS (établissements and équipements sociaux extracts): the reader and indicators.

No real FINESS extract is available here: the fixtures are small files WRITTEN from the
producer's documented record layouts (tests/fixtures/finess/README.md).
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire import figures
from observatoire.demo import demo_dir
from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings, activate
from observatoire.sources import SourceError, get
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

READ = get("finess").read
ETAB = "etalab-cs1100507-stock-20260512-0339.csv"
EQUIP = "etalab-cs1100505-stock-20260512-0339.csv"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "finess"


def value(obs: pl.DataFrame, code: str, variable: str) -> float | None:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    return None if row.is_empty() else row["value"][0]


def _copy(tmp_path: Path, edit_etab: tuple[str, str] | None = None, equip: bool = True) -> Path:
    text = (FIXTURES / ETAB).read_text(encoding="utf-8")
    if edit_etab:
        assert edit_etab[0] in text
        text = text.replace(*edit_etab, 1)
    (tmp_path / ETAB).write_text(text, encoding="utf-8")
    if equip:
        shutil.copy(FIXTURES / EQUIP, tmp_path / EQUIP)
    return tmp_path / ETAB


def test_establishments_and_places_by_type() -> None:
    batch = READ(FIXTURES / ETAB)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.part, batch.row_count) == (2026, "DEP-62", 5)
    assert set(obs["year"]) == {2026}
    # Lens: a CHRS (45 insertion + 12 urgence; 6 places of a suppressed installation
    # left out) and a FJT (80); the EHPAD (category 500) is not hébergement social.
    assert value(obs, "62498", "ETAB_HEBERGEMENT") == 2
    assert value(obs, "62498", "PLACES_CHRS") == 57
    assert value(obs, "62498", "PLACES_FJT") == 80
    assert value(obs, "62498", "PLACES_HEBERGEMENT") == 137
    assert value(obs, "62510", "PLACES_PENSION_FAMILLE") == 25
    assert value(obs, "62041", "PLACES_CADA") == 90
    points = batch.tables["etablissements"]
    assert points.height == 4 and points["x"].null_count() == 0
    assert "places lues dans " + EQUIP in " ".join(batch.notes)


def test_without_the_equipment_file_only_establishments_are_counted(tmp_path: Path) -> None:
    batch = READ(_copy(tmp_path, equip=False))
    variables = set(batch.tables["observations"]["variable"])
    assert "ETAB_CHRS" in variables and not any(v.startswith("PLACES") for v in variables)
    assert f"fichier des équipements {EQUIP} absent" in " ".join(batch.notes)


def test_renumbered_category_is_refused(tmp_path: Path) -> None:
    path = _copy(
        tmp_path,
        ("Centre Hébergement & Réinsertion Sociale (C.H.R.S.)", "Centre Hospitalier (C.H.)"),
    )
    with pytest.raises(SourceError) as err:
        READ(path)
    p = err.value.problems[0]
    assert (p.file, p.line, p.column) == (ETAB, 2, "libcategetab")
    assert p.value == "Centre Hospitalier (C.H.)"


def test_truncated_record(tmp_path: Path) -> None:
    path = _copy(
        tmp_path, (";2024-03-04;;\nstructureet;620000029", ";2024-03-04\nstructureet;620000029")
    )
    with pytest.raises(SourceError, match="champs au lieu de 33") as err:
        READ(path)
    assert err.value.problems[0].line == 2


def test_duplicate_establishment(tmp_path: Path) -> None:
    path = _copy(tmp_path, ("structureet;620000029;", "structureet;620000011;"))
    with pytest.raises(SourceError, match="doublon") as err:
        READ(path)
    assert {p.line for p in err.value.problems} == {2, 3}


def test_text_in_places(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    equip = tmp_path / EQUIP
    equip.write_text(equip.read_text(encoding="utf-8").replace(";S;45;", ";S;quarante;", 1))
    with pytest.raises(SourceError) as err:
        READ(path)
    p = err.value.problems[0]
    assert (p.file, p.line, p.column, p.value) == (EQUIP, 7, "capinstot", "quarante")


def test_equipment_file_of_another_extraction(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    equip = tmp_path / EQUIP
    equip.write_text(equip.read_text(encoding="utf-8").replace("2026-05-12", "2025-05-12", 1))
    with pytest.raises(SourceError, match="extraction de 2025"):
        READ(path)


def test_equipment_file_given_alone_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cs1100507"):
        READ(FIXTURES / EQUIP)


def test_not_a_finess_extract(tmp_path: Path) -> None:
    path = tmp_path / ETAB
    path.write_text("nofinesset;rs\n620000011;CHRS\n", encoding="utf-8")
    with pytest.raises(SourceError, match="finess;etalab") as err:
        READ(path)
    assert err.value.problems[0].line == 1


def test_latin1_extract_is_read(tmp_path: Path) -> None:
    path = tmp_path / ETAB
    path.write_bytes((FIXTURES / ETAB).read_text(encoding="utf-8").encode("cp1252"))
    assert READ(path).tables["etablissements"].height == 4


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / ETAB
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)


def _metres(lon: float, lat: float, ref_lon: float, ref_lat: float) -> float:
    """Distance on the ground between two nearby WGS84 points (equirectangular)."""
    dx = math.radians(lon - ref_lon) * math.cos(math.radians(ref_lat)) * 6_371_000
    dy = math.radians(lat - ref_lat) * 6_371_000
    return math.hypot(dx, dy)


def _point(batch_points: pl.DataFrame, nofinesset: str) -> tuple[float | None, float | None]:
    row = batch_points.filter(pl.col("nofinesset") == nofinesset)
    return row["longitude"][0], row["latitude"][0]


GEO_CHRS = "geolocalisation;620000011;686253.1;7037432.4;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,"


def test_lambert_93_false_origin_is_3e_46n30(tmp_path: Path) -> None:
    # IGN's definition of RGF93 / Lambert-93 (EPSG:2154): the false origin E 700 000 m,
    # N 6 600 000 m is longitude 3° E, latitude 46° 30' N.
    edited = GEO_CHRS.replace("686253.1;7037432.4", "700000.0;6600000.0")
    path = _copy(tmp_path, (GEO_CHRS, edited))
    lon, lat = _point(READ(path).tables["etablissements"], "620000011")
    assert lon is not None and lat is not None
    assert _metres(lon, lat, 3.0, 46.5) < 1.0


def test_fixture_points_fall_in_their_communes() -> None:
    points = READ(FIXTURES / ETAB).tables["etablissements"]
    # CHRS of Lens and CADA of Arras (invented coordinates): within 5 km of the town centres.
    lon, lat = _point(points, "620000011")
    assert lon is not None and lat is not None and _metres(lon, lat, 2.8319, 50.4320) < 5_000
    lon, lat = _point(points, "620000052")
    assert lon is not None and lat is not None and _metres(lon, lat, 2.7775, 50.2910) < 5_000


def test_drom_point_in_its_utm_zone(tmp_path: Path) -> None:
    # La Réunion: RGR92 / UTM zone 40 S (EPSG:2975); E 500 000 m is the zone's central
    # meridian, 57° E.
    edited = GEO_CHRS.replace("686253.1;7037432.4", "500000.0;7660000.0") + "UTM_S40"
    path = _copy(tmp_path, (GEO_CHRS + "LAMBERT_93", edited))
    lon, lat = _point(READ(path).tables["etablissements"], "620000011")
    assert lon is not None and lat is not None
    assert _metres(lon, lat, 57.0, lat) < 1.0 and -21.5 < lat < -20.8


def test_unknown_projection_keeps_no_point_and_is_counted(tmp_path: Path) -> None:
    path = _copy(tmp_path, (GEO_CHRS + "LAMBERT_93", GEO_CHRS + "GAUSS_LABORDE"))
    batch = READ(path)
    points = batch.tables["etablissements"]
    assert _point(points, "620000011") == (None, None)
    assert points["longitude"].null_count() == 1
    assert "1 établissement(s) non localisé(s)" in " ".join(batch.notes)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A data dir with the FINESS fixture and the populations, its cube built."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("finess"))
    import_file(settings, "finess", FIXTURES / ETAB)
    pop = demo_dir() / "populations_legales"
    latest = sorted(pop.glob("donnees_communes_millesime*.csv.gz"))[-1]  # millésime 2023
    import_file(settings, "populations_legales", latest)
    build(settings)
    return settings


@pytest.fixture(scope="module")
def cube(loaded: Settings) -> Iterator[Cube]:
    with Cube(loaded, referential_for(loaded)) as c:
        yield c


def test_etablissements_of_a_commune_and_an_epci(loaded: Settings) -> None:
    activate(loaded)
    lens = figures.etablissements(Territory.parse("COM:62498"))
    assert (lens.loaded, lens.millesime, lens.restricted) == (True, 2026, False)
    assert [(e.nom, e.type, e.places) for e in lens.items] == [
        ("CHRS LE CAP", "CHRS", 57),
        ("FJT ESPACE JEUNES", "FJT", 80),
    ]
    call = figures.etablissements(Territory.parse("EPCI:246200364"))
    # Lens and Liévin, in the order of the nomenclature; the CADA of Arras is elsewhere.
    assert [(e.nofinesset, e.commune_nom) for e in call.items] == [
        ("620000011", "Lens"),
        ("620000029", "Liévin"),
        ("620000037", "Lens"),
    ]
    assert call.categories == [
        ("CHRS", figures.ETABLISSEMENT_CATEGORIES["CHRS"]),
        ("PENSION_FAMILLE", "maisons relais - pensions de famille"),
        ("FJT", figures.ETABLISSEMENT_CATEGORIES["FJT"]),
    ]
    chrs = call.items[0]
    assert chrs.longitude is not None and chrs.latitude is not None
    assert _metres(chrs.longitude, chrs.latitude, 2.8319, 50.4320) < 5_000
    assert call.unlocated == 0
    assert figures.etablissements(Territory.parse("COM:62119")).items == ()


def test_places_per_1000_inhabitants_is_a_ratio_of_sums(cube: Cube) -> None:
    call = Territory.parse("EPCI:246200364")
    places = cube.value("hebergement_places", call)
    assert (places.value, places.year) == (137 + 25, 2026)
    population = cube.value("population_municipale", call)
    assert population.value
    per_1000 = cube.value("hebergement_places_pour_1000", call)
    assert per_1000.value == pytest.approx(1000 * 162 / population.value)
    arras = cube.value("hebergement_places_cada", Territory.parse("COM:62041"))
    assert arras.value == 90
    liévin = cube.value("hebergement_places_chrs", Territory.parse("COM:62510"))
    assert (liévin.value, liévin.status) == (0, "ok")
