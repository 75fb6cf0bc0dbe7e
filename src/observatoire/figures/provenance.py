"""Where the file of each source of an indicator comes from, for the pages that say
"source non chargée": the producer, its page and how to obtain the file."""

from __future__ import annotations

from dataclasses import dataclass

from observatoire import sources
from observatoire.indicators.catalog import Indicator


@dataclass(frozen=True)
class SourceOrigin:
    name: str
    label: str
    producer: str
    url: str
    how_to_obtain: str


def origins(indicator: Indicator) -> list[SourceOrigin]:
    """The sources of `indicator`'s recipes, in recipe order."""
    out = []
    for name in indicator.sources:
        info = sources.get(name)
        out.append(
            SourceOrigin(
                name=name,
                label=info.label,
                producer=info.producer,
                url=info.url,
                how_to_obtain=info.how_to_obtain
                or f"Fichier publié par {info.producer} : {info.url}",
            )
        )
    return out
