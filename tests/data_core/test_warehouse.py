from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from observatoire.settings import Settings
from observatoire.sources import SourceError, UnknownSourceError
from observatoire.warehouse.imports import import_file, sha256
from observatoire.warehouse.store import list_imports

RP = "insee_rp_logement/base-cc-logement-2021-extrait.csv"


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_import_records_provenance(settings: Settings, fixtures: Path) -> None:
    result = import_file(settings, "insee_rp_logement", fixtures / RP)
    assert (result.millesime, result.part, result.rows, result.replaced) == (2021, "COM", 44, False)
    [stored] = list_imports(settings.warehouse_dir)
    prov = stored.provenance
    assert prov["source"] == "insee_rp_logement" and prov["producer"] == "INSEE"
    assert prov["file_name"] == "base-cc-logement-2021-extrait.csv"
    assert prov["sha256"] == sha256(fixtures / RP)
    assert prov["row_count"] == 44 and prov["millesime"] == 2021 and prov["geo_vintage"] == 2023
    assert str(prov["imported_at"]).startswith("20")
    assert "observations" in stored.tables


def test_reimport_replaces_in_one_step(settings: Settings, fixtures: Path) -> None:
    import_file(settings, "insee_rp_logement", fixtures / RP)
    again = import_file(settings, "insee_rp_logement", fixtures / RP)
    assert again.replaced
    assert len(list_imports(settings.warehouse_dir)) == 1


def test_failed_import_leaves_warehouse_exactly_as_before(
    settings: Settings, fixtures: Path, tmp_path: Path
) -> None:
    import_file(settings, "insee_rp_logement", fixtures / RP)
    before = snapshot(settings.warehouse_dir)
    bad = tmp_path / "base-cc-logement-2021.csv"
    text = (fixtures / RP).read_text(encoding="utf-8").replace("372.387493855914", "trois cents")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        import_file(settings, "insee_rp_logement", bad)
    assert exc.value.problems[0].value == "trois cents"
    assert snapshot(settings.warehouse_dir) == before
    assert not list((settings.warehouse_dir / ".staging").iterdir())


def test_two_data_dirs_never_interfere(tmp_path: Path, fixtures: Path) -> None:
    a, b = Settings(tmp_path / "a"), Settings(tmp_path / "b")
    import_file(a, "insee_rp_logement", fixtures / RP)
    assert list_imports(b.warehouse_dir) == []
    assert len(list_imports(a.warehouse_dir)) == 1


def test_unknown_source_is_refused(settings: Settings, fixtures: Path) -> None:
    with pytest.raises(UnknownSourceError, match="Sources disponibles"):
        import_file(settings, "filocom", fixtures / RP)


def test_missing_file(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="introuvable"):
        import_file(settings, "insee_rp_logement", tmp_path / "absent.csv")
