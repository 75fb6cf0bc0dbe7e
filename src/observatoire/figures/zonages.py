"""A commune's zonages and programmes as its portrait lists them: zone A/B/C, zone tendue,
THLV, ANCT programmes and quartiers prioritaires, each with its source and millésime.

Zones and programmes are read from the cube (the 0/1 commune values of the catalog
indicators); the quartiers, with their names and populations, from the QPV slice of the
warehouse, the only place their names are kept. A parent's portrait shows the counts
(catalog indicators), not this list."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from observatoire.figures.store import cube
from observatoire.indicators.query import Value
from observatoire.settings import active
from observatoire.territories import Level, Territory
from observatoire.warehouse.store import list_imports

ZONES = {
    "communes_zone_abis": "A bis",
    "communes_zone_a": "A",
    "communes_zone_b1": "B1",
    "communes_zone_b2": "B2",
    "communes_zone_c": "C",
}
PROGRAMMES = {
    "communes_pvd": "Petites villes de demain",
    "communes_acv": "Action cœur de ville",
    "communes_territoires_industrie": "Territoires d'industrie",
    "communes_france_services": "France Services",
    "communes_villages_avenir": "Villages d'avenir",
}


@dataclass(frozen=True)
class Zonage:
    """One line of the list: what (zone A/B/C...), the commune's answer, and where from."""

    label: str
    value: str
    source: str = ""
    millesime: int | None = None
    year: int | None = None
    geo_vintage: int | None = None


def _line(label: str, text: str, v: Value) -> Zonage:
    return Zonage(label, text, v.source_detail or "", v.millesime, v.year, v.geo_vintage)


def _flag(code: str, commune: Territory) -> Value | None:
    v = cube().value(code, commune)
    return v if v.value is not None else None


@dataclass(frozen=True)
class Quartier:
    """A quartier prioritaire as the QPV file gives it, once per commune it lies in
    (`communes`: the names of all its communes when it straddles several)."""

    code_commune: str
    code: str
    nom: str
    population: float | None  # the whole quartier's, even when it straddles communes
    communes: str | None
    intercommunal: bool


@dataclass(frozen=True)
class Quartiers:
    """The quartiers of some communes, from the newest QPV slice (millesime None: no slice
    imported)."""

    millesime: int | None
    quartiers: tuple[Quartier, ...]


QPV_SOURCE_LABEL = "Quartiers prioritaires de la politique de la ville (2015)"
QPV_YEAR = 2018  # the census year of the quartiers' populations (INSEE/ONPV)


def quartiers_of(communes: list[str]) -> Quartiers:
    """The quartiers prioritaires lying (wholly or partly) in `communes` (COG codes)."""
    slices = [i for i in list_imports(active().warehouse_dir) if i.source == "qpv"]
    if not slices:
        return Quartiers(None, ())
    newest = max(slices, key=lambda i: i.millesime)
    con = duckdb.connect(str(newest.path), read_only=True)
    try:
        rows = con.execute(
            "SELECT code_commune, code_qpv, nom, population, communes, intercommunal "
            "FROM quartiers WHERE code_commune IN (SELECT unnest(?)) "
            "ORDER BY code_commune, code_qpv",
            [communes],
        ).fetchall()
    finally:
        con.close()
    return Quartiers(newest.millesime, tuple(Quartier(*r) for r in rows))


def _quartiers(commune: Territory) -> list[Zonage]:
    found = quartiers_of([commune.code])
    out = []
    for q in found.quartiers:
        people = (
            "population non diffusée"
            if q.population is None
            else f"{q.population:,.0f} habitants".replace(",", "\u202f")
        )
        where = (
            f" ; quartier intercommunal ({q.communes}) : population du quartier entier"
            if q.intercommunal
            else ""
        )
        out.append(
            Zonage(
                "Quartier prioritaire de la politique de la ville",
                f"{q.nom} ({q.code}), {people}{where}",
                QPV_SOURCE_LABEL,
                found.millesime,
                QPV_YEAR,
                None,
            )
        )
    return out


def zonages_of(territory: Territory) -> list[Zonage]:
    """The zonages and programmes of a commune ([] for another level or without data)."""
    if territory.level != Level.COM:
        return []
    out: list[Zonage] = []
    for code, zone in ZONES.items():
        v = _flag(code, territory)
        if v is not None and v.value == 1:
            out.append(_line("Zone A/B/C", f"zone {zone}", v))
    v = _flag("communes_zone_tendue", territory)
    if v is not None:
        out.append(
            _line("Zone tendue (taxe sur les logements vacants)", "oui" if v.value else "non", v)
        )
    v = _flag("communes_thlv", territory)
    if v is not None:
        rate = _flag("thlv_taux", territory)
        text = "non appliquée"
        if v.value:
            text = "appliquée" + (
                f", taux {rate.value:.2f} %".replace(".", ",") if rate else ", taux non donné"
            )
        out.append(_line("Taxe d'habitation sur les logements vacants (THLV)", text, v))
    for code, programme in PROGRAMMES.items():
        v = _flag(code, territory)
        if v is not None and v.value:
            out.append(_line("Programme de l'ANCT", programme, v))
    return out + _quartiers(territory)
