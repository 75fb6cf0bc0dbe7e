from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, get

READ = get("populations_series").read
NAME = "populations-municipales-2013-2021-extrait.csv"


def pmun(obs: pl.DataFrame, code: str, year: int) -> tuple[float, int]:
    found = obs.filter((pl.col("code") == code) & (pl.col("year") == year))
    assert found.height == 1, (code, year)
    assert found["status"][0] == "ok"
    return float(found["value"][0]), int(found["geo_vintage"][0])


def _edited(tmp_path: Path, fixtures: Path, edit: Callable[[str], str]) -> Path:
    text = (fixtures / "populations_series" / NAME).read_bytes().decode("utf-8")
    path = tmp_path / NAME
    path.write_bytes(edit(text).encode("utf-8"))
    return path


def test_each_year_column_is_a_millesime_on_the_cog_of_n_plus_2(fixtures: Path) -> None:
    batch = READ(fixtures / "populations_series" / NAME)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.geo_vintage, batch.row_count) == (2021, 2023, 9)
    assert set(obs["year"]) == set(range(2013, 2022))
    # Lens in the file: 31,647 in 2013, 30,413 in 2015, 32,618 in 2021 (= populations légales).
    assert pmun(obs, "62498", 2013) == (31647, 2015)
    assert pmun(obs, "62498", 2015) == (30413, 2017)
    assert pmun(obs, "62498", 2021) == (32618, 2023)
    assert pmun(obs, "59350", 2019) == (234475, 2021)


def test_an_empty_cell_is_a_code_that_did_not_exist_that_year(fixtures: Path) -> None:
    obs = READ(fixtures / "populations_series" / NAME).tables["observations"]
    vimarce = obs.filter(pl.col("code") == "53274")
    assert sorted(vimarce["year"]) == list(range(2013, 2019))
    assert sorted(obs.filter(pl.col("code") == "76601")["year"]) == list(range(2017, 2022))


def test_text_in_a_population_is_located(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace(",31647,", ",trente mille,", 1))
    with pytest.raises(SourceError) as err:
        READ(path)
    p = err.value.problems[0]
    assert (p.line, p.column, p.value) == (8, "p13_pop", "trente mille")
    assert NAME in err.value.render()


def test_negative_population_is_refused(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace(",31647,", ",-31647,", 1))
    with pytest.raises(SourceError) as err:
        READ(path)
    assert err.value.problems[0].column == "p13_pop"


def test_duplicate_commune(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\r\n")
        return "\r\n".join([*lines[:3], lines[1], *lines[3:]])

    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, fixtures, edit))
    assert {p.line for p in err.value.problems} == {2, 4}
    assert err.value.problems[0].value == "2A004"


def test_missing_code_column(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace("codgeo", "code", 1))
    with pytest.raises(SourceError) as err:
        READ(path)
    assert (err.value.problems[0].line, err.value.problems[0].column) == (1, "codgeo")


def test_truncated_line_and_wrong_encoding(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace(",32458,32618", "", 1))
    with pytest.raises(SourceError) as err:
        READ(path)
    assert err.value.problems[0].line == 8
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(
        (fixtures / "populations_series" / NAME)
        .read_bytes()
        .replace("Vimarcé".encode(), "Vimarcé".encode("latin-1"))
    )
    with pytest.raises(SourceError, match="encodage"):
        READ(latin)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)
