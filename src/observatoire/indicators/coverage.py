"""What the observatory covers of what a PLH or PDH observatory must observe
(`coverage.toml`: the fields of article R302-1-4 of the CCH and the items of the Nord
PDH's fiche 11), read against the catalog: the indicators measuring each field, those
announced by themes still being merged (« à venir »), and what is missing with the source
that would fill it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from observatoire.indicators.catalog import CatalogError, Indicator, catalog

GROUPS = {
    "r302": "Article R302-1-4 du code de la construction et de l'habitation",
    "fiche11": "PDH du Nord, fiche 11 : liste des indicateurs (base de données)",
}


@dataclass(frozen=True)
class Missing:
    what: str
    source: str


@dataclass(frozen=True)
class Field:
    group: str
    key: str
    label: str
    themes: tuple[str, ...]
    codes: tuple[str, ...]
    upcoming: tuple[str, ...]
    upcoming_themes: tuple[str, ...]
    missing: tuple[Missing, ...]

    def indicators(self, items: dict[str, Indicator]) -> list[Indicator]:
        """Catalog indicators of the field: its themes' and its codes', upcoming codes
        and themes included once the catalog holds them."""
        themes = set(self.themes) | set(self.upcoming_themes)
        codes = set(self.codes) | set(self.upcoming)
        return [i for i in items.values() if i.theme in themes or i.code in codes]

    def to_come(self, items: dict[str, Indicator]) -> list[str]:
        """Upcoming codes and themes the catalog does not hold yet."""
        themes = {i.theme for i in items.values()}
        return [c for c in self.upcoming if c not in items] + [
            t for t in self.upcoming_themes if t not in themes
        ]


def parse_coverage(text: str) -> list[Field]:
    out: list[Field] = []
    seen: set[tuple[str, str]] = set()
    for raw in tomllib.loads(text).get("field", []):
        group, key = raw["group"], raw["key"]
        if group not in GROUPS:
            raise CatalogError(f"Couverture : groupe « {group} » inconnu ({key}).")
        if (group, key) in seen:
            raise CatalogError(f"Couverture : champ « {group}/{key} » déclaré deux fois.")
        seen.add((group, key))
        out.append(
            Field(
                group=group,
                key=key,
                label=raw["label"],
                themes=tuple(raw.get("themes", ())),
                codes=tuple(raw.get("indicators", ())),
                upcoming=tuple(raw.get("upcoming", ())),
                upcoming_themes=tuple(raw.get("upcoming_themes", ())),
                missing=tuple(Missing(m["what"], m["source"]) for m in raw.get("missing", ())),
            )
        )
    return out


@cache
def coverage() -> list[Field]:
    text = (resources.files("observatoire.indicators") / "coverage.toml").read_text("utf-8")
    return parse_coverage(text)


def unknown_references(fields: list[Field], items: dict[str, Indicator]) -> list[str]:
    """Themes and codes a field names that the catalog does not hold (upcoming ones
    excepted): a renamed indicator must be renamed here too."""
    themes = {i.theme for i in items.values()}
    out = []
    for f in fields:
        out += [f"{f.key} : thème « {t} »" for t in f.themes if t not in themes]
        out += [f"{f.key} : indicateur « {c} »" for c in f.codes if c not in items]
    return out


def unclassified(fields: list[Field], items: dict[str, Indicator] | None = None) -> list[str]:
    """Catalog indicators no field measures: a new indicator must be classified."""
    items = catalog() if items is None else items
    covered = {i.code for f in fields for i in f.indicators(items)}
    return [code for code in items if code not in covered]
