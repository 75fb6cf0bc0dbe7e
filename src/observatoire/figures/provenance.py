"""Where the file of each source of an indicator comes from, for the pages that say
"source non chargée": the producer, its page and how to obtain the file; for a declared
source, which partner provided each imported file and when."""

from __future__ import annotations

from dataclasses import dataclass

from observatoire import sources
from observatoire.indicators.catalog import Indicator
from observatoire.settings import active
from observatoire.sources import declared
from observatoire.warehouse.store import list_imports

# The note observatoire.figures.declared.import_declared adds to a partner's file.
PROVIDED = "fourni par "


@dataclass(frozen=True)
class SourceOrigin:
    name: str
    label: str
    producer: str
    url: str
    how_to_obtain: str
    # "siao-lens.csv (millésime 2024, importé le 05/12/2026) : fourni par ...".
    provided: tuple[str, ...] = ()


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
                provided=_provided(name),
            )
        )
    return out


def _provided(name: str) -> tuple[str, ...]:
    """Who provided the stored files of a declared source, and when."""
    if name not in declared.registered():
        return ()
    out = []
    for stored in list_imports(active().warehouse_dir, name):
        prov = stored.provenance
        for note in str(prov.get("notes") or "").split(" | "):
            if note.startswith(PROVIDED):
                when = str(prov.get("imported_at") or "")[:10]
                day = f"{when[8:10]}/{when[5:7]}/{when[:4]}" if len(when) == 10 else "?"
                out.append(
                    f"{prov.get('file_name')} (millésime {stored.millesime}, importé le "
                    f"{day}) : {note}"
                )
    return tuple(out)
