"""Import one producer file: validate -> stage -> swap in, with provenance.

Validation happens entirely before anything is renamed: on any problem the stored slice
(if any) is left exactly as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from observatoire import sources
from observatoire.settings import Settings
from observatoire.sources.base import Problem, SourceError
from observatoire.sql import identifier
from observatoire.warehouse.store import PROVENANCE_TABLE, promote, slice_path, staging


@dataclass(frozen=True)
class ImportResult:
    source: str
    millesime: int
    part: str
    path: Path
    rows: int
    replaced: bool
    notes: tuple[str, ...]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    settings: Settings,
    source_name: str,
    path: Path,
    millesime: int | None = None,
    complete: tuple[str, ...] = (),
) -> ImportResult:
    """Read, validate and store `path` as source `source_name`. Raises SourceError.
    `complete`: départements declared whole in the file (DVF, see sources.dvf_coverage)."""
    info = sources.get(source_name)
    if not path.is_file():
        raise SourceError([Problem(path.name, f"fichier introuvable : {path}.")])
    root = settings.warehouse_dir
    with staging(root) as (con, tmp):
        batch = info.read(path, millesime=millesime, con=con, complete=complete)
        for name, table in batch.tables.items():
            if isinstance(table, pl.DataFrame):
                con.register("_incoming", table)
                con.execute(f"CREATE TABLE {identifier(name)} AS SELECT * FROM _incoming")
                con.unregister("_incoming")
            else:
                table.create(name)
        if "observations" in batch.tables:
            count = con.execute("SELECT count(*) FROM observations").fetchone()
            if count is None or count[0] == 0:
                raise SourceError(
                    [Problem(path.name, "aucune donnée exploitable dans le fichier.")]
                )
        provenance = {
            "source": info.name,
            "producer": info.producer,
            "millesime": batch.millesime,
            "part": batch.part,
            "layout": batch.layout,
            "geo_vintage": batch.geo_vintage,
            "file_name": path.name,
            "sha256": sha256(path),
            "row_count": batch.row_count,
            "imported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "notes": " | ".join(batch.notes),
        }
        con.execute(
            f"CREATE TABLE {PROVENANCE_TABLE} AS SELECT * FROM (VALUES ("
            + ", ".join("?" for _ in provenance)
            + ")) t("
            + ", ".join(provenance)
            + ")",
            list(provenance.values()),
        )
        final = slice_path(root, info.name, batch.millesime, batch.part)
        replaced = final.exists()
        promote(con, tmp, final)
    return ImportResult(
        source=info.name,
        millesime=batch.millesime,
        part=batch.part,
        path=final,
        rows=batch.row_count,
        replaced=replaced,
        notes=tuple(batch.notes),
    )
