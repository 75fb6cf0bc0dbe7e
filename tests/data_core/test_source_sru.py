"""SRU inventory 2025 (DHUP): the reader on a real extract, and its indicators in a cube."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire.demo import demo_dir
from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import SourceError, get
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

READ = get("sru").read
NAME = "communes-et-inventaire-sru-2025-extrait.csv"
FIXTURE = "sru/" + NAME
CALL = "EPCI:246200364"


def value(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str]:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1
    return row["value"][0], row["status"][0]


def _edited(tmp_path: Path, fixtures: Path, edit: Callable[[str], str]) -> Path:
    path = tmp_path / NAME
    text = (fixtures / FIXTURE).read_text(encoding="cp1252")
    path.write_text(edit(text), encoding="cp1252")
    return path


def _line(text: str, number: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return "\n".join(lines)


def test_lens_as_in_the_file(fixtures: Path) -> None:
    batch = READ(fixtures / FIXTURE)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.geo_vintage, batch.row_count) == (2025, 2024, 27)
    assert set(obs["year"]) == {2024}
    # LENS;32697;...;8821;61,45%;0;0;0;20%
    assert value(obs, "62498", "SRU_LLS") == (8821, "ok")
    assert value(obs, "62498", "SRU_TAUX") == (pytest.approx(61.45), "ok")
    assert value(obs, "62498", "SRU_TAUX_CIBLE") == (20, "ok")
    assert value(obs, "62498", "SRU_SOUMISE") == (1, "ok")
    assert value(obs, "62498", "SRU_DEFICITAIRE") == (0, "ok")
    assert value(obs, "62498", "SRU_DEFICIT") == (0, "ok")


def test_markers_become_missing(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    # Lille: "Pas d'inventaire" / ">25%": no figure, but still a subject commune.
    assert value(obs, "59350", "SRU_LLS") == (None, "missing")
    assert value(obs, "59350", "SRU_TAUX") == (None, "missing")
    assert value(obs, "59350", "SRU_SOUMISE") == (1, "ok")
    # Soubise: "NC" / "Hors SRU".
    assert value(obs, "17429", "SRU_LLS") == (None, "missing")
    assert value(obs, "17429", "SRU_TAUX") == (None, "missing")
    # Rates above 100 % are not shown: Gap "2126,00%", Pointe-à-Pitre "124,24%".
    assert value(obs, "05061", "SRU_TAUX") == (None, "missing")
    assert value(obs, "97120", "SRU_TAUX") == (None, "missing")
    assert value(obs, "05061", "SRU_LLS") == (4281, "ok")


def test_rate_typed_with_a_semicolon(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    # ÉVIN-MALMAISON;...;691;"38;62%"
    assert value(obs, "62321", "SRU_TAUX") == (pytest.approx(38.62), "ok")


def test_deficit_is_estimated_for_deficitaire_communes(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    # ANNAY: 336 LLS, 18,17 %, target 20 %: 20 x 336 / 18.17 - 336 = 33.8 -> 34.
    assert value(obs, "62033", "SRU_DEFICIT") == (34, "estimated")
    # VIMY: 312 LLS, 17,02 %: 20 x 312 / 17.02 - 312 = 54.6 -> 55.
    assert value(obs, "62861", "SRU_DEFICIT") == (55, "estimated")


def test_an_extract_does_not_claim_other_departements(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    # Lot 46 has no subject commune, but this extract is not the national list.
    assert obs.filter(pl.col("code").str.starts_with("46")).height == 0


def test_national_file_counts_zero_where_no_commune_is_subject() -> None:
    batch = READ(demo_dir() / "sru" / "communes-et-inventaire-sru-2025.csv.gz")
    obs = batch.tables["observations"]
    assert batch.row_count == 2196
    assert value(obs, "46042", "SRU_SOUMISE") == (0, "ok")  # Cahors
    assert obs.filter(pl.col("code") == "46042", pl.col("variable") == "SRU_TAUX").height == 0


def test_text_in_a_count(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: _line(t, 2, ";8821;", ";huit mille;"))
    with pytest.raises(SourceError) as err:
        READ(path)
    p = err.value.problems[0]
    assert (p.line, p.column, p.value) == (2, "Nombre_lls_ Inventaire_au_01_01_2024", "huit mille")
    assert NAME in err.value.render()


def test_unknown_marker_in_a_rate(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: _line(t, 2, ";61,45%;", ";<20%;"))
    with pytest.raises(SourceError) as err:
        READ(path)
    p = err.value.problems[0]
    assert (p.line, p.column, p.value) == (2, "Taux_SRU_au_01_01_2024", "<20%")


def test_flag_other_than_0_or_1(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: _line(t, 2, ";8821;61,45%;0;", ";8821;61,45%;2;"))
    with pytest.raises(SourceError) as err:
        READ(path)
    p = err.value.problems[0]
    assert (p.line, p.column) == (2, "commune_deficitaire")


def test_duplicate_commune(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")
        return "\n".join([*lines[:3], lines[1], *lines[3:]])

    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, fixtures, edit))
    assert {p.line for p in err.value.problems} == {2, 4}
    assert err.value.problems[0].value == "62498"


def test_missing_column(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace("Taux_SRU_au_01_01_2024", "Taux", 1))
    with pytest.raises(SourceError, match="Taux_SRU_au_01_01_2024"):
        READ(path)


def test_truncated_line(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")
        lines[4] = lines[4][:40]
        return "\n".join(lines)

    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, fixtures, edit))
    assert err.value.problems[0].line == 5


def test_utf8_file_is_refused_with_its_line(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / NAME
    text = (fixtures / FIXTURE).read_text(encoding="cp1252")
    # "€" in UTF-8 holds byte 0x81, undefined in Windows-1252.
    path.write_bytes(text.replace("0,00 €", "0,00 \u20ac\u0081").encode("utf-8"))
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
    settings = Settings(data_dir=tmp_path_factory.mktemp("sru"))
    import_file(settings, "sru", Path(__file__).parents[1] / "fixtures" / FIXTURE)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield c


def test_call_counts_recomputed_by_hand(cube: Cube) -> None:
    call = Territory.parse(CALL)
    # The 22 communes of the CA de Lens-Liévin are all subject; only ANNAY (18,17 %) and
    # VIMY (17,02 %) are déficitaires (commune_deficitaire = 1), none carencée or exemptée.
    assert cube.value("sru_communes_soumises", call).value == 22
    assert cube.value("sru_communes_deficitaires", call).value == 2
    assert cube.value("sru_communes_carencees", call).value == 0
    assert cube.value("sru_communes_exemptees", call).value == 0
    deficit = cube.value("sru_deficit", call)
    assert (deficit.value, deficit.status) == (34 + 55, "estimated")


def test_rate_is_not_recomputed_above_the_commune(cube: Cube) -> None:
    lens = cube.value("sru_taux_lls", Territory.parse("COM:62498"))
    assert (lens.value, lens.status, lens.year) == (pytest.approx(61.45), "ok", 2024)
    assert (lens.source, lens.millesime, lens.geo_vintage) == ("sru", 2025, 2024)
    call = cube.value("sru_taux_lls", Territory.parse(CALL))
    assert (call.value, call.status) == (None, "unavailable")
    assert "ne donne pas les résidences principales" in (call.note or "")
    # 14 of its 36 communes are not subject (no inventory): the LLS cannot add up.
    lls = cube.value("sru_lls_nombre", Territory.parse(CALL))
    assert (lls.value, lls.status) == (None, "unavailable")
    assert lls.note == "14 communes sans valeur connue"
