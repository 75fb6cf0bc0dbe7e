"""The benchmark's synthetic DVF file has the real file's format and structure.

The reference is a byte copy of the first 8 lines of the real Etalab extract
(geo-dvf-2024-dep01-head.csv, SOURCES.md §3): every format rule checked on the generated
rows is first checked on the real ones, so no rule here is invented.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from bench import generate

REAL = Path(__file__).parent.parent / "fixtures" / "bench" / "geo-dvf-2024-dep01-head8.csv"

FORMATS = {
    "id_mutation": r"2024-\d+",
    "date_mutation": r"2024-\d{2}-\d{2}",
    "numero_disposition": r"\d{6}",
    "valeur_fonciere": r"|\d+(\.\d{1,2})?",
    "code_commune": r"\d{5}|2[AB]\d{3}",
    "code_departement": r"\d{2,3}|2[AB]",
    "code_postal": r"|\d{5}",
    "id_parcelle": r"(\d{5}|2[AB]\d{3})[0-9A-Z]{5}\d{4}",
    "code_type_local": r"|[1-4]",
    "surface_reelle_bati": r"|\d+",
    "nombre_lots": r"\d+",
    "surface_terrain": r"|\d+",
    "longitude": r"|-?\d+(\.\d+)?",
    "latitude": r"|-?\d+(\.\d+)?",
}


def rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "dvf.csv"
    stamp = generate.generate(path, 20_000)
    assert stamp["rows"] >= 20_000
    return path


@pytest.fixture(scope="module")
def data(synthetic: Path) -> list[dict[str, str]]:
    return rows(synthetic)[1]


def test_header_is_the_real_header(synthetic: Path) -> None:
    real_header, _ = rows(REAL)
    with synthetic.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert len(real_header) == 40
    assert header == real_header
    # Same first line byte for byte: no BOM, no quoting, comma separator.
    assert synthetic.read_bytes().split(b"\n")[0] == REAL.read_bytes().split(b"\n")[0]


@pytest.mark.parametrize("column", sorted(FORMATS))
def test_formats_match_the_real_file(data: list[dict[str, str]], column: str) -> None:
    pattern = re.compile(FORMATS[column])
    for name, records in (("réel", rows(REAL)[1]), ("synthétique", data)):
        bad = [r[column] for r in records if not pattern.fullmatch(r[column])]
        assert bad == [], (name, column, bad[:5])


def test_mutation_structure(data: list[dict[str, str]]) -> None:
    per_mutation = Counter(r["id_mutation"] for r in data)
    assert sum(1 for n in per_mutation.values() if n > 1) > 0.3 * len(per_mutation)
    assert max(per_mutation.values()) >= 20  # bare land over many parcels
    by_id: dict[str, list[dict[str, str]]] = {}
    for r in data:
        by_id.setdefault(r["id_mutation"], []).append(r)
    for group in by_id.values():
        # A mutation's rows are contiguous and share their price, date, nature, commune.
        for key in ("valeur_fonciere", "date_mutation", "nature_mutation", "code_commune"):
            assert len({r[key] for r in group}) == 1
    ids = [r["id_mutation"] for r in data]
    assert sum(1 for a, b in itertools.pairwise(ids) if a != b) == len(by_id) - 1
    # Houses repeated once per nature de culture: the DVF duplication trap is present.
    assert any(
        sum(r["type_local"] == "Maison" for r in g) == 2
        and len({r["code_nature_culture"] for r in g}) > 1
        for g in by_id.values()
    )


def test_realistic_mix(synthetic: Path, data: list[dict[str, str]]) -> None:
    natures = Counter(r["nature_mutation"] for r in data)
    assert natures.most_common(1)[0][0] == "Vente"
    assert {"Vente en l'état futur d'achèvement", "Adjudication", "Echange"} <= set(natures)
    types = Counter(r["type_local"] for r in data)
    assert set(types) == {
        "Maison", "Appartement", "Dépendance", "Local industriel. commercial ou assimilé", "",
    }  # fmt: skip
    deps = {r["code_departement"] for r in data}
    assert len(deps) > 90 and not deps & {"57", "67", "68", "976"}
    assert any(r["code_commune"].startswith("751") for r in data)  # Paris arrondissements
    # Same bytes for the same row count (seeded, thread-order free).
    again = synthetic.with_name("again.csv")
    generate.generate(again, 20_000, threads=1)
    assert again.read_bytes() == synthetic.read_bytes()
