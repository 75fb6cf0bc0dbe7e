"""The sources declared in the active data dir, as the apps see them (the import page, the
convention notices), and the import of one of their files (observatoire.sources.declared
describes a declaration)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from observatoire import sources
from observatoire.figures.reader import Reader
from observatoire.problems import Problem
from observatoire.settings import active
from observatoire.sources import SourceError, declared
from observatoire.territories import Level, Territory
from observatoire.warehouse.imports import ImportResult, import_file
from observatoire.warehouse.store import list_imports


@dataclass(frozen=True)
class DeclaredSource:
    name: str
    label: str
    producer: str
    diffusion: str
    convention: str
    end: date
    expired: bool
    expiry_note: str
    # Départements of its imported files (None: its files are by EPCI, or none imported).
    departements: tuple[str, ...] | None


def _departements(name: str) -> tuple[str, ...] | None:
    parts = [i.part for i in list_imports(active().warehouse_dir) if i.source == name]
    if not parts or not all(p.startswith("DEP-") for p in parts):
        return None
    return tuple(sorted({d for p in parts for d in p.removeprefix("DEP-").split("-")}))


def declared_sources(today: date | None = None) -> list[DeclaredSource]:
    return [
        DeclaredSource(
            name=d.name,
            label=d.label,
            producer=d.producer,
            diffusion=d.diffusion,
            convention=d.convention,
            end=d.end,
            expired=d.expired(today),
            expiry_note=d.expiry_note(),
            departements=_departements(d.name),
        )
        for d in declared.registered().values()
    ]


def import_declared(name: str, path: Path, reader: Reader) -> ImportResult:
    """Import a file of the declared source `name` for `reader`: every territory of the
    file must be in the reader's scope (SourceError: every problem located)."""
    if name not in declared.registered():
        raise SourceError([Problem(path.name, f"source « {name} » non déclarée.")])
    batch = sources.get(name).read(path)
    observations = batch.tables["observations"]
    assert isinstance(observations, pl.DataFrame)  # the declared reader's frame
    codes = observations.select("level", "code").unique().sort("code")
    outside = [
        Problem(path.name, "territoire hors de votre périmètre.", value=f"{level}:{code}")
        for level, code in codes.iter_rows()
        if not reader.in_scope(Territory(Level(level), code))
    ]
    if outside:
        raise SourceError(outside)
    return import_file(active(), name, path)


__all__ = ["DeclaredSource", "SourceError", "declared_sources", "import_declared"]
