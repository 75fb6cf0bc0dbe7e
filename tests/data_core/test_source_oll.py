"""Observatoires locaux des loyers (ANIL): the reader on real extracts, and the zones'
published values in a cube, attached to the territory each zone covers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import SourceError, get
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

READ = get("oll").read
NAME = "Base_OP_2021_Nationale-extrait.csv"
FIXTURE = "oll/" + NAME
MEL = "200093201"
CUA = "200033579"
LILLE_TOTAL = "B5900;2021;Agglomération de Lille;;;;;;7,6;9,4;11,4;"


def value(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str]:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1, (code, variable)
    return row["value"][0], row["status"][0]


def _edited(tmp_path: Path, fixtures: Path, edit: Callable[[str], str]) -> Path:
    path = tmp_path / NAME
    text = (fixtures / FIXTURE).read_text(encoding="latin-1")
    path.write_text(edit(text), encoding="latin-1")
    return path


def _refused(path: Path) -> SourceError:
    with pytest.raises(SourceError) as err:
        READ(path)
    assert NAME in err.value.render()
    return err.value


def test_zones_as_in_the_file(fixtures: Path) -> None:
    batch = READ(fixtures / FIXTURE)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.geo_vintage) == (2021, 2021)
    assert set(obs["year"]) == {2021}
    # Lille 2021, all dwellings: median 11,4, mean 10,6, 27,536 observations (line 2).
    assert value(obs, MEL, "OLL_LOYER_MEDIAN") == (11.4, "ok")
    assert value(obs, MEL, "OLL_LOYER_MOYEN") == (10.6, "ok")
    assert value(obs, MEL, "OLL_NB_OBSERVATIONS") == (27536, "ok")
    assert value(obs, MEL, "OLL_LOYER_MEDIAN_APPARTEMENT") == (12.1, "ok")
    assert value(obs, MEL, "OLL_LOYER_MEDIAN_MAISON") == (9.2, "ok")
    assert value(obs, MEL, "OLL_LOYER_MEDIAN_1P") == (15.9, "ok")
    assert value(obs, MEL, "OLL_LOYER_MEDIAN_4P") == (9.0, "ok")
    # Zone "Ville centre" = the city of Lille (line 22); Arras (line 62).
    assert value(obs, "59350", "OLL_LOYER_MEDIAN") == (13.1, "ok")
    assert value(obs, CUA, "OLL_LOYER_MEDIAN") == (9.2, "ok")
    # "Périphérie" is not a territory: nothing attached for it.
    assert set(obs["code"]) == {MEL, CUA, "59350"}


def test_2014_spelling_and_4_rooms_label(fixtures: Path) -> None:
    obs = READ(fixtures / "oll/Base_OP_2014_Nationale-extrait.csv").tables["observations"]
    # nombre_obsservations; "Ensemble 4P et plus".
    assert value(obs, MEL, "OLL_LOYER_MEDIAN") == (10.9, "ok")
    assert value(obs, MEL, "OLL_NB_OBSERVATIONS")[1] == "ok"
    assert value(obs, MEL, "OLL_LOYER_MEDIAN_4P")[1] == "ok"


def test_arras_rows_repeated_in_2018_are_kept_once(fixtures: Path) -> None:
    obs = READ(fixtures / "oll/Base_OP_2018_Nationale-extrait.csv").tables["observations"]
    assert value(obs, CUA, "OLL_LOYER_MEDIAN") == (9.0, "ok")
    assert value(obs, "59350", "OLL_LOYER_MEDIAN") == (13.0, "ok")


def test_two_different_rows_under_one_key(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")
        return "\n".join([*lines[:2], lines[1].replace(";11,4;", ";11,5;"), *lines[2:]])

    err = _refused(_edited(tmp_path, fixtures, edit))
    assert {p.line for p in err.problems} == {2, 3}
    assert err.problems[0].value and err.problems[0].value.startswith("B5900 / 2021")


def test_text_in_a_rent(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace(LILLE_TOTAL, LILLE_TOTAL[:-5] + "onze;"))
    p = _refused(path).problems[0]
    assert (p.line, p.column, p.value) == (2, "loyer_median", "onze")


def test_negative_count(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace(";27536;", ";-27536;"))
    p = _refused(path).problems[0]
    assert (p.line, p.column, p.value) == (2, "nombre_observations", "-27536")


def test_two_years_in_one_file(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace("B6200;2021;", "B6200;2020;"))
    p = _refused(path).problems[0]
    assert (p.column, p.value) == ("Data_year", "2020")


def test_missing_column(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace("loyer_median;", "median;", 1))
    with pytest.raises(SourceError, match="loyer_median"):
        READ(path)


def test_truncated_line(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")
        lines[4] = lines[4][:40]
        return "\n".join(lines)

    assert _refused(_edited(tmp_path, fixtures, edit)).problems[0].line == 5


def test_utf8_copy_reads_the_same(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / NAME
    path.write_text((fixtures / FIXTURE).read_text(encoding="latin-1"), encoding="utf-8")
    utf8 = READ(path).tables["observations"]
    assert utf8.equals(READ(fixtures / FIXTURE).tables["observations"])


def test_byte_undefined_in_windows_1252(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / NAME
    raw = (fixtures / FIXTURE).read_bytes().replace(b"Lille;;;;;;7,6", b"Lille\x81;;;;;;7,6", 1)
    path.write_bytes(raw)
    with pytest.raises(SourceError, match="cp1252") as err:
        READ(path)
    assert err.value.problems[0].line == 2


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)


@pytest.fixture(scope="module")
def cube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cube]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("oll"))
    root = Path(__file__).parents[1] / "fixtures" / "oll"
    for name in ("Base_OP_2018_Nationale-extrait.csv", NAME):
        import_file(settings, "oll", root / name)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield c


def test_series_of_a_zone_on_its_territory(cube: Cube) -> None:
    series = cube.series("oll_loyer_median", Territory.parse(f"EPCI:{MEL}"))
    got = [(v.year, v.value, v.status) for v in series if v.value is not None]
    assert got == [(2018, 11.0, "ok"), (2021, 11.4, "ok")]
    last = series[-1]
    assert (last.source, last.millesime, last.geo_vintage) == ("oll", 2021, 2026)
    assert "MEL" in (last.note or "")
    lille = cube.value("oll_loyer_median", Territory.parse("COM:59350"))
    assert (lille.value, lille.year) == (13.1, 2021)


def test_no_value_where_no_zone_is_published(cube: Cube) -> None:
    for territory in ("DEP:59", "EPCI:246200364", "FR"):
        got = cube.value("oll_loyer_median", Territory.parse(territory))
        assert (got.value, got.status) == (None, "unavailable"), territory
        assert "zone d'observation" in (got.note or "")
    # A commune of the MEL other than Lille lies in the "Périphérie" zone: not attached.
    roubaix = cube.value("oll_loyer_median", Territory.parse("COM:59512"))
    assert roubaix.value is None
