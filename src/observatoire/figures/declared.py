"""The sources declared in the active data dir, as the apps see them (the import page, the
convention notices), and the import of one of their files (observatoire.sources.declared
describes a declaration)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from observatoire import sources
from observatoire.figures.provenance import PROVIDED
from observatoire.figures.reader import Reader
from observatoire.problems import Problem
from observatoire.settings import active
from observatoire.sources import SourceError, declared
from observatoire.sources.base import LINE
from observatoire.sources.declared import ABSENT, DIFFUSIONS, KEYS, LEVELS
from observatoire.territories import Level, Territory
from observatoire.warehouse.imports import ImportResult, import_file
from observatoire.warehouse.parts import Overlap, file_part, overlaps
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
    parts = [file_part(i.part) for i in list_imports(active().warehouse_dir) if i.source == name]
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


def declaration_text(name: str) -> str | None:
    """The TOML of a registered declaration (the declaration form edits it)."""
    decl = declared.registered().get(name)
    return decl.text if decl is not None else None


@dataclass(frozen=True)
class Checked:
    """A file of a declared source that passed every check: what it would import."""

    millesime: int
    rows: int
    territories: tuple[Territory, ...]
    # (territory, year, variable, value, status), sorted: what the validator previews.
    values: tuple[tuple[Territory, int, str, float | None, str], ...]


def check_declared(
    name: str, path: Path, reader: Reader, *, provider: str | None = None
) -> Checked:
    """Read a file of the declared source `name` as the import would, and check that
    every row's territory is in the reader's scope (SourceError: every problem located,
    a row outside the scope by its line). `provider`: a partner's file (warehouse.parts),
    refused where another stored file of the source gives the same value."""
    decl = declared.registered().get(name)
    if decl is None:
        raise SourceError([Problem(path.name, f"source « {name} » non déclarée.")])
    typed = declared.typed_rows(decl, path)
    column = decl.territory_column
    outside = [
        Problem(
            path.name,
            "territoire hors de votre périmètre.",
            int(line),
            column,
            f"{decl.level}:{code}",
        )
        for line, code in typed.select(LINE, column).iter_rows()
        if not reader.in_scope(Territory(Level(decl.level), code))
    ]
    if outside:
        raise SourceError(outside)
    batch = sources.get(name).read(path)
    observations = batch.tables["observations"]
    assert isinstance(observations, pl.DataFrame)  # the declared reader's frame
    if provider:
        clashes = overlaps(active().warehouse_dir, name, observations, provider)
        if clashes:
            raise SourceError(_conflicts(decl, typed, path.name, clashes))
    values = tuple(
        (Territory(Level(level), code), int(year), variable, value, str(status))
        for level, code, year, variable, value, status in observations.select(
            "level", "code", "year", "variable", "value", "status"
        ).iter_rows()
    )
    return Checked(
        millesime=batch.millesime,
        rows=batch.row_count,
        territories=tuple(sorted({v[0] for v in values}, key=str)),
        values=values,
    )


def _conflicts(
    decl: declared.Declaration, typed: pl.DataFrame, file_name: str, clashes: list[Overlap]
) -> list[Problem]:
    """One problem per line of the file giving a value another stored file gives."""
    code, year = decl.territory_column, decl.year_column
    lines = {
        (str(c), int(y) if year else None): int(line)
        for line, c, y in typed.select(LINE, code, pl.col(year) if year else pl.lit(0)).iter_rows()
    }
    problems = []
    for c in clashes:
        line = lines.get((c.code, c.year if year else None))
        who = next(
            (n.removeprefix(PROVIDED) for n in c.notes.split(" | ") if n.startswith(PROVIDED)),
            "import de l'observatoire",
        )
        problems.append(
            Problem(
                file_name,
                f"valeur de {c.year} déjà fournie par le fichier « {c.file_name} » ({who}) : "
                "deux fichiers ne peuvent pas donner une valeur pour le même territoire, la "
                "même année et la même variable. Retirez la ligne de l'un des deux fichiers.",
                line,
                c.variable,
                f"{c.level}:{c.code}",
            )
        )
    return problems


def import_declared(
    name: str,
    path: Path,
    reader: Reader,
    *,
    provided_by: str = "",
    provider: str | None = None,
) -> ImportResult:
    """Import a file of the declared source `name` for `reader`: every territory of the
    file must be in the reader's scope (SourceError: every problem located).
    `provided_by`: the partner who sent the file, kept in the import's provenance.
    `provider`: the partner's key; its file is stored as its own part, beside the other
    partners' (warehouse.parts), and refused where it gives a value another file gives."""
    check_declared(name, path, reader, provider=provider)
    notes = (f"{PROVIDED}{provided_by}",) if provided_by else ()
    return import_file(active(), name, path, notes=notes, provider=provider)


__all__ = [
    "ABSENT",
    "DIFFUSIONS",
    "KEYS",
    "LEVELS",
    "Checked",
    "DeclaredSource",
    "SourceError",
    "check_declared",
    "declaration_text",
    "declared_sources",
    "import_declared",
]
