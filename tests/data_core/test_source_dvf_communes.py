"""DVF aggregates by commune and year (SOURCES.md §3): both layouts on real slices, the
producer's quirks (R index column, NA commune row, swapped shares in 2024, rounding),
absence, geography, bad input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, get

READ = get("dvf_communes").read
DEMO = Path(__file__).parents[2] / "src/observatoire/data/demo/dvf_communes"
# The 36 communes of CA de Lens-Liévin (EPCI 246200364, COG 2026), all in the slices.
LENS_LIEVIN = {
    "62001", "62003", "62019", "62032", "62033", "62065", "62107", "62133", "62170", "62186",
    "62213", "62291", "62311", "62351", "62371", "62380", "62386", "62413", "62464", "62498",
    "62510", "62523", "62528", "62563", "62570", "62573", "62628", "62666", "62737", "62771",
    "62793", "62801", "62842", "62854", "62861", "62895",
}  # fmt: skip


def value(obs: pl.DataFrame, code: str, variable: str) -> float:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1
    return float(row["value"][0])


def test_2023_known_prices_per_m2(fixtures: Path) -> None:
    batch = READ(fixtures / "dvf_communes/dvf2023.csv")
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    known = {"14118": 3047, "59350": 3749, "62498": 1507, "53130": 2252, "46042": 1781}
    for code, expected in known.items():
        assert round(value(obs, code, "PRIX_M2_MOYEN")) == expected
    assert value(obs, "14118", "PRIX_M2_MOYEN") == pytest.approx(3046.82446264074)
    assert value(obs, "14118", "NB_MUTATIONS") == 1954
    assert value(obs, "14118", "NB_MAISONS") == 301 and value(obs, "14118", "NB_APPARTS") == 1653
    assert value(obs, "62498", "PRIX_MOYEN") == pytest.approx(120725.75)
    assert value(obs, "62498", "SURFACE_MOYENNE") == pytest.approx(81.390625)
    assert batch.millesime == 2023 and batch.part == "COM" and batch.layout == "index_r"
    assert set(obs["year"]) == {2023} and set(obs["level"]) == {"COM"}
    assert set(obs["status"]) == {"ok"}


def test_2024_rounded_layout_and_swapped_shares_dropped(fixtures: Path) -> None:
    batch = READ(fixtures / "dvf_communes/dvf2024.csv")
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert batch.layout == "arrondi" and batch.millesime == 2024
    assert value(obs, "14118", "PRIX_M2_MOYEN") == 3045
    # 01001: 4 houses, 0 flat, but PropMaison = 0 and PropAppart = 100 in the file.
    assert value(obs, "01001", "NB_MAISONS") == 4 and value(obs, "01001", "NB_APPARTS") == 0
    assert set(obs["variable"]) == {
        "NB_MUTATIONS", "NB_MAISONS", "NB_APPARTS", "PRIX_MOYEN", "PRIX_M2_MOYEN",
        "SURFACE_MOYENNE",
    }  # fmt: skip
    assert any("arrondies" in n for n in batch.notes)


def test_geo_vintage_by_layout(fixtures: Path) -> None:
    # Established on the national files (module docstring); the slices only carry the
    # layouts: 2020-2023 on COG 2022, 2024 on COG 2024.
    assert READ(fixtures / "dvf_communes/dvf2020.csv").geo_vintage == 2022
    assert READ(fixtures / "dvf_communes/dvf2023.csv").geo_vintage == 2022
    assert READ(fixtures / "dvf_communes/dvf2024.csv").geo_vintage == 2024


def test_na_commune_row_dropped_and_counted(fixtures: Path) -> None:
    batch = READ(fixtures / "dvf_communes/dvf2023.csv")
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert obs["code"].null_count() == 0
    assert any("8530 ventes non rattachées" in n for n in batch.notes)


def test_absent_commune_means_no_sale(fixtures: Path) -> None:
    batch = READ(fixtures / "dvf_communes/dvf2020.csv")
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    # Bénifontaine (62107, 337 inhabitants) had no dwelling sale in 2020: absent.
    assert LENS_LIEVIN - set(obs["code"]) == {"62107"}
    assert any(n.startswith("commune absente = aucune vente") for n in batch.notes)


def test_demo_files_read_gzipped() -> None:
    batch = READ(DEMO / "dvf2023.csv.gz")
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert batch.row_count == 30010  # 30,011 rows minus the NA row
    assert round(value(obs, "59350", "PRIX_M2_MOYEN")) == 3749
    # The smallest count is 1: no secrecy threshold hides small markets, absent = 0 sale.
    assert obs.filter(pl.col("variable") == "NB_MUTATIONS")["value"].min() == 1


def test_millesime_must_match_year_column(fixtures: Path) -> None:
    with pytest.raises(SourceError, match=r"millésime demandé \(2022\)"):
        READ(fixtures / "dvf_communes/dvf2023.csv", millesime=2022)


# --------------------------------------------------------------------------- bad input


def broken(tmp_path: Path, fixtures: Path, name: str, edit) -> Path:  # type: ignore[no-untyped-def]
    lines = (fixtures / f"dvf_communes/{name}").read_bytes().split(b"\n")
    path = tmp_path / name
    path.write_bytes(b"\n".join(edit(lines)))
    return path


def problems(path: Path) -> list[tuple[int | None, str | None, str | None, str]]:
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert str(exc.value).startswith(f"{len(exc.value.problems)} problème")
    return [(p.line, p.column, p.value, p.message) for p in exc.value.problems]


def set_cell(lines: list[bytes], line: int, column: int, value: bytes) -> list[bytes]:
    cells = lines[line - 1].split(b",")
    cells[column] = value
    lines[line - 1] = b",".join(cells)
    return lines


def test_text_in_numbers_reported_together(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        set_cell(lines, 3, 9, b"2 023.5 EUR")  # Prixm2Moyen
        return set_cell(lines, 6, 3, b"douze")  # Nb_mutations

    found = problems(broken(tmp_path, fixtures, "dvf2023.csv", edit))
    assert [f[:3] for f in found] == [
        (6, "Nb_mutations", "douze"),
        (3, "Prixm2Moyen", "2 023.5 EUR"),
    ]
    assert "nombre entier" in found[0][3]


def test_sales_must_add_up(tmp_path: Path, fixtures: Path) -> None:
    # Marseille 13055: 10269 sales = 1231 houses + 9038 flats; 99 houses no longer add up.
    found = problems(
        broken(tmp_path, fixtures, "dvf2024.csv", lambda ls: set_cell(ls, 4, 3, b"99"))
    )
    assert found == [
        (
            4,
            "nb_mutations",
            "10269",
            "le nombre de ventes (10269) n'est pas la somme des maisons (99) et des "
            "appartements (9038).",
        )
    ]


def test_truncated_row(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        lines[4] = b",".join(lines[4].split(b",")[:6])
        return lines

    found = problems(broken(tmp_path, fixtures, "dvf2023.csv", edit))
    assert found == [
        (5, None, None, "6 champs au lieu de 11 (ligne tronquée ou séparateur incorrect).")
    ]


def test_wrong_encoding(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        return set_cell(lines, 7, 2, b'"ann\xe9e"')

    found = problems(broken(tmp_path, fixtures, "dvf2023.csv", edit))
    assert found[0][0] == 7 and "0xE9" in found[0][3]


def test_missing_columns_named(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        lines[0] = lines[0].replace(b"Prixm2Moyen", b"Prix_m2").replace(b"SurfaceMoy", b"Surf")
        return lines

    found = problems(broken(tmp_path, fixtures, "dvf2024.csv", edit))
    assert [f[1] for f in found] == ["Prixm2Moyen", "SurfaceMoy"]
    assert all("absente" in f[3] for f in found)


def test_unknown_layout(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        lines[0] = lines[0].replace(b"annee", b"year")
        return lines

    assert (
        "format de fichier non reconnu"
        in problems(broken(tmp_path, fixtures, "dvf2024.csv", edit))[0][3]
    )


def test_duplicate_commune(tmp_path: Path, fixtures: Path) -> None:
    found = problems(
        broken(tmp_path, fixtures, "dvf2024.csv", lambda ls: [*ls[:3], ls[2], *ls[3:]])
    )
    assert [(f[0], f[2]) for f in found] == [(3, "01002 / 2024"), (4, "01002 / 2024")]


def test_empty_code_is_not_the_na_row(tmp_path: Path, fixtures: Path) -> None:
    found = problems(broken(tmp_path, fixtures, "dvf2024.csv", lambda ls: set_cell(ls, 3, 0, b"")))
    assert found == [(3, "INSEE_COM", "", "code commune INSEE obligatoire.")]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "le fichier est vide."), (None, "le fichier ne contient aucune ligne de données.")],
)
def test_empty_files(tmp_path: Path, fixtures: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "dvf2024.csv"
    header = (fixtures / "dvf_communes/dvf2024.csv").read_bytes().split(b"\n")[0] + b"\n"
    path.write_bytes(content if content is not None else header)
    assert problems(path)[0][3] == message


def test_arrondissements_dropped_when_city_present(tmp_path: Path, fixtures: Path) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        paris = next(line for line in lines if line.startswith(b"75056,"))
        return [*lines[:-1], paris.replace(b"75056,", b"75101,"), lines[-1]]

    batch = READ(broken(tmp_path, fixtures, "dvf2024.csv", edit))
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert "75101" not in set(obs["code"]) and "75056" in set(obs["code"])
    assert any("arrondissements ignorées" in n for n in batch.notes)


def test_lens_lievin_complete_in_2023(fixtures: Path) -> None:
    obs = READ(fixtures / "dvf_communes/dvf2023.csv").tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    sales = obs.filter(pl.col("variable") == "NB_MUTATIONS")
    assert set(sales["code"]) >= LENS_LIEVIN
    lens_total = sales.filter(pl.col("code").is_in(list(LENS_LIEVIN)))["value"].sum()
    assert lens_total == 1834  # checked with DuckDB on the national file
