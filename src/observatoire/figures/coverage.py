"""The page « Couverture de l'observatoire », as data: for each field of
`indicators/coverage.toml`, the catalog indicators measuring it, the sources they are
computed from with the millésimes the warehouse holds (the provenance table of the
cube), and what is missing with the source that would fill it."""

from __future__ import annotations

from dataclasses import dataclass

from observatoire.figures.labels import source_label
from observatoire.figures.store import cube
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.indicators.coverage import GROUPS, Field, Missing, coverage
from observatoire.indicators.query import QueryError


@dataclass(frozen=True)
class LoadedSource:
    code: str
    label: str
    millesimes: tuple[str, ...]  # empty: not loaded


@dataclass(frozen=True)
class FieldCoverage:
    field: Field
    indicators: tuple[Indicator, ...]
    sources: tuple[LoadedSource, ...]
    to_come: tuple[str, ...]
    missing: tuple[Missing, ...]

    @property
    def state(self) -> str:
        """ "couvert", "partiel" (something missing or nothing loaded) or "absent"."""
        if not self.indicators:
            return "absent"
        loaded = any(s.millesimes for s in self.sources)
        return "couvert" if loaded and not self.missing and not self.to_come else "partiel"


def loaded_millesimes() -> dict[str, tuple[str, ...]]:
    """Millésimes imported per source, from the cube's provenance (none without cube)."""
    try:
        rows = cube().imports()
    except QueryError:
        return {}
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(str(r["source"]), set()).add(str(r["millesime"]))
    return {s: tuple(sorted(m)) for s, m in out.items()}


def coverage_report() -> dict[str, list[FieldCoverage]]:
    """Fields by group (in `GROUPS` order), each with its indicators and sources."""
    items = catalog()
    loaded = loaded_millesimes()
    out: dict[str, list[FieldCoverage]] = {g: [] for g in GROUPS}
    for f in coverage():
        found = f.indicators(items)
        codes: list[str] = []
        for ind in found:
            codes += [s for s in ind.sources if s not in codes]
        out[f.group].append(
            FieldCoverage(
                field=f,
                indicators=tuple(found),
                sources=tuple(LoadedSource(s, source_label(s), loaded.get(s, ())) for s in codes),
                to_come=tuple(f.to_come(items)),
                missing=f.missing,
            )
        )
    return out
