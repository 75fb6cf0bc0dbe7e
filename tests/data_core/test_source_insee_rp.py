from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, get

READ = get("insee_rp_logement").read
SUBSET = "insee_rp_logement/base-cc-logement-2021-extrait.csv"
FULL = "insee_rp_logement/base-cc-logement-2021-officiel-extrait.csv"


def value(obs: pl.DataFrame, code: str, variable: str) -> float:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1
    return float(row["value"][0])


def test_subset_layout_restores_leading_zeros_and_reads_2021(fixtures: Path) -> None:
    batch = READ(fixtures / SUBSET)
    obs = batch.tables["observations"]
    assert batch.millesime == 2021 and batch.layout == "extrait"
    # No commune of this extract tells the 2023 geography from the 2024 one: the older.
    assert batch.geo_vintage == 2023
    assert set(obs["year"].unique()) == {2021}  # the P10_* columns of the subset are empty
    assert value(obs, "01001", "LOG") == pytest.approx(372.387493855914)
    assert value(obs, "62498", "LOGVAC") == pytest.approx(1972.552878, rel=1e-6)
    assert "2A004" in set(obs["code"])
    assert batch.row_count == 44


def test_official_layout_is_recognised(fixtures: Path) -> None:
    batch = READ(fixtures / FULL)
    assert batch.layout == "officiel"
    obs = batch.tables["observations"]
    assert value(obs, "01001", "RP") == pytest.approx(341.234562367113)


def test_millesime_must_match_columns(fixtures: Path) -> None:
    with pytest.raises(SourceError, match="millésime demandé"):
        READ(fixtures / SUBSET, millesime=2019)


def _broken(tmp_path: Path, fixtures: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    text = (fixtures / SUBSET).read_text(encoding="utf-8")
    path = tmp_path / "base-cc-logement-2021.csv"
    path.write_bytes(edit(text))
    return path


def test_text_in_a_number_names_line_column_value(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> bytes:
        lines = text.splitlines(keepends=True)
        cells = lines[3].split(";")
        cells[1] = "douze"
        lines[3] = ";".join(cells)
        cells = lines[5].split(";")
        cells[4] = "1,5,3"
        lines[5] = ";".join(cells)
        return "".join(lines).encode()

    with pytest.raises(SourceError) as exc:
        READ(_broken(tmp_path, fixtures, edit))
    problems = exc.value.problems
    assert [(p.line, p.column, p.value) for p in problems] == [
        (4, "P21_LOG", "douze"),
        (6, "P21_LOGVAC", "1,5,3"),
    ]
    assert "ligne 4" in str(exc.value) and "« P21_LOG »" in str(exc.value)


def test_missing_column(tmp_path: Path, fixtures: Path) -> None:
    path = _broken(tmp_path, fixtures, lambda t: t.replace("P21_LOGVAC", "P21_VAC", 1).encode())
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].column == "P21_LOGVAC"
    assert "absente" in exc.value.problems[0].message


def test_duplicate_commune(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> bytes:
        lines = text.splitlines(keepends=True)
        return "".join([*lines, lines[2]]).encode()

    with pytest.raises(SourceError) as exc:
        READ(_broken(tmp_path, fixtures, edit))
    assert {p.line for p in exc.value.problems} == {3, 46}
    assert "doublon" in exc.value.problems[0].message


def test_truncated_file(tmp_path: Path, fixtures: Path) -> None:
    path = _broken(tmp_path, fixtures, lambda t: t.encode()[:-60])
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].line == 45
    assert "champs au lieu de 12" in exc.value.problems[0].message


def test_negative_count_is_refused(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> bytes:
        lines = text.splitlines(keepends=True)
        cells = lines[1].split(";")
        cells[2] = "-4"
        lines[1] = ";".join(cells)
        return "".join(lines).encode()

    with pytest.raises(SourceError) as exc:
        READ(_broken(tmp_path, fixtures, edit))
    assert (exc.value.problems[0].line, exc.value.problems[0].column) == (2, "P21_RP")


@pytest.mark.parametrize("content", [b"", b"   \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "vide.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="vide"):
        READ(path)


def test_wrong_encoding_utf16(tmp_path: Path, fixtures: Path) -> None:
    path = _broken(tmp_path, fixtures, lambda t: t.encode("utf-16"))
    with pytest.raises(SourceError):
        READ(path)


def test_gzipped_file_reads_the_same(tmp_path: Path, fixtures: Path) -> None:
    import gzip

    gz = tmp_path / "base.csv.gz"
    gz.write_bytes(gzip.compress((fixtures / SUBSET).read_bytes()))
    plain = READ(fixtures / SUBSET).tables["observations"]
    assert READ(gz).tables["observations"].equals(plain)
    shutil.rmtree(tmp_path)


DEMO_RP = (
    Path(__file__).parents[2]
    / "src/observatoire/data/demo/insee_rp_logement/base-cc-logement-2021-subset.csv.gz"
)


def test_the_national_file_is_read_on_its_own_geography(tmp_path: Path) -> None:
    """The base-cc-logement-2021 in circulation is on the COG 2024 (none of the 13 communes
    merged on 1 January 2024, all 64 merged on 1 January 2025), and INSEE leaves blank the
    communes restored that day: their dwellings are in the commune they left."""
    from observatoire.indicators.cube import build, referential_for
    from observatoire.indicators.query import Cube
    from observatoire.settings import Settings
    from observatoire.territories import Territory
    from observatoire.warehouse.imports import import_file

    batch = READ(DEMO_RP)
    assert batch.geo_vintage == 2024
    obs = batch.tables["observations"]
    assert "60694" not in set(obs["code"])  # Villotran, restored in 2024: blank row
    origin = obs.filter(pl.col("code") == "60054")
    assert set(origin["geo_vintage"]) == {2023}  # Les Hauts-Talican, Villotran included
    settings = Settings.from_env(tmp_path)
    import_file(settings, "insee_rp_logement", DEMO_RP)
    build(settings)
    with Cube(settings, referential_for(settings)) as cube:
        france = cube.value("taux_vacance", Territory.parse("FR"), 2021)
        bazeilles = cube.value("log_total", Territory.parse("COM:08053"), 2021)
        villotran = cube.value("log_total", Territory.parse("COM:60694"), 2021)
        oise = cube.value("log_total", Territory.parse("DEP:60"), 2021)
    # Before: "11 commune(s) sans valeur connue", then "3 commune(s)...".
    assert france.status == "ok" and france.value == pytest.approx(8.1, abs=0.05)
    assert bazeilles.status == "ok"  # merged with La Moncelle in 2024: whole in the file
    assert villotran.status == "estimated" and villotran.value > 0
    assert oise.status == "ok"  # holds both parts: exact
