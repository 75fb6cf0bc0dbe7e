from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, get

READ = get("populations_legales").read
NAME = "populations_legales/donnees_communes_millesime{}-extrait.csv"


def pmun(obs: pl.DataFrame, code: str, variable: str = "PMUN") -> float:
    found = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert found.height == 1, code
    assert found["status"][0] == "ok"
    return float(found["value"][0])


def _copy(
    tmp_path: Path,
    fixtures: Path,
    year: int,
    edit: Callable[[str], str] | None = None,
    name: str = "",
) -> Path:
    text = (fixtures / NAME.format(year)).read_bytes().decode("utf-8")
    text = edit(text) if edit else text
    path = tmp_path / (name or Path(NAME.format(year)).name)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_2019_layout_builds_the_commune_code_from_departement_and_commune(fixtures: Path) -> None:
    batch = READ(fixtures / NAME.format(2019))
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.geo_vintage, batch.layout) == (2019, 2021, "2019")
    assert set(obs["year"]) == {2019}
    # Figures read in the file: Caen = 106,230 résidents, 2,174 comptés à part.
    assert pmun(obs, "14118") == 106230
    assert pmun(obs, "14118", "PCAP") == 2174
    assert pmun(obs, "14118", "PTOT") == 108404
    # CODDEP 974 + CODCOM 401 -> 97401 (first two characters only); Corsica keeps 2A.
    assert pmun(obs, "97401") == 11440
    assert pmun(obs, "2A004") == 71361
    assert "97440" not in set(obs["code"])


def test_2021_crlf_and_2023_layouts(fixtures: Path) -> None:
    b21 = READ(fixtures / NAME.format(2021))
    b23 = READ(fixtures / NAME.format(2023))
    assert (b21.millesime, b21.geo_vintage, b23.millesime, b23.geo_vintage) == (
        2021,
        2023,
        2023,
        2025,
    )
    assert pmun(b21.tables["observations"], "14118") == 108200
    assert pmun(b23.tables["observations"], "14118") == 109400


def test_lyon_comes_as_its_arrondissements(fixtures: Path) -> None:
    obs = READ(fixtures / NAME.format(2023)).tables["observations"]
    codes = set(obs["code"])
    assert {f"6938{i}" for i in range(1, 10)} <= codes
    assert "69123" not in codes


def test_millesime_from_the_command_line_when_the_name_has_none(
    tmp_path: Path, fixtures: Path
) -> None:
    path = _copy(tmp_path, fixtures, 2021, name="donnees_communes.csv")
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert "--millesime" in str(exc.value)
    assert READ(path, millesime=2021).millesime == 2021


def test_text_in_population_is_located(tmp_path: Path, fixtures: Path) -> None:
    path = _copy(tmp_path, fixtures, 2023, lambda t: t.replace(";109400;", ";109 4OO;"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        path.name,
        5,
        "PMUN",
        "109 4OO",
    )
    assert "nombre entier" in problem.message


def test_negative_population_is_refused(tmp_path: Path, fixtures: Path) -> None:
    path = _copy(tmp_path, fixtures, 2023, lambda t: t.replace(";109400;", ";-109400;"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert any(p.column == "PMUN" for p in exc.value.problems)


def test_duplicate_commune(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        lines = text.split("\n")
        return "\n".join([*lines[:5], lines[4], *lines[5:]])

    path = _copy(tmp_path, fixtures, 2023, edit)
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert {p.line for p in exc.value.problems} == {5, 6}
    assert "doublon" in exc.value.problems[0].message


def test_2019_duplicate_rebuilt_code_is_refused(tmp_path: Path, fixtures: Path) -> None:
    # Two rows whose CODDEP + CODCOM give the same code, although their names differ.
    path = _copy(tmp_path, fixtures, 2019, lambda t: t.replace(";002;L'Abergement", ";001;L'A"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert {p.value for p in exc.value.problems} == {"01001"}


def test_missing_column(tmp_path: Path, fixtures: Path) -> None:
    path = _copy(tmp_path, fixtures, 2023, lambda t: t.replace(";PMUN;", ";POP;", 1))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].line == 1
    assert "format de fichier non reconnu" in exc.value.problems[0].message


@pytest.mark.parametrize(
    "content", [b"", b"REG;R\xc3\xa9gion;DEP;CODARR;CODCAN;CODCOM;COM;Commune"]
)
def test_empty_or_header_only_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "donnees_communes_millesime2023.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError):
        READ(path)


def test_truncated_gzip(tmp_path: Path, fixtures: Path) -> None:
    data = gzip.compress((fixtures / NAME.format(2023)).read_bytes())
    path = tmp_path / "donnees_communes_millesime2023.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].file == path.name


def test_latin1_file_is_refused(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / NAME.format(2023)).read_bytes().decode("utf-8")
    path = tmp_path / "donnees_communes_millesime2023.csv"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].file == path.name
