"""Partner parts of a declared source (issue #13 §3): each partner's validated file is its
own slice, so that two bailleurs of one département add up instead of replacing each other.

A partner's slice is named `<part of the file>__partenaire-<provider>` (the provider is the
organisation, or the account when it has none): a partner's new file of a millésime
replaces only that partner's slices of the millésime, whatever départements it covers.
The cube already unions every slice of a source (indicators.inputs.attach), so the parts
add up there; two slices giving the same (territory, year, variable) would have one of
them silently dropped, so a partner's file that overlaps another stored slice of its
source is refused (`overlaps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from observatoire.sql import literal
from observatoire.warehouse.store import StoredImport, list_imports

PARTNER = "__partenaire-"


def partner_part(part: str, provider: str) -> str:
    """The slice of `provider`'s file whose reader gave `part` ("DEP-62")."""
    return f"{part}{PARTNER}{provider}"


def file_part(part: str) -> str:
    """The reader's part of a slice, partner suffix removed: "DEP-62"."""
    return part.split(PARTNER, 1)[0]


def provider_of(part: str) -> str | None:
    _, sep, provider = part.partition(PARTNER)
    return provider if sep else None


def own_slices(root: Path, source: str, millesime: int, provider: str) -> list[StoredImport]:
    """The provider's stored slices of `source` for `millesime` (the ones its new file
    replaces)."""
    return [
        s
        for s in list_imports(root, source)
        if s.millesime == millesime and provider_of(s.part) == provider
    ]


@dataclass(frozen=True)
class Overlap:
    """A (territory, year, variable) of the incoming file already given by a stored slice."""

    level: str
    code: str
    year: int
    variable: str
    file_name: str
    notes: str


def overlaps(root: Path, source: str, observations: pl.DataFrame, provider: str) -> list[Overlap]:
    """The keys of `observations` (level, code, year, variable) that a stored slice of
    `source` not of `provider` also gives, with that slice's file and notes."""
    others = [s for s in list_imports(root, source) if provider_of(s.part) != provider]
    if not others or observations.is_empty():
        return []
    out: list[Overlap] = []
    con = duckdb.connect()
    try:
        con.register("_incoming", observations.select("level", "code", "year", "variable"))
        for stored in others:
            con.execute(f"ATTACH {literal(stored.path)} AS other (READ_ONLY)")
            try:
                if "observations" not in stored.tables:
                    continue
                rows = con.execute(
                    "SELECT DISTINCT i.level, i.code, i.year, i.variable FROM _incoming i "
                    "JOIN other.main.observations o USING (level, code, year, variable) "
                    "ORDER BY 1, 2, 3, 4"
                ).fetchall()
            finally:
                con.execute("DETACH other")
            prov = stored.provenance
            out += [
                Overlap(
                    str(level),
                    str(code),
                    int(year),
                    str(variable),
                    str(prov.get("file_name") or stored.path.name),
                    str(prov.get("notes") or ""),
                )
                for level, code, year, variable in rows
            ]
    finally:
        con.close()
    return out
