"""DVF géolocalisées: dwelling-sale rules on the real Ain extract (SOURCES.md §3), and bad
input. The variants (other natures, a house, a shop in the sale...) are derived in
tmp_path from the real rows of mutation 2024-4 (3 dépendances + 1 flat, Gex 01173)."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from observatoire.sources import SourceError, dvf, get

READ = get("dvf").read
REAL = "dvf/geo-dvf-2024-dep01-head.csv"
COL = {name: i for i, name in enumerate(dvf.COLUMNS)}


def lines_of(fixtures: Path) -> list[str]:
    return (fixtures / REAL).read_text(encoding="utf-8").splitlines()


def mutation(fixtures: Path, id_mutation: str) -> list[list[str]]:
    rows = [line.split(",") for line in lines_of(fixtures)[1:]]
    found = [r for r in rows if r[0] == id_mutation]
    assert found and all(len(r) == 40 for r in found)  # no quoted comma in these rows
    return found


def derived(
    fixtures: Path, new_id: str, edit: Callable[[list[list[str]]], list[list[str]]]
) -> list[str]:
    """Rows of the real mutation 2024-4 under a new id, edited."""
    rows = [list(r) for r in mutation(fixtures, "2024-4")]
    for r in rows:
        r[COL["id_mutation"]] = new_id
    return [",".join(r) for r in edit(rows)]


def write(tmp_path: Path, lines: list[str], name: str = "dvf.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sales(batch: dvf.Batch) -> dict[str, tuple[object, ...]]:
    rel = batch.tables["ventes"]
    assert isinstance(rel, duckdb.DuckDBPyRelation)
    return {row[0]: row[1:] for row in rel.fetchall()}


def set_field(name: str, value: str, where: Callable[[list[str]], bool] = lambda r: True):  # type: ignore[no-untyped-def]
    def edit(rows: list[list[str]]) -> list[list[str]]:
        for r in rows:
            if where(r):
                r[COL[name]] = value
        return rows

    return edit


def is_flat(row: list[str]) -> bool:
    return row[COL["code_type_local"]] == "2"


# --------------------------------------------------------------------------- real rows


def test_real_extract_has_one_dwelling_sale_counted_once(fixtures: Path) -> None:
    batch = READ(fixtures / REAL)
    ventes = sales(batch)
    # 2024-4 spans 4 rows (3 dépendances + 1 flat) and repeats 329500 on each: one sale,
    # one price. 2024-5 (69 rows of bare land) and the single land rows are not sales.
    assert list(ventes) == ["2024-4"]
    date, year, commune, kind, price, surface, per_m2 = ventes["2024-4"]
    assert str(date) == "2024-01-03" and year == 2024 and commune == "01173"
    assert kind == "Appartement" and price == 329500.0 and surface == 89.0
    assert per_m2 == pytest.approx(329500 / 89)  # 3702.25 €/m²
    assert batch.millesime == 2024 and batch.geo_vintage == 2024
    assert batch.part == "2024-01" and batch.row_count == 77  # every data row read
    assert any("Commune absente = aucune vente" in n for n in batch.notes)


def test_ventes_columns_and_types(fixtures: Path) -> None:
    rel = READ(fixtures / REAL).tables["ventes"]
    assert isinstance(rel, duckdb.DuckDBPyRelation)
    assert dict(zip(rel.columns, map(str, rel.types), strict=True)) == {
        "id_mutation": "VARCHAR",
        "date_mutation": "DATE",
        "year": "INTEGER",
        "code_commune": "VARCHAR",
        "type_local": "VARCHAR",
        "valeur_fonciere": "DOUBLE",
        "surface_reelle_bati": "DOUBLE",
        "prix_m2": "DOUBLE",
    }


def test_dwelling_sale_rules(tmp_path: Path, fixtures: Path) -> None:
    commercial = "Local industriel. commercial ou assimilé"

    def add_shop(rows: list[list[str]]) -> list[list[str]]:
        shop = list(rows[-1])
        shop[COL["code_type_local"]], shop[COL["type_local"]] = "4", commercial
        return [*rows, shop]

    def second_flat(rows: list[list[str]]) -> list[list[str]]:
        other = list(rows[-1])
        other[COL["lot1_numero"]], other[COL["surface_reelle_bati"]] = "99", "41"
        return [*rows, other]

    def repeated_flat(rows: list[list[str]]) -> list[list[str]]:
        # The same local repeated once per nature de culture of its parcel: one dwelling.
        again = list(rows[-1])
        again[COL["nature_culture"]] = "jardins"
        return [*rows, again]

    variants = [
        *derived(
            fixtures, "2024-901", set_field("nature_mutation", "Vente en l'état futur d'achèvement")
        ),
        *derived(fixtures, "2024-902", set_field("nature_mutation", "Echange")),
        *derived(fixtures, "2024-903", set_field("nature_mutation", "Adjudication")),
        *derived(fixtures, "2024-904", add_shop),
        *derived(fixtures, "2024-905", second_flat),
        *derived(fixtures, "2024-906", set_field("surface_reelle_bati", "", is_flat)),
        *derived(fixtures, "2024-907", set_field("valeur_fonciere", "0")),
        *derived(fixtures, "2024-908", set_field("code_type_local", "1", is_flat)),
        # A sale still recorded on a merged commune: the current code is kept.
        *derived(fixtures, "2024-909", set_field("ancien_code_commune", "01999")),
        # The dwelling row alone, without its dépendances.
        *derived(fixtures, "2024-910", lambda rows: [r for r in rows if is_flat(r)]),
        *derived(fixtures, "2024-911", repeated_flat),
    ]
    batch = READ(write(tmp_path, [*lines_of(fixtures), *variants]))
    ventes = sales(batch)
    assert sorted(ventes) == ["2024-4", "2024-908", "2024-909", "2024-910", "2024-911"]
    assert ventes["2024-908"][3] == "Maison"
    assert ventes["2024-909"][2] == "01173"
    assert all(v[6] == pytest.approx(3702.247191) for v in ventes.values())
    assert any(
        "1 à plusieurs logements, 1 avec un local commercial ou industriel, "
        "2 sans prix ou sans surface" in n
        for n in batch.notes
    )


def test_part_keeps_departemental_files_apart(tmp_path: Path, fixtures: Path) -> None:
    lille = derived(fixtures, "2024-950", set_field("code_commune", "59350"))
    batch = READ(write(tmp_path, [*lines_of(fixtures), *lille]))
    assert batch.part == "2024-01-59"
    deps = ["02", "03", "14", "2A", "46", "53", "59", "62", "75", "971"]
    national = [
        line
        for i, dep in enumerate(deps)
        for line in derived(
            fixtures, f"2024-96{i}", set_field("code_commune", dep + "001"[len(dep) - 2 :])
        )
    ]
    assert READ(write(tmp_path, [*lines_of(fixtures), *national], "fr.csv")).part == "2024"


def test_millesime_given_must_be_a_year_of_the_sales(fixtures: Path) -> None:
    assert READ(fixtures / REAL, millesime=2024).millesime == 2024
    with pytest.raises(SourceError, match=r"millésime demandé \(2023\)"):
        READ(fixtures / REAL, millesime=2023)


def test_gzipped_file_and_warehouse_connection(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "full.csv.gz"
    path.write_bytes(gzip.compress((fixtures / REAL).read_bytes()))
    con = duckdb.connect(str(tmp_path / "staging.duckdb"))
    batch = READ(path, con=con)
    rel = batch.tables["ventes"]
    assert isinstance(rel, duckdb.DuckDBPyRelation)
    rel.create("ventes")  # what the warehouse does
    assert con.execute("SELECT id_mutation, prix_m2 FROM ventes").fetchall() == [
        ("2024-4", pytest.approx(3702.247191))
    ]
    # Only temporary work tables besides: nothing else lands in the stored file.
    stored = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'staging'"
    ).fetchall()
    assert stored == [("ventes",)]


def test_happy_path_is_a_single_scan(monkeypatch: pytest.MonkeyPatch, fixtures: Path) -> None:
    def slow_pass(*_: object) -> list[object]:
        raise AssertionError("the line-by-line pass ran on a valid file")

    monkeypatch.setattr(dvf, "locate_problems", slow_pass)
    assert list(sales(READ(fixtures / REAL))) == ["2024-4"]


# --------------------------------------------------------------------------- bad input


def problems_of(path: Path) -> list[tuple[int | None, str | None, str | None, str]]:
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert str(exc.value).startswith(f"{len(exc.value.problems)} problème")
    return [(p.line, p.column, p.value, p.message) for p in exc.value.problems]


def edited(tmp_path: Path, fixtures: Path, edits: dict[int, Callable[[list[str]], None]]) -> Path:
    """The real file with some physical lines edited (1-based, header = line 1)."""
    lines = lines_of(fixtures)
    for number, edit in edits.items():
        cells = lines[number - 1].split(",")
        edit(cells)
        lines[number - 1] = ",".join(cells)
    return write(tmp_path, lines)


def test_invalid_values_name_line_column_value(tmp_path: Path, fixtures: Path) -> None:
    def flat(cells: list[str]) -> None:
        cells[COL["valeur_fonciere"]] = "329 500"
        cells[COL["code_commune"]] = "1173"
        cells[COL["date_mutation"]] = "03/01/2024"

    def unknown_local(cells: list[str]) -> None:
        cells[COL["code_type_local"]] = "9"

    found = problems_of(edited(tmp_path, fixtures, {8: flat, 5: unknown_local}))
    assert [f[:3] for f in found[:-1]] == [
        (5, "code_type_local", "9"),
        (8, "date_mutation", "03/01/2024"),
        (8, "valeur_fonciere", "329 500"),
        (8, "code_commune", "1173"),
    ]
    assert "nombre" in found[2][3] and "code commune INSEE" in found[3][3]
    assert found[-1][3] == "2 lignes avec des valeurs invalides au total."


def test_problems_are_bounded_with_a_total(tmp_path: Path, fixtures: Path) -> None:
    bad = [
        line
        for i in range(60)
        for line in derived(
            fixtures, f"2024-{1000 + i}", set_field("surface_reelle_bati", "n/a", is_flat)
        )
    ]
    found = problems_of(write(tmp_path, [*lines_of(fixtures), *bad]))
    assert len(found) == 51 and found[0][:3] == (82, "surface_reelle_bati", "n/a")
    assert found[-1][3] == "60 lignes avec des valeurs invalides au total."


def test_truncated_rows(tmp_path: Path, fixtures: Path) -> None:
    lines = lines_of(fixtures)
    lines[8] = ",".join(lines[8].split(",")[:30])  # line 9
    lines[19] = lines[19] + ",en trop"  # line 20
    found = problems_of(write(tmp_path, lines))
    assert [(f[0], f[3]) for f in found] == [
        (9, "30 champs au lieu de 40 (ligne tronquée ou séparateur incorrect)."),
        (20, "41 champs au lieu de 40 (ligne tronquée ou séparateur incorrect)."),
    ]


def test_wrong_encoding(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((fixtures / REAL).read_text(encoding="utf-8").encode("latin-1"))
    found = problems_of(path)
    # "prés" (nature de culture) on line 2 is the first non-ASCII character of the file.
    assert found[0][0] == 2 and "0xE9" in found[0][3] and "UTF-8" in found[0][3]


def test_missing_and_duplicated_columns_reported_together(tmp_path: Path, fixtures: Path) -> None:
    lines = lines_of(fixtures)
    lines[0] = (
        lines[0]
        .replace("surface_reelle_bati", "surface")
        .replace("code_type_local", "code_local")
        .replace("nom_commune", "latitude")
    )
    found = problems_of(write(tmp_path, lines))
    assert [(f[0], f[1]) for f in found] == [
        (1, "code_type_local"),
        (1, "surface_reelle_bati"),
        (1, "latitude"),
    ]
    assert "absente" in found[0][3] and "deux fois" in found[2][3]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "le fichier est vide."),
        (b"\n\n", "le fichier est vide."),
        (None, "le fichier ne contient aucune ligne de données."),
    ],
)
def test_empty_files(tmp_path: Path, fixtures: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "dvf.csv"
    path.write_bytes(content if content is not None else (lines_of(fixtures)[0] + "\n").encode())
    assert [f[3] for f in problems_of(path)] == [message]


def test_dgfip_raw_format_is_refused(tmp_path: Path, fixtures: Path) -> None:
    path = write(tmp_path, [line.replace(",", "|") for line in lines_of(fixtures)])
    found = problems_of(path)
    assert found[0][0] == 1 and "séparateur" in found[0][3] and "DGFiP" in found[0][3]


def test_truncated_gzip(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "full.csv.gz"
    path.write_bytes(gzip.compress((fixtures / REAL).read_bytes())[:40])
    assert "archive gzip illisible" in problems_of(path)[0][3]


def test_no_dwelling_sale(tmp_path: Path, fixtures: Path) -> None:
    lines = [line for line in lines_of(fixtures) if not line.startswith("2024-4,")]
    assert "aucune vente de logement" in problems_of(write(tmp_path, lines))[0][3]


def test_a_declared_departement_absent_from_the_file_is_refused(fixtures: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(fixtures / REAL, complete=("01", "33"))
    message = str(err.value)
    assert "--complet 33" in message and "absent du fichier" in message
    assert "--complet 01" not in message
