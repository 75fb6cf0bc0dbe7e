"""What the README and the datapackage of a release say about its rows (count,
indicators, territories, sources and their millésimes), gathered while the rows stream to
the files: a France release has 8 million rows, never held at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Summary:
    rows: int = 0
    indicators: set[str] = field(default_factory=set)
    territories: set[tuple[str, str]] = field(default_factory=set)
    # Source label -> its millésimes (0 when the cube has none).
    millesimes: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def counted(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """`rows`, unchanged, counted on their way."""
        for r in rows:
            self.rows += 1
            self.indicators.add(r["indicateur"])
            self.territories.add((r["niveau"], r["code"]))
            if r["source"]:
                millesime = r["millesime"]
                self.millesimes[r["source"]].add(millesime if millesime is not None else 0)
            yield r

    @property
    def sources(self) -> list[str]:
        return sorted(self.millesimes)
