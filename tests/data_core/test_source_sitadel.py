from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, get

READ = get("sitadel").read
NAME = "sitadel-logements-commune31555-2026-01-extrait.csv"
FIXTURE = "sitadel/" + NAME
BREAKDOWNS = {
    "LOGEMENTS_AUTORISES": "NB_LGT_TOT_CREES",
    "LOGEMENTS_AUTORISES_INDIVIDUELS": "NB_LGT_IND_CREES",
    "LOGEMENTS_AUTORISES_COLLECTIFS": "NB_LGT_COL_CREES",
    "LOGEMENTS_AUTORISES_RESIDENCE": "NB_LGT_RES",
    "LOGEMENTS_AUTORISES_LOCATIF_SOCIAL": "NB_LGT_PRET_LOC_SOCIAL",
    "LOGEMENTS_AUTORISES_ACCESSION_SOCIALE": "NB_LGT_ACC_SOC_HORS_PTZ",
    "LOGEMENTS_AUTORISES_PTZ": "NB_LGT_PTZ",
    "LOGEMENTS_AUTORISES_INDIV_PURS": "NB_LGT_INDIV_PURS",
    "LOGEMENTS_AUTORISES_INDIV_GROUPES": "NB_LGT_INDIV_GROUPES",
    "LOGEMENTS_AUTORISES_COL_HORS_RES": "NB_LGT_COL_HORS_RES",
}
STARTS = {
    "LOGEMENTS_COMMENCES": "NB_LGT_TOT_CREES",
    "LOGEMENTS_COMMENCES_INDIV_PURS": "NB_LGT_INDIV_PURS",
    "LOGEMENTS_COMMENCES_INDIV_GROUPES": "NB_LGT_INDIV_GROUPES",
    "LOGEMENTS_COMMENCES_COL_HORS_RES": "NB_LGT_COL_HORS_RES",
    "LOGEMENTS_COMMENCES_RESIDENCE": "NB_LGT_RES",
}


def values(obs: pl.DataFrame, variable: str) -> dict[int, float]:
    rows = obs.filter((pl.col("variable") == variable) & (pl.col("code") == "31555"))
    return dict(zip(rows["year"].to_list(), rows["value"].to_list(), strict=True))


def oracle(path: Path) -> dict[str, dict[int, float]]:
    """The same sums computed independently with the csv module."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        next(reader)
        codes = next(reader)
        records = [dict(zip(codes, r, strict=True)) for r in reader]
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for r in records:
        if r["ETAT_DAU"] == "4":
            continue
        for variable, column in BREAKDOWNS.items():
            out[variable][int(r["DATE_REELLE_AUTORISATION"][:4])] += int(r[column] or 0)
        if r["DATE_REELLE_DOC"] and int(r["DATE_REELLE_DOC"][:4]) >= 2016:
            for variable, column in STARTS.items():
                out[variable][int(r["DATE_REELLE_DOC"][:4])] += int(r[column] or 0)
    return out


def _edited(tmp_path: Path, fixtures: Path, edit: Callable[[list[str]], list[str]]) -> Path:
    lines = (fixtures / FIXTURE).read_text(encoding="utf-8").split("\n")
    path = tmp_path / NAME
    path.write_text("\n".join(edit(lines)), encoding="utf-8")
    return path


def _set(lines: list[str], number: int, column: str, value: str) -> list[str]:
    codes = next(csv.reader([lines[1]], delimiter=";"))
    cells = lines[number - 1].split(";")
    assert len(cells) == 100  # no ";" inside the fields of the lines edited here
    cells[codes.index(column)] = value
    lines[number - 1] = ";".join(cells)
    return lines


def test_edition_coverage_and_notes(fixtures: Path) -> None:
    batch = READ(fixtures / FIXTURE)
    assert (batch.millesime, batch.part, batch.geo_vintage) == (2026, "DEP-31", 2025)
    assert batch.row_count == 172  # lines 3..174, mojibake addresses included
    assert set(batch.tables["observations"]["code"]) == {"31555"}
    assert "commune absente d'un département présent = 0 logement autorisé ou commencé" in (
        batch.notes
    )
    assert "17 autorisations annulées (ETAT_DAU = 4) exclues" in batch.notes


def test_sums_match_an_independent_count(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    expected = oracle(fixtures / FIXTURE)
    assert set(obs["variable"]) == set(expected)
    for variable, by_year in expected.items():
        got = values(obs, variable)
        assert {y: v for y, v in got.items() if v} == {y: v for y, v in by_year.items() if v}
    assert set(obs["status"]) == {"ok"}


def test_known_permits(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    # 2015 PTZ: line 52 (PC 03155515C0683, 2015-12-21, 117 dwellings, 16 PTZ) + line 45 (1).
    assert values(obs, "LOGEMENTS_AUTORISES_PTZ")[2015] == 17.0
    assert values(obs, "LOGEMENTS_AUTORISES")[2013] == 333.0
    assert values(obs, "LOGEMENTS_AUTORISES_LOCATIF_SOCIAL")[2013] == 95.0
    # Years without PTZ still get an explicit 0 (commune present that year).
    assert values(obs, "LOGEMENTS_AUTORISES_PTZ")[2025] == 0.0
    autorises = values(obs, "LOGEMENTS_AUTORISES")
    assert min(autorises) == 2013 and max(autorises) == 2025


def test_starts_only_three_years_after_the_first_authorisations(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    commences = values(obs, "LOGEMENTS_COMMENCES")
    # Line 7 (2013-03-13, 40 dwellings) and line 6 (2016-02-12, 97 dwellings).
    assert min(commences) == 2016 and commences[2016] == 213.0
    assert 2013 in values(obs, "LOGEMENTS_AUTORISES")


def test_annulled_permits_are_excluded_from_both_counts(tmp_path: Path, fixtures: Path) -> None:
    before = READ(fixtures / FIXTURE).tables["observations"]
    # Line 112: PC 03155520C0171... annulled (4) after its works opened on 2022-06-30.
    after = READ(_edited(tmp_path, fixtures, lambda ls: _set(ls, 112, "ETAT_DAU", "5")))
    obs = after.tables["observations"]
    assert (
        values(obs, "LOGEMENTS_AUTORISES")[2021] == values(before, "LOGEMENTS_AUTORISES")[2021] + 1
    )
    assert (
        values(obs, "LOGEMENTS_COMMENCES")[2022] == values(before, "LOGEMENTS_COMMENCES")[2022] + 1
    )


def test_millesime_without_edition_in_name(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes((fixtures / FIXTURE).read_bytes())
    assert READ(path).millesime == 2025  # latest DPC_DERN 2025-11 -> edition 2025-12
    assert READ(path, millesime=2026).millesime == 2026
    december = tmp_path / "autre.csv"
    lines = (fixtures / FIXTURE).read_text(encoding="utf-8").split("\n")
    december.write_text("\n".join(_set(lines, 174, "DPC_DERN", '"2025-12"')), encoding="utf-8")
    assert READ(december).millesime == 2026


def test_single_header_line_is_read_too(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda ls: ls[1:])
    assert READ(path).tables["observations"].equals(READ(fixtures / FIXTURE).tables["observations"])


def test_gzipped_file_reads_the_same(tmp_path: Path, fixtures: Path) -> None:
    gz = tmp_path / (NAME + ".gz")
    gz.write_bytes(gzip.compress((fixtures / FIXTURE).read_bytes()))
    batch = READ(gz)
    assert batch.millesime == 2026
    assert batch.tables["observations"].equals(READ(fixtures / FIXTURE).tables["observations"])


# --------------------------------------------------------------------------- bad input


def test_several_problems_named_with_line_column_value(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        _set(lines, 5, "NB_LGT_TOT_CREES", "quatre")
        _set(lines, 7, "DATE_REELLE_AUTORISATION", '"2013-02-31"')
        return _set(lines, 9, "COMM", '"Toulouse"')

    with pytest.raises(SourceError) as exc:
        READ(_edited(tmp_path, fixtures, edit))
    found = {(p.line, p.column, p.value) for p in exc.value.problems}
    assert found == {
        (5, "NB_LGT_TOT_CREES", "quatre"),
        (7, "DATE_REELLE_AUTORISATION", "2013-02-31"),
        (9, "COMM", "Toulouse"),
    }
    message = str(exc.value)
    assert "3 problèmes" in message and NAME in message and "ligne 7" in message


def test_unknown_state_and_negative_count(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        _set(lines, 5, "ETAT_DAU", "9")
        return _set(lines, 6, "NB_LGT_PTZ", "-2")

    with pytest.raises(SourceError) as exc:
        READ(_edited(tmp_path, fixtures, edit))
    found = {(p.line, p.column, p.value) for p in exc.value.problems}
    assert found == {(5, "ETAT_DAU", "9"), (6, "NB_LGT_PTZ", "-2")}


def test_missing_value_in_a_required_column(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda ls: _set(ls, 6, "DATE_REELLE_AUTORISATION", ""))
    with pytest.raises(SourceError) as exc:
        READ(path)
    problem = exc.value.problems[0]
    assert (problem.line, problem.column) == (6, "DATE_REELLE_AUTORISATION")
    assert "manquante" in problem.message


def test_line_with_a_missing_field(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[9] = lines[9].rsplit(";", 1)[0]
        return lines

    with pytest.raises(SourceError) as exc:
        READ(_edited(tmp_path, fixtures, edit))
    assert exc.value.problems[0].line == 10
    assert "99 champs au lieu de 100" in exc.value.problems[0].message


def test_truncated_file(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes((fixtures / FIXTURE).read_bytes()[:-150])
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].line == 174


def test_missing_column(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[1] = lines[1].replace('"DATE_REELLE_DOC"', '"DATE_DOC"')
        return lines

    with pytest.raises(SourceError) as exc:
        READ(_edited(tmp_path, fixtures, edit))
    assert exc.value.problems[0].column == "DATE_REELLE_DOC"
    assert "absente" in exc.value.problems[0].message


def test_duplicate_authorisation(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda ls: [*ls[:-1], ls[4], ""])
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert {p.line for p in exc.value.problems} == {5, 175}
    assert "doublon" in exc.value.problems[0].message


@pytest.mark.parametrize("content", [b"", b"  \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / NAME
    path.write_bytes(content)
    with pytest.raises(SourceError, match="vide"):
        READ(path)


def test_headers_without_data(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda ls: [*ls[:2], ""])
    with pytest.raises(SourceError, match="aucune ligne de données"):
        READ(path)


def test_latin1_file_is_refused_with_its_line(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes((fixtures / FIXTURE).read_text(encoding="utf-8").encode("cp1252", "replace"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].line == 1  # "Code de la région..." labels: é in cp1252
    assert "encodage" in exc.value.problems[0].message


def test_dwellings_by_type_reach_the_cube(tmp_path: Path, fixtures: Path) -> None:
    from observatoire.indicators.cube import build, referential_for
    from observatoire.indicators.query import Cube
    from observatoire.settings import Settings
    from observatoire.territories import Territory
    from observatoire.warehouse.imports import import_file

    settings = Settings(data_dir=tmp_path / "d")
    import_file(settings, "sitadel", fixtures / FIXTURE)
    build(settings)
    expected = oracle(fixtures / FIXTURE)
    toulouse = Territory.parse("COM:31555")
    with Cube(settings, referential_for(settings)) as cube:
        for code, variable in (
            ("logements_autorises_individuels_purs", "LOGEMENTS_AUTORISES_INDIV_PURS"),
            ("logements_autorises_collectifs", "LOGEMENTS_AUTORISES_COL_HORS_RES"),
            ("logements_commences_residence", "LOGEMENTS_COMMENCES_RESIDENCE"),
        ):
            for year in (2019, 2023):
                got = cube.value(code, toulouse, year=year)
                assert got.value == expected[variable][year], (code, year)
