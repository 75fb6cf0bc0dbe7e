"""The Cartofriches sites of a territory, for the list and the map of its portrait."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from observatoire.figures.reader import PUBLIC, Reader
from observatoire.figures.store import cube, referential
from observatoire.indicators.catalog import get
from observatoire.indicators.friches import SITES_TABLE
from observatoire.territories import Territory

# The sites share the diffusion of the counts they make up.
INDICATOR = "friches_nombre"


@dataclass(frozen=True)
class FricheSite:
    site_id: str
    nom: str | None
    type: str | None
    statut: str | None
    surface: float | None  # m², unité foncière
    commune: str  # COG code today
    commune_nom: str | None
    longitude: float | None
    latitude: float | None


@dataclass(frozen=True)
class FricheSites:
    """The sites of the latest Cartofriches millésime in a territory; `restricted` when
    the reader may not read them (then `sites` is empty)."""

    territory: Territory
    millesime: int | None
    sites: tuple[FricheSite, ...]
    restricted: bool = False


def friche_sites(territory: Territory, reader: Reader = PUBLIC) -> FricheSites:
    if not reader.can_read(get(INDICATOR).diffusion, territory):
        return FricheSites(territory, None, (), restricted=True)
    communes = list(referential().communes_of(territory))
    try:
        rows = (
            cube()
            .con.execute(
                f"SELECT millesime, site_id, site_nom, site_type, site_statut, "
                "unite_fonciere_surface, commune, comm_nom, longitude, latitude "
                f"FROM {SITES_TABLE} WHERE commune IN (SELECT unnest(?)) "
                "ORDER BY commune, site_nom, site_id",
                [communes],
            )
            .fetchall()
        )
    except duckdb.CatalogException:  # a cube built before the sites were kept
        rows = []
    sites = tuple(FricheSite(*r[1:]) for r in rows)
    return FricheSites(territory, rows[0][0] if rows else None, sites)
