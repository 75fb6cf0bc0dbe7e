"""The warehouse on disk: one DuckDB file per imported slice, swapped in by rename.

Layout under the data dir:
    warehouse/<source>/<millesime>__<part>.duckdb   tables of the Batch + `_provenance`
    cube.duckdb                                     the indicator cube (see indicators.cube)

A file is written under a temporary name in the same directory and renamed into place
(`os.replace` is atomic on POSIX): a reader sees the old file or the new one, never half
of one, and a failed import leaves the directory exactly as it was. DuckDB allows one
writer per file and a read-only reader blocks a writer, so nothing is ever written in
place: readers open files read-only, writers only ever write new files.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROVENANCE_TABLE = "_provenance"
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class StoredImport:
    source: str
    millesime: int
    part: str
    path: Path
    provenance: dict[str, object]
    tables: tuple[str, ...]


def slice_path(root: Path, source: str, millesime: int, part: str) -> Path:
    return root / source / f"{millesime}__{_SAFE.sub('-', part)}.duckdb"


@contextlib.contextmanager
def staging(root: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """A connection to a fresh DuckDB file in `root/.staging` (same file system as its
    final place, so the rename is atomic). The caller promotes it with `promote()`;
    on any exception, or if it was not promoted, the staging file is deleted."""
    area = root / ".staging"
    area.mkdir(parents=True, exist_ok=True)
    tmp = area / f"{uuid.uuid4().hex}.duckdb"
    con = duckdb.connect(str(tmp))
    # DuckDB's own progress bar would print on the user's terminal under ours.
    con.execute("SET enable_progress_bar = false")
    try:
        yield con, tmp
    finally:
        con.close()
        _remove(tmp)


def promote(con: duckdb.DuckDBPyConnection, tmp: Path, final: Path) -> None:
    """Close the staging connection (flushing it) and rename the file into place."""
    con.execute("CHECKPOINT")
    con.close()
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)


def _remove(path: Path) -> None:
    for p in (path, Path(str(path) + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def list_imports(root: Path) -> list[StoredImport]:
    """Every stored slice with its provenance, ordered by source then millésime."""
    out: list[StoredImport] = []
    if not root.exists():
        return out
    for path in sorted(root.glob("*/*.duckdb")):
        if path.name.startswith("."):
            continue
        con = duckdb.connect(str(path), read_only=True)
        try:
            cur = con.execute(f"SELECT * FROM {PROVENANCE_TABLE}")
            names = [d[0] for d in cur.description or []]
            row = cur.fetchone()
            tables = tuple(
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_name <> ? ORDER BY 1",
                    [PROVENANCE_TABLE],
                ).fetchall()
            )
        finally:
            con.close()
        if row is None:
            continue
        prov = dict(zip(names, row, strict=True))
        out.append(
            StoredImport(
                source=str(prov["source"]),
                millesime=int(prov["millesime"]),
                part=str(prov["part"]),
                path=path,
                provenance=prov,
                tables=tables,
            )
        )
    return out
