"""Copropriétés fragiles (Anah / DGALN, familles A à D): the reader, the producer's secrecy
and the engine's below 11, diffusion « restreint ».

No real file is available here (handed under convention, not public): the fixture is a
small file WRITTEN from the documented content, with invented counts
(tests/fixtures/copro_fragiles/README.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire.figures.provenance import origins
from observatoire.indicators.catalog import get as indicator
from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import NOT_LOADED, Cube
from observatoire.settings import Settings
from observatoire.sources import SourceError, get
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

READ = get("copro_fragiles").read
NAME = "copro-fragiles-communes-2013-documente.csv"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "copro_fragiles" / NAME
CALL = Territory.parse("EPCI:246200364")
LENS_LINE = "62498;Commune 62498;"


def value(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str]:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1
    return row["value"][0], row["status"][0]


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="cp1252")
    assert old in text
    path = tmp_path / NAME
    path.write_text(text.replace(old, new, 1), encoding="cp1252", newline="")
    return path


def _lens() -> str:
    text = FIXTURE.read_text(encoding="cp1252")
    return next(line for line in text.splitlines() if line.startswith(LENS_LINE))


def test_read_with_the_producers_secret() -> None:
    batch = READ(FIXTURE)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.part, batch.row_count) == (2013, "DEP-62", 38)
    assert value(obs, "62041", "NB_COPRO_D") == (7, "ok")  # the engine masks it
    assert value(obs, "62119", "NB_COPRO_D") == (None, "secret")  # "s"
    assert value(obs, "62119", "NB_COPRO") == (1210, "ok")  # "1 210"


def test_restricted_with_secrecy_below_11() -> None:
    for code in ("copro_fragiles_d", "copro_fragiles_part_d"):
        ind = indicator(code)
        assert ind.diffusion == "restreint"
        assert (ind.secrecy.min_numerator, ind.secrecy.secondary) == (11, True)


def test_a_family_above_the_total(tmp_path: Path) -> None:
    lens = _lens()
    fields = lens.split(";")
    bad = ";".join([*fields[:6], str(int(fields[2]) + 1)])
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, lens, bad))
    located = {(p.line, p.column, p.value) for p in err.value.problems}
    line = 1 + FIXTURE.read_text(encoding="cp1252").splitlines().index(lens)
    assert (line, "NB_COPRO_D", str(int(fields[2]) + 1)) in located
    assert all(p.file == NAME for p in err.value.problems)


def test_families_that_do_not_add_up(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, "62041;Commune 62041;140;", "62041;Commune 62041;150;"))
    p = err.value.problems[0]
    assert (p.line, p.column, p.value) == (38, "NB_COPRO", "150")
    assert "ne s'additionnent pas" in p.message


def test_negative_count(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(
            _edited(
                tmp_path,
                "62041;Commune 62041;140;60;45;28;7",
                "62041;Commune 62041;140;60;45;28;-7",
            )
        )
    located = {(p.line, p.column, p.value, p.message) for p in err.value.problems}
    assert (38, "NB_COPRO_D", "-7", "nombre positif ou nul attendu.") in located


def test_unknown_secrecy_marker(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, ";s;s", ";<11;s"))
    p = err.value.problems[0]
    assert (p.line, p.column, p.value) == (39, "NB_COPRO_C", "<11")


def test_duplicate_commune(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="doublon"):
        READ(_edited(tmp_path, "62003;", "62001;"))


def test_missing_column(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="NB_COPRO_D"):
        READ(_edited(tmp_path, "NB_COPRO_D", "FAMILLE_D"))


def test_truncated_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, "62003;Commune 62003;80;31;21;16;12", "62003;Commune 62003;80;31"))
    assert err.value.problems[0].line == 3


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)


def test_not_loaded_says_how_to_obtain(settings: Settings) -> None:
    (origin,) = origins(indicator("copro_fragiles_d"))
    assert "DDT(M) sous convention" in origin.how_to_obtain
    assert "observatoire import copro_fragiles" in origin.how_to_obtain
    import_file(
        settings,
        "pppi",
        Path(__file__).parents[1] / "fixtures" / "pppi" / "pppi-communes-2021-documente.csv",
    )
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        v = c.value("copro_fragiles_d", CALL)
    assert (v.value, v.note) == (None, NOT_LOADED)


@pytest.fixture(scope="module")
def cube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cube]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("copro_fragiles"))
    import_file(settings, "copro_fragiles", FIXTURE)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield c


def test_below_11_is_masked_and_the_share_is_a_ratio_of_sums(cube: Cube) -> None:
    arras = cube.value("copro_fragiles_d", Territory.parse("COM:62041"))
    assert (arras.value, arras.status) == (None, "secret")  # 7 in the file
    share = cube.value("copro_fragiles_part_d", Territory.parse("COM:62041"))
    assert (share.value, share.status) == (None, "secret")
    total = cube.value("copro_fragiles_d", CALL)
    assert (total.value, total.status) == (1026, "ok")
    assert cube.value("copro_fragiles_part_d", CALL).value == pytest.approx(100 * 1026 / 5256)
    # Béthune "s": never 0.
    assert cube.value("copro_fragiles_d", Territory.parse("COM:62119")).status == "secret"
