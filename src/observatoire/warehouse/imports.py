"""Import one producer file: validate -> stage -> swap in, with provenance.

Validation happens entirely before anything is renamed: on any problem the stored slice
(if any) is left exactly as it was.

A file that would replace a stored slice with far fewer rows or territories (under half
of either, `SHRINK_LIMIT`) is refused unless the caller accepts it: a download cut at a
line boundary reads as a valid, shorter file (docs/deploiement.md, §8).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from observatoire import sources
from observatoire.settings import Settings
from observatoire.sources.base import Problem, SourceError
from observatoire.sql import identifier, literal
from observatoire.warehouse.parts import own_slices, partner_part
from observatoire.warehouse.store import (
    PROVENANCE_TABLE,
    promote,
    remove_stale,
    slice_path,
    staging,
)

# A new file of the same source, millésime and part with under half the rows or half the
# territories of the slice it replaces is taken for a truncated download.
SHRINK_LIMIT = 0.5


@dataclass(frozen=True)
class Extent:
    """How big a slice is: the rows the reader kept and the territories it covers."""

    rows: int
    territories: int

    def words(self) -> str:
        return f"{self.rows} lignes et {self.territories} territoires"


class ShrinkError(SourceError):
    """The file would replace a stored slice with far fewer rows or territories; nothing
    was stored. `import_file(..., accept_fewer=True)` replaces it anyway."""

    def __init__(self, file_name: str, new: Extent, old: Extent, old_file: str):
        self.new, self.old = new, old
        super().__init__(
            [
                Problem(
                    file_name,
                    f"ce fichier compte {new.words()}, contre {old.words()} pour l'import "
                    f"qu'il remplacerait (« {old_file} ») : moins de la moitié. Un "
                    "téléchargement interrompu donne un fichier coupé mais lisible : "
                    "vérifiez le fichier, puis confirmez le remplacement s'il est complet.",
                )
            ]
        )


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


def _territories(con: duckdb.DuckDBPyConnection, catalog: str) -> int:
    """Distinct territories of a slice: (level, code) of its observations, plus the
    communes of its records (`code_commune`)."""
    columns: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_name <> ?",
        [catalog, PROVENANCE_TABLE],
    ).fetchall():
        columns.setdefault(table, set()).add(column)
    parts = []
    for table, names in sorted(columns.items()):
        qualified = f"{identifier(catalog)}.main.{identifier(table)}"
        if {"level", "code"} <= names:
            parts.append(f"SELECT level || ':' || code AS t FROM {qualified}")
        elif "code_commune" in names:
            parts.append(f"SELECT 'COM:' || code_commune AS t FROM {qualified}")
    if not parts:
        return 0
    row = con.execute(f"SELECT count(DISTINCT t) FROM ({' UNION ALL '.join(parts)})").fetchone()
    return int(row[0]) if row else 0


def _check_shrink(
    con: duckdb.DuckDBPyConnection, file_name: str, rows: int, previous: Path
) -> None:
    """Raise ShrinkError if the staged slice is far smaller than `previous`."""
    here = con.execute("SELECT current_database()").fetchone()
    new = Extent(rows, _territories(con, str(here[0]) if here else "memory"))
    con.execute(f"ATTACH {literal(previous)} AS previous (READ_ONLY)")
    try:
        prov = con.execute(
            f"SELECT row_count, file_name FROM previous.main.{PROVENANCE_TABLE}"
        ).fetchone()
        old = Extent(int(prov[0]) if prov else 0, _territories(con, "previous"))
        old_file = str(prov[1]) if prov else previous.name
    finally:
        con.execute("DETACH previous")
    if new.rows < SHRINK_LIMIT * old.rows or new.territories < SHRINK_LIMIT * old.territories:
        raise ShrinkError(file_name, new, old, old_file)


def import_file(
    settings: Settings,
    source_name: str,
    path: Path,
    millesime: int | None = None,
    complete: tuple[str, ...] = (),
    *,
    accept_fewer: bool = False,
    notes: tuple[str, ...] = (),
    provider: str | None = None,
) -> ImportResult:
    """Read, validate and store `path` as source `source_name`. Raises SourceError, and
    ShrinkError (one of them) when it would replace a stored slice with far fewer rows
    or territories, unless `accept_fewer`.
    `complete`: départements declared whole in the file (DVF, see sources.dvf_coverage).
    `notes`: added to the reader's in the provenance (who provided a partner's file).
    `provider`: a partner's file, stored as that partner's own part (warehouse.parts): it
    replaces only the partner's previous file of the millésime."""
    info = sources.get(source_name, settings)
    if not path.is_file():
        raise SourceError([Problem(path.name, f"fichier introuvable : {path}.")])
    root = settings.warehouse_dir
    # Builds stage in the data dir: what a killed one left goes too (its own staging()
    # cleans this import's area).
    remove_stale(settings.data_dir)
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
        part = partner_part(batch.part, provider) if provider else batch.part
        provenance = {
            "source": info.name,
            "producer": info.producer,
            "millesime": batch.millesime,
            "part": part,
            "layout": batch.layout,
            "geo_vintage": batch.geo_vintage,
            "file_name": path.name,
            "sha256": sha256(path),
            "row_count": batch.row_count,
            "imported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "notes": " | ".join([*batch.notes, *notes]),
            "perimeter": batch.perimeter,
        }
        con.execute(
            f"CREATE TABLE {PROVENANCE_TABLE} AS SELECT * FROM (VALUES ("
            + ", ".join("?" for _ in provenance)
            + ")) t("
            + ", ".join(provenance)
            + ")",
            list(provenance.values()),
        )
        final = slice_path(root, info.name, batch.millesime, part)
        previous = [final] if final.exists() else []
        if provider:
            # A partner's previous file may have covered other départements (another part).
            previous = [s.path for s in own_slices(root, info.name, batch.millesime, provider)]
        replaced = bool(previous)
        if replaced and not accept_fewer:
            _check_shrink(con, path.name, batch.row_count, previous[0])
        promote(con, tmp, final)
    for stale in previous:
        if stale != final:
            stale.unlink(missing_ok=True)
    return ImportResult(
        source=info.name,
        millesime=batch.millesime,
        part=part,
        path=final,
        rows=batch.row_count,
        replaced=replaced,
        notes=(*batch.notes, *notes),
    )
