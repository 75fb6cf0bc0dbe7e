from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from observatoire.settings import Settings
from observatoire.sources import SourceError, UnknownSourceError
from observatoire.warehouse.imports import ShrinkError, import_file, sha256
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


def cut(source: Path, target: Path, lines: int) -> Path:
    """The first `lines` lines of `source`, as an interrupted download leaves it."""
    with source.open("rb") as fh:
        target.write_bytes(b"".join(fh.readlines()[:lines]))
    return target


def test_a_file_cut_in_half_does_not_replace_a_good_import(
    settings: Settings, fixtures: Path, tmp_path: Path
) -> None:
    import_file(settings, "insee_rp_logement", fixtures / RP)
    before = snapshot(settings.warehouse_dir)
    # Header + 21 of the 44 communes: a valid file, under half the rows and territories.
    half = cut(fixtures / RP, tmp_path / "base-cc-logement-2021.csv", 22)
    with pytest.raises(ShrinkError) as exc:
        import_file(settings, "insee_rp_logement", half)
    assert (exc.value.new.rows, exc.value.new.territories) == (21, 21)
    assert (exc.value.old.rows, exc.value.old.territories) == (44, 44)
    message = exc.value.render()
    assert "21 lignes et 21 territoires, contre 44 lignes et 44 territoires" in message
    assert "base-cc-logement-2021-extrait.csv" in message and "rien n'a été importé" in message
    assert snapshot(settings.warehouse_dir) == before
    # Confirmed by the user, it replaces the import.
    result = import_file(settings, "insee_rp_logement", half, accept_fewer=True)
    assert result.replaced and result.rows == 21
    [stored] = list_imports(settings.warehouse_dir)
    assert stored.provenance["row_count"] == 21


def test_a_file_with_half_the_rows_or_more_replaces_without_asking(
    settings: Settings, fixtures: Path, tmp_path: Path
) -> None:
    import_file(settings, "insee_rp_logement", fixtures / RP)
    # 22 of 44 communes: exactly half, not "far fewer".
    result = import_file(settings, "insee_rp_logement", cut(fixtures / RP, tmp_path / "rp.csv", 23))
    assert result.replaced and result.rows == 22


def test_records_count_their_communes_as_territories(
    settings: Settings, fixtures: Path, tmp_path: Path
) -> None:
    """Sitadel: 172 permits of one commune (Toulouse); half the lines keep the commune
    but lose the rows."""
    source = fixtures / "sitadel/sitadel-logements-commune31555-2026-01-extrait.csv"
    import_file(settings, "sitadel", source)
    with pytest.raises(ShrinkError) as exc:
        import_file(settings, "sitadel", cut(source, tmp_path / source.name, 60))
    assert exc.value.new.territories == exc.value.old.territories == 1
    assert exc.value.new.rows < exc.value.old.rows / 2
