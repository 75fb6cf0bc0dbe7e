"""Carte des loyers 2018 (DHUP / UMR CESAER): the reader on a real extract, and its
indicators in a cube (published per commune, never aggregated)."""

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

READ = get("carte_loyers").read
NAME = "indicateurs-loyers-appartements-2018-extrait.csv"
FIXTURE = "carte_loyers/" + NAME
LENS_LINE = 12
LENS = "62498;Lens;62;32;246200364;commune;10,69885522;"


def value(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str]:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1
    return row["value"][0], row["status"][0]


def _edited(tmp_path: Path, fixtures: Path, edit: Callable[[str], str]) -> Path:
    path = tmp_path / NAME
    text = (fixtures / FIXTURE).read_text(encoding="utf-8")
    path.write_text(edit(text), encoding="utf-8")
    return path


def _refused(path: Path) -> SourceError:
    with pytest.raises(SourceError) as err:
        READ(path)
    assert NAME in err.value.render()
    return err.value


def test_lens_as_in_the_file(fixtures: Path) -> None:
    batch = READ(fixtures / FIXTURE)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.geo_vintage, batch.row_count) == (2018, 2017, 12)
    # 971;62498;Lens;62;32;246200364;commune;10,69885522;8,720648529;13,12580166;0,79672141;4171;4171
    assert value(obs, "62498", "LOYER_M2") == (pytest.approx(10.69885522), "ok")
    assert value(obs, "62498", "LOYER_M2_BAS") == (pytest.approx(8.720648529), "ok")
    assert value(obs, "62498", "LOYER_M2_HAUT") == (pytest.approx(13.12580166), "ok")
    assert value(obs, "62498", "LOYER_NBOBS_COMMUNE") == (4171, "ok")


def test_code_that_lost_its_leading_zero(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    # 1456;1004;Ambérieu-en-Bugey;1;...;commune;10,07450708;...
    assert value(obs, "01004", "LOYER_M2") == (pytest.approx(10.07450708), "ok")
    assert not obs.filter(pl.col("code").str.len_chars() != 5).height


def test_weak_predictions_by_the_producers_rule_are_estimated(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    # Gravelines: R² 0,434 (< 0,5); Beaurainville: R² 0,497. Lille: R² 0,81, 109,497 ads.
    assert value(obs, "59273", "LOYER_M2") == (pytest.approx(10.87314743), "estimated")
    assert value(obs, "62100", "LOYER_M2") == (pytest.approx(9.812237244), "estimated")
    assert value(obs, "59350", "LOYER_M2") == (pytest.approx(13.85735561), "ok")
    # The interval itself is what the producer publishes: not flagged.
    assert value(obs, "59273", "LOYER_M2_BAS")[1] == "ok"


def test_text_in_a_rent(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace(LENS, LENS[:-12] + "dix euros;"))
    p = _refused(path).problems[0]
    assert (p.line, p.column, p.value) == (LENS_LINE, "loypredm2", "dix euros")


def test_unknown_level_of_prediction(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(
        tmp_path, fixtures, lambda t: t.replace(";246200364;commune;", ";246200364;iris;")
    )
    p = _refused(path).problems[0]
    assert (p.column, p.value) == ("TYPPRED", "iris")


def test_duplicate_commune(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")
        return "\n".join([*lines[:3], lines[1], *lines[3:]])

    err = _refused(_edited(tmp_path, fixtures, edit))
    assert {p.line for p in err.problems} == {2, 4}
    assert err.problems[0].value == "01001"


def test_missing_column(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace("upr.IPm2", "upr", 1))
    with pytest.raises(SourceError, match=r"upr\.IPm2"):
        READ(path)


def test_truncated_line(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")
        lines[4] = lines[4][:40]
        return "\n".join(lines)

    assert _refused(_edited(tmp_path, fixtures, edit)).problems[0].line == 5


def test_latin1_file_is_refused_with_its_line(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes((fixtures / FIXTURE).read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(SourceError, match="utf-8") as err:
        READ(path)
    # "L'Abergement-Clémenciat", line 2.
    assert err.value.problems[0].line == 2


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)


@pytest.fixture(scope="module")
def cube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cube]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("carte_loyers"))
    import_file(settings, "carte_loyers", Path(__file__).parents[1] / "fixtures" / FIXTURE)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield c


def test_commune_rent_in_the_cube(cube: Cube) -> None:
    lens = cube.value("loyer_predit_m2_appartement", Territory.parse("COM:62498"))
    assert (lens.value, lens.status, lens.year) == (pytest.approx(10.69885522), "ok", 2018)
    assert (lens.source, lens.millesime, lens.geo_vintage) == ("carte_loyers", 2018, 2017)
    ain = cube.value("loyer_predit_m2_appartement", Territory.parse("COM:01004"))
    assert ain.value == pytest.approx(10.07450708)


def test_no_rent_above_the_commune(cube: Cube) -> None:
    for territory in ("EPCI:246200364", "DEP:62", "FR"):
        got = cube.value("loyer_predit_m2_appartement", Territory.parse(territory))
        assert (got.value, got.status) == (None, "unavailable"), territory
        assert "publié à la commune seulement" in (got.note or "")
    obs = cube.value("loyer_annonces_commune", Territory.parse("EPCI:246200364"))
    assert (obs.value, obs.status) == (None, "unavailable")
