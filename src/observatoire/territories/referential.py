"""The national referential (COG 2026, shipped with the package) plus user groupings.

Communes, EPCI (with members), départements and régions come from the INSEE COG as
packaged by @etalab/decoupage-administratif 6.0.0 (see data/SOURCES.md). Supra-communal
aggregates are always built from communes: a département is the set of its communes, not
of its EPCI, because 6 EPCI of the target départements cross a département border.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import polars as pl

from observatoire import tabular
from observatoire.territories.model import FRANCE, Level, Territory, TerritoryError

COG_YEAR = 2026


@dataclass(frozen=True)
class Grouping:
    slug: str
    name: str
    kind: str  # SCOT, secteur PLH, secteur PDH, ...
    communes: tuple[str, ...]


@dataclass
class Referential:
    names: dict[Territory, str]
    commune_dep: dict[str, str]
    commune_reg: dict[str, str]
    commune_epci: dict[str, str]
    commune_population: dict[str, int]
    epci_members: dict[str, tuple[str, ...]]
    dep_reg: dict[str, str]
    arrondissements: dict[str, str]  # arrondissement municipal -> commune (Paris, Lyon, Marseille)
    groupings: dict[str, Grouping] = field(default_factory=dict)

    # ------------------------------------------------------------------ lookups
    def exists(self, t: Territory) -> bool:
        return t in self.names

    def name(self, t: Territory) -> str:
        try:
            return self.names[t]
        except KeyError:
            raise TerritoryError(
                f"Territoire « {t.id} » absent du référentiel (COG {COG_YEAR})."
            ) from None

    def check(self, t: Territory) -> Territory:
        self.name(t)
        return t

    def communes_of(self, t: Territory) -> tuple[str, ...]:
        self.check(t)
        if t.level is Level.COM:
            return (t.code,)
        if t.level is Level.EPCI:
            return self.epci_members[t.code]
        if t.level is Level.DEP:
            return tuple(c for c, d in self.commune_dep.items() if d == t.code)
        if t.level is Level.REG:
            return tuple(c for c, r in self.commune_reg.items() if r == t.code)
        if t.level is Level.GRP:
            return self.groupings[t.code].communes
        return tuple(c for c, d in self.commune_dep.items() if in_france(d))

    def referents(self, t: Territory) -> list[Territory]:
        """The territories a value is compared with: EPCI, département(s), région, France."""
        self.check(t)
        communes = self.communes_of(t)
        out: list[Territory] = []
        if t.level is Level.COM and self.commune_epci.get(t.code):
            out.append(Territory(Level.EPCI, self.commune_epci[t.code]))
        if t.level in (Level.COM, Level.EPCI, Level.GRP):
            deps = sorted({self.commune_dep[c] for c in communes})
            out += [Territory(Level.DEP, d) for d in deps]
        if t.level is not Level.FR and t.level is not Level.REG:
            regs = sorted({self.commune_reg[c] for c in communes})
            out += [Territory(Level.REG, r) for r in regs]
        if t.level is not Level.FR:
            out.append(FRANCE)
        return out

    def children(self, t: Territory, level: Level | None = None) -> list[Territory]:
        """Sub-territories of `t` at `level` (default: the next level down)."""
        self.check(t)
        default = {
            Level.FR: Level.REG,
            Level.REG: Level.DEP,
            Level.DEP: Level.EPCI,
            Level.EPCI: Level.COM,
            Level.GRP: Level.COM,
            Level.COM: Level.COM,
        }
        target = level or default[t.level]
        if t.level is Level.COM:
            return []
        communes = self.communes_of(t)
        if target is Level.COM:
            return [Territory(Level.COM, c) for c in sorted(communes)]
        if target is Level.EPCI:
            codes = {self.commune_epci[c] for c in communes if self.commune_epci.get(c)}
        elif target is Level.DEP:
            codes = {self.commune_dep[c] for c in communes}
        elif target is Level.REG:
            codes = {self.commune_reg[c] for c in communes}
        else:
            return []
        return [Territory(target, c) for c in sorted(codes)]

    def search(self, query: str, limit: int = 20) -> list[Territory]:
        """The territories `query` designates, best first (rules: territories.search)."""
        from observatoire.territories import search  # search builds on this module

        return [h.territory for h in search.search(self, query, limit).hits]

    def membership(self) -> pl.DataFrame:
        """(level, code, commune): every territory with each of its communes."""
        coms = list(self.commune_dep)
        frames = [
            pl.DataFrame({"level": "COM", "code": coms, "commune": coms}),
            pl.DataFrame(
                {
                    "level": "EPCI",
                    "code": [self.commune_epci[c] for c in coms if self.commune_epci.get(c)],
                    "commune": [c for c in coms if self.commune_epci.get(c)],
                }
            ),
            pl.DataFrame(
                {"level": "DEP", "code": [self.commune_dep[c] for c in coms], "commune": coms}
            ),
            pl.DataFrame(
                {"level": "REG", "code": [self.commune_reg[c] for c in coms], "commune": coms}
            ),
            pl.DataFrame(
                {
                    "level": "FR",
                    "code": "FR",
                    "commune": [c for c in coms if in_france(self.commune_dep[c])],
                }
            ),
        ]
        for g in self.groupings.values():
            frames.append(
                pl.DataFrame({"level": "GRP", "code": g.slug, "commune": list(g.communes)})
            )
        return pl.concat(frames)

    def territories(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "level": [t.level.value for t in self.names],
                "code": [t.code for t in self.names],
                "name": list(self.names.values()),
            }
        )

    def with_groupings(self, groupings: Iterable[Grouping]) -> Referential:
        extra = {g.slug: g for g in groupings}
        names = dict(self.names)
        for g in extra.values():
            names[Territory(Level.GRP, g.slug)] = g.name
        return Referential(
            names=names,
            commune_dep=self.commune_dep,
            commune_reg=self.commune_reg,
            commune_epci=self.commune_epci,
            commune_population=self.commune_population,
            epci_members=self.epci_members,
            dep_reg=self.dep_reg,
            arrondissements=self.arrondissements,
            groupings={**self.groupings, **extra},
        )


def in_france(dep: str) -> bool:
    """France of the statistics: metropolitan départements and the five DROM. The
    collectivités d'outre-mer (975, 977, 978, 98x) are outside INSEE's France."""
    return not dep.startswith("9") or dep in ("971", "972", "973", "974", "976") or len(dep) == 2


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces (underscores kept)."""
    return tabular.fold(text, separators="-'’")


def _rows(name: str) -> list[dict[str, str]]:
    ref = resources.files("observatoire.territories") / "data" / name
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@cache
def national() -> Referential:
    """The shipped COG referential, without user groupings (loaded once per process)."""
    names: dict[Territory, str] = {FRANCE: "France"}
    dep_reg: dict[str, str] = {}
    for r in _rows("regions.csv.gz"):
        names[Territory(Level.REG, r["code"])] = r["nom"]
    for d in _rows("departements.csv.gz"):
        names[Territory(Level.DEP, d["code"])] = d["nom"]
        dep_reg[d["code"]] = d["reg"]
    commune_dep, commune_reg, commune_epci, population = {}, {}, {}, {}
    members: dict[str, list[str]] = {}
    for c in _rows("communes.csv.gz"):
        names[Territory(Level.COM, c["code"])] = c["nom"]
        commune_dep[c["code"]] = c["dep"]
        commune_reg[c["code"]] = c["reg"]
        population[c["code"]] = int(c["population"] or 0)
        if c["epci"]:
            commune_epci[c["code"]] = c["epci"]
            members.setdefault(c["epci"], []).append(c["code"])
    for e in _rows("epci.csv.gz"):
        names[Territory(Level.EPCI, e["code"])] = e["nom"]
    arrondissements = {a["code"]: a["commune"] for a in _rows("arrondissements_municipaux.csv.gz")}
    return Referential(
        names=names,
        commune_dep=commune_dep,
        commune_reg=commune_reg,
        commune_epci=commune_epci,
        commune_population=population,
        epci_members={k: tuple(sorted(v)) for k, v in members.items()},
        dep_reg=dep_reg,
        arrondissements=arrondissements,
    )


EPCI_COMPOSITION_YEARS = (2020, COG_YEAR)
"""Years whose EPCI composition is shipped: INSEE "Intercommunalité - Métropole au
01-01-2020" (epci_2020.csv.gz, the geography of Filosofi 2019) and the current one."""


def epci_composition(year: int) -> dict[str, str]:
    """Commune code (COG of `year`) -> EPCI code at 1 January `year` (shipped years only;
    communes outside any EPCI are left out)."""
    if year == COG_YEAR:
        return dict(national().commune_epci)
    return {
        r["commune"]: r["epci"] for r in _rows(f"epci_{year}.csv.gz") if r["epci"] != "ZZZZZZZZZ"
    }


def mouvements() -> list[dict[str, str]]:
    """INSEE commune events since 1943 (v_mvt_commune_2026), for COG harmonisation."""
    return _rows("mouvements_communes.csv.gz")
