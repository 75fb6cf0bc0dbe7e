"""The warehouse on disk: one DuckDB file per imported slice, swapped in by rename.

Layout under the data dir:
    warehouse/<source>/<millesime>__<part>.duckdb   tables of the Batch + `_provenance`
    cube.duckdb                                     the indicator cube (see indicators.cube)

A file is written under a temporary name in the same directory and renamed into place
(`os.replace` is atomic on POSIX): a reader sees the old file or the new one, never half
of one, and a failed import leaves the directory exactly as it was. DuckDB allows one
writer per file and a read-only reader blocks a writer, so nothing is ever written in
place: readers open files read-only, writers only ever write new files.

Staging files live in `<root>/.staging`, never among the imports. A process killed while
writing one (kill -9, the OOM killer) cannot delete it: each staging file `<id>.duckdb`
has a lock file `<id>.lock` that its writer holds (flock) while it lives, and the next
`staging()` of that area removes the files whose lock is free. The kernel releases a
dead process's locks, so a held lock always means a live writer, whose file is left alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
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


STAGING = ".staging"


@contextlib.contextmanager
def staging(root: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """A connection to a fresh DuckDB file in `root/.staging` (same file system as its
    final place, so the rename is atomic). The caller promotes it with `promote()`;
    on any exception, or if it was not promoted, the staging file is deleted. Staging
    files left by killed processes in that area are deleted first."""
    area = root / STAGING
    area.mkdir(parents=True, exist_ok=True)
    remove_stale(root)
    lock, tmp = _claim(area)
    try:
        con = duckdb.connect(str(tmp))
        try:
            # DuckDB's own progress bar would print on the user's terminal under ours.
            con.execute("SET enable_progress_bar = false")
            yield con, tmp
        finally:
            con.close()
    finally:
        _remove_files(area, tmp.stem)
        os.close(lock)


def _claim(area: Path) -> tuple[int, Path]:
    """A new staging id whose lock file this process holds: (lock fd, database path)."""
    while True:
        stem = uuid.uuid4().hex
        path = area / f"{stem}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        # A cleaner may have taken the lock file for a dead one between open and flock
        # and deleted it: the lock is then held on nothing, take another id.
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd, area / f"{stem}.duckdb"
        os.close(fd)


def remove_stale(root: Path) -> list[str]:
    """Delete the staging files of `root/.staging` that no live process holds (left by a
    killed import or build); the ids removed. Never touches a running writer's file."""
    area = root / STAGING
    if not area.is_dir():
        return []
    removed = []
    stems = {entry.name.split(".", 1)[0] for entry in area.iterdir()}
    for stem in sorted(stems - {""}):
        try:
            fd = os.open(area / f"{stem}.lock", os.O_RDWR)
        except FileNotFoundError:
            # No lock file: its writer is gone (it deletes the lock last), or the file
            # predates the locks.
            _remove_files(area, stem)
            removed.append(stem)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            _remove_files(area, stem)
            removed.append(stem)
        finally:
            os.close(fd)
    return removed


def _remove_files(area: Path, stem: str) -> None:
    """The database, its WAL, DuckDB's spill directory, then the lock file (last: while
    it exists, a cleaner asks it whether the writer lives)."""
    names = [f"{stem}.duckdb", f"{stem}.duckdb.wal", f"{stem}.duckdb.tmp", f"{stem}.lock"]
    for name in names:
        path = area / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def promote(con: duckdb.DuckDBPyConnection, tmp: Path, final: Path) -> None:
    """Close the staging connection (flushing it) and rename the file into place."""
    con.execute("CHECKPOINT")
    con.close()
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)


def list_imports(root: Path, source: str | None = None) -> list[StoredImport]:
    """Every stored slice (of `source`, or of all) with its provenance, ordered by source
    then millésime."""
    out: list[StoredImport] = []
    if not root.exists():
        return out
    for path in sorted(root.glob(f"{source or '*'}/*.duckdb")):
        # `.staging` holds files being written (or left by a killed process), not imports.
        if path.name.startswith(".") or path.parent.name.startswith("."):
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
