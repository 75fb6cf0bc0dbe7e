from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from python_calamine import CalamineWorkbook
from tests.support import workbook_bytes

from observatoire.sources import SourceError, get

READ = get("estimations_population").read
NAME = "estim-pop-dep-sexe-gca-2019-2024-extrait.xlsx"
NORD_LINE = 65  # the Nord's row in the "2024" sheet


def value(obs: pl.DataFrame, level: str, code: str, year: int, variable: str) -> float:
    found = obs.filter(
        (pl.col("level") == level)
        & (pl.col("code") == code)
        & (pl.col("year") == year)
        & (pl.col("variable") == variable)
    )
    assert found.height == 1, (level, code, year, variable)
    return float(found["value"][0])


def sheets(fixtures: Path) -> dict[str, list[list[Any]]]:
    wb = CalamineWorkbook.from_path(str(fixtures / "estimations_population" / NAME))
    return {s: [[None if c == "" else c for c in r] for r in wb.get_sheet_by_name(s).to_python()]
            for s in wb.sheet_names}  # fmt: skip


def edited(tmp_path: Path, fixtures: Path, line: int, column: int, new: Any) -> Path:
    book = sheets(fixtures)
    book["2024"][line - 1][column] = new
    path = tmp_path / NAME
    path.write_bytes(workbook_bytes(book))
    return path


def test_nord_share_of_75_and_over_is_the_file_s(fixtures: Path) -> None:
    obs = READ(fixtures / "estimations_population" / NAME).tables["observations"]
    # Nord, 1 January 2024: 224,157 aged 75+, 417,300 aged 60-74, 2,614,334 in all.
    assert value(obs, "DEP", "59", 2024, "PART_75_PLUS") == pytest.approx(100 * 224157 / 2614334)
    assert value(obs, "DEP", "59", 2024, "PART_60_PLUS") == pytest.approx(
        100 * (417300 + 224157) / 2614334
    )
    # 2019: 195,558 / 2,608,346; evolution 2019-2024 in points.
    assert value(obs, "DEP", "59", 2024, "EVOL_PART_75_PLUS") == pytest.approx(
        100 * 224157 / 2614334 - 100 * 195558 / 2608346
    )


def test_region_is_the_ratio_of_its_departements_sums(fixtures: Path) -> None:
    obs = READ(fixtures / "estimations_population" / NAME).tables["observations"]
    # Hauts-de-France (32) = Aisne, Nord, Oise, Pas-de-Calais, Somme.
    deps = ["02", "59", "60", "62", "80"]
    p75 = sum(value(obs, "DEP", d, 2024, "POP_75_PLUS") for d in deps)
    total = sum(value(obs, "DEP", d, 2024, "POP_TOTAL") for d in deps)
    assert value(obs, "REG", "32", 2024, "PART_75_PLUS") == pytest.approx(100 * p75 / total)


def test_france_is_the_published_row_equal_to_the_sum_of_departements(fixtures: Path) -> None:
    obs = READ(fixtures / "estimations_population" / NAME).tables["observations"]
    deps = obs.filter((pl.col("level") == "DEP") & (pl.col("year") == 2024))
    assert deps.filter(pl.col("variable") == "POP_TOTAL")["value"].sum() == 68373433
    assert value(obs, "FR", "FR", 2024, "POP_TOTAL") == 68373433
    assert value(obs, "FR", "FR", 2024, "PART_75_PLUS") == pytest.approx(100 * 7106175 / 68373433)


def test_nothing_below_the_departement(fixtures: Path) -> None:
    obs = READ(fixtures / "estimations_population" / NAME).tables["observations"]
    assert set(obs["level"]) == {"DEP", "REG", "FR"}
    assert not get("estimations_population").communes


def test_text_in_a_count_is_located(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(edited(tmp_path, fixtures, NORD_LINE, 6, "224 157 env."))
    p = err.value.problems[0]
    assert (p.sheet, p.line, p.column, p.value) == (
        "2024",
        NORD_LINE,
        "75 ans et plus (Ensemble)",
        "224 157 env.",
    )
    assert "feuille « 2024 »" in err.value.render()


def test_negative_and_empty_counts_are_refused(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(edited(tmp_path, fixtures, NORD_LINE, 7, -5))
    assert err.value.problems[0].column == "Total (Ensemble)"
    with pytest.raises(SourceError) as err:
        READ(edited(tmp_path, fixtures, NORD_LINE, 2, None))
    assert (err.value.problems[0].line, err.value.problems[0].column) == (
        NORD_LINE,
        "0 à 19 ans (Ensemble)",
    )


def test_duplicate_departement(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(edited(tmp_path, fixtures, NORD_LINE + 1, 0, "59"))
    p = err.value.problems[0]
    assert (p.line, p.value) == (NORD_LINE + 1, "59")
    assert str(NORD_LINE) in p.message


def test_renamed_age_group_is_refused(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError, match="classes d'âge"):
        READ(edited(tmp_path, fixtures, 5, 6, "75 ans ou plus"))


def test_truncated_empty_and_csv_files(tmp_path: Path, fixtures: Path) -> None:
    data = (fixtures / "estimations_population" / NAME).read_bytes()
    for name, content in (("tronque.xlsx", data[: len(data) // 2]), ("vide.xls", b"")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(SourceError) as err:
            READ(path)
        assert name in err.value.render()
    csv = tmp_path / "estim.csv"
    csv.write_text("Départements;Total\n59;2614334\n", "utf-8")
    with pytest.raises(SourceError):
        READ(csv)
