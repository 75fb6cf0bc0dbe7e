"""Provenance of every figure: millésime, COG vintage and status, and notes that are true.

The data test runs on the demo cube as `observatoire demo` builds it (like the data tests
of MTES-MCT/sparte): no value a user can read lacks the millésime of its file or the COG
of its codes. The Filosofi cases use the real INSEE files of the demo and of
tests/fixtures/filosofi.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

CC = "filosofi/cc_filosofi_2021_COM-extrait.csv"
DISP = "filosofi/FILO2019_DISP_COM-extrait.csv"
# TP6021 of the INSEE département file cc_filosofi_2021_DEP.csv, as quoted in issue #10
# (the supra-communal Filosofi files are held out of this repository, SOURCES.md §11).
POVERTY_2021 = {"14": 12.5, "46": 15.3, "53": 11.5, "59": 19.5, "62": 18.4}
# Q219 of FILO2019_DISP_METROPOLE.csv (one row, CODGEO "1", "France métropolitaine"),
# as quoted in issue #10.
FRANCE_MEDIAN_2019 = 21930.0


@pytest.fixture(scope="module")
def demo_cube(demo_data: tuple[Path, str]) -> Iterator[Cube]:
    settings = Settings(demo_data[0])
    with Cube(settings, referential_for(settings)) as cube:
        yield cube


def test_every_demo_value_has_millesime_and_cog(demo_data: tuple[Path, str]) -> None:
    con = duckdb.connect(str(Settings(demo_data[0]).cube_path), read_only=True)
    try:
        total, orphans = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE millesime IS NULL OR geo_vintage IS NULL) "
            "FROM cube WHERE status IN ('ok', 'estimated', 'secret', 'missing')"
        ).fetchone() or (0, 0)
        sample = con.execute(
            "SELECT indicator, level, code, year, status, note FROM cube "
            "WHERE status IN ('ok', 'estimated', 'secret', 'missing') "
            "AND (millesime IS NULL OR geo_vintage IS NULL) LIMIT 5"
        ).fetchall()
    finally:
        con.close()
    assert total > 1_000_000  # the whole demo cube, not an empty table
    assert orphans == 0, sample


def test_zero_of_a_commune_absent_from_the_file_has_its_provenance(demo_cube: Cube) -> None:
    # Avion 62065 has no brownfield in the Cartofriches extract: 0, read from that file.
    v = demo_cube.value("friches_nombre", Territory.parse("COM:62065"))
    assert (v.value, v.status, v.note) == (0.0, "ok", "absente du fichier")
    assert v.millesime is not None and v.geo_vintage is not None


def test_commune_absent_from_filosofi_is_secret(demo_cube: Cube) -> None:
    # Avesnes 62062 is absent from FILO2019_DISP_COM (INSEE leaves out the communes of very
    # few fiscal households) and `s` in cc_filosofi_2021_COM: secret both years.
    for year in (2019, 2021):
        v = demo_cube.value("revenu_median", Territory.parse("COM:62062"), year)
        assert (v.value, v.status) == (None, "secret")
        assert (v.millesime, v.geo_vintage) == (year, {2019: 2020, 2021: 2024}[year])
    assert "secret" in (
        demo_cube.value("revenu_median", Territory.parse("COM:62062"), 2019).note or ""
    )
    # Guadeloupe is outside the field of both files: missing, not secret.
    out = demo_cube.value("revenu_median", Territory.parse("COM:97101"), 2021)
    assert (out.status, out.note) == ("missing", "département non couvert")


def _filosofi_file(fixtures: Path, src: str, path: Path, rows: dict[str, dict[str, str]]) -> Path:
    """A file with the header of a real INSEE slice and only the published fields given;
    every other field is `nd` (not available), so nothing else is read from it."""
    header = (fixtures / src).read_bytes().decode("utf-8-sig").splitlines()[0].split(";")
    lines = [";".join(header)]
    for code, fields in rows.items():
        lines.append(";".join(code if c == "CODGEO" else fields.get(c, "nd") for c in header))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_departement_poverty_rates_published_by_insee(
    settings: Settings, fixtures: Path, tmp_path: Path
) -> None:
    import_file(settings, "filosofi", fixtures / CC)
    build(settings)
    ref = referential_for(settings)
    with Cube(settings, ref) as cube:
        before = cube.value("taux_pauvrete", Territory.parse("DEP:62"), 2021)
    # Without the département file the rate is not "unpublished": INSEE publishes it.
    assert (before.value, before.status) == (None, "unavailable")
    assert "non publiée" not in (before.note or "")
    assert "fichier non importé" in (before.note or "")
    assert (before.millesime, before.geo_vintage) == (2021, 2024)

    rows = {dep: {"TP6021": str(rate).replace(".", ",")} for dep, rate in POVERTY_2021.items()}
    dep_file = _filosofi_file(fixtures, CC, tmp_path / "cc_filosofi_2021_DEP.csv", rows)
    import_file(settings, "filosofi", dep_file)
    build(settings)
    with Cube(settings, ref) as cube:
        for dep, rate in POVERTY_2021.items():
            v = cube.value("taux_pauvrete", Territory.parse(f"DEP:{dep}"), 2021)
            assert (v.value, v.status, v.note) == (rate, "ok", None), dep
            assert (v.millesime, v.geo_vintage) == (2021, 2024)


def test_france_metropolitaine_median_says_its_perimeter(
    settings: Settings, fixtures: Path, tmp_path: Path
) -> None:
    from observatoire.portal import exports

    import_file(settings, "filosofi", fixtures / DISP)
    france = tmp_path / "FILO2019_DISP_METROPOLE.csv"
    france = _filosofi_file(
        fixtures, DISP, france, {"1": {"LIBGEO": "France métropolitaine", "Q219": "21930"}}
    )
    import_file(settings, "filosofi", france)
    build(settings)
    with Cube(settings, referential_for(settings)) as cube:
        v = cube.value("revenu_median", Territory.parse("FR"), 2019)
    # The value stays as INSEE published it; its perimeter goes with it everywhere.
    assert (v.value, v.status) == (FRANCE_MEDIAN_2019, "ok")
    assert (v.millesime, v.geo_vintage) == (2019, 2020)
    assert "France métropolitaine" in (v.note or "")
    assert "France métropolitaine" in v.as_dict()["note"]  # API /values, CLI --format json
    line = exports.row(v)  # CSV and XLSX
    assert (line["valeur"], line["millesime"], line["millesime_cog"]) == (21930.0, 2019, 2020)
    assert "France métropolitaine" in line["note"]
