"""The FINESS établissements d'hébergement of a territory, for the map and the list of its
portrait (hébergement theme), in the order of the Nord fiche's "nomenclature de l'offre"."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from observatoire import sources
from observatoire.figures.reader import PUBLIC, Reader
from observatoire.figures.store import cube, referential
from observatoire.indicators.catalog import get
from observatoire.indicators.etablissements import TABLE
from observatoire.sources.finess import TYPES
from observatoire.territories import Level, Territory

# The établissements share the diffusion of the counts they make up.
INDICATOR = "hebergement_etablissements"
# type code -> label, in the nomenclature's order (the map's legend, the list's order).
CATEGORIES: dict[str, str] = dict(TYPES)


@dataclass(frozen=True)
class Etablissement:
    nofinesset: str
    nom: str | None
    type: str  # a key of CATEGORIES
    categorie: str  # its label
    commune: str  # COG code today
    commune_nom: str
    places: int | None  # None: équipements file not imported with the établissements
    longitude: float | None  # None: "non localisé"
    latitude: float | None


@dataclass(frozen=True)
class Etablissements:
    """The établissements of the latest FINESS millésime in a territory. `loaded` is False
    when no FINESS extract is in the cube (`how_to_obtain` says where it comes from);
    `restricted` when the reader may not read them (then `items` is empty)."""

    territory: Territory
    millesime: int | None
    items: tuple[Etablissement, ...]
    loaded: bool
    how_to_obtain: str
    restricted: bool = False

    @property
    def located(self) -> tuple[Etablissement, ...]:
        return tuple(e for e in self.items if e.longitude is not None)

    @property
    def unlocated(self) -> int:
        return len(self.items) - len(self.located)

    @property
    def categories(self) -> list[tuple[str, str]]:
        """(type, label) of the nomenclature present in `items`, in its order."""
        present = {e.type for e in self.items}
        return [(t, label) for t, label in CATEGORIES.items() if t in present]


def etablissements(territory: Territory, reader: Reader = PUBLIC) -> Etablissements:
    how = sources.get("finess").how_to_obtain
    if not reader.can_read(get(INDICATOR).diffusion, territory):
        return Etablissements(territory, None, (), True, how, restricted=True)
    ref = referential()
    communes = list(ref.communes_of(territory))
    con = cube().con
    try:
        loaded = con.execute(f"SELECT max(millesime) FROM {TABLE}").fetchone()
        rows = con.execute(
            "SELECT nofinesset, rs, type, commune, places, longitude, latitude "
            f"FROM {TABLE} WHERE commune IN (SELECT unnest(?))",
            [communes],
        ).fetchall()
    except duckdb.CatalogException:  # a cube built before the établissements were kept
        loaded, rows = None, []
    millesime = loaded[0] if loaded else None
    order = list(CATEGORIES)
    items = sorted(
        (
            Etablissement(
                nofinesset=r[0],
                nom=r[1],
                type=r[2],
                categorie=CATEGORIES[r[2]],
                commune=r[3],
                commune_nom=ref.name(Territory(Level.COM, r[3])),
                places=None if r[4] is None else int(r[4]),
                longitude=r[5],
                latitude=r[6],
            )
            for r in rows
        ),
        key=lambda e: (order.index(e.type), e.commune_nom, e.nom or "", e.nofinesset),
    )
    return Etablissements(territory, millesime, tuple(items), millesime is not None, how)
