"""Which communes a DVF géolocalisées file covers, and for which départements it is the
whole département (see observatoire.sources.dvf).

Etalab publishes one geo-dvf file per year and per département (and the national file,
their concatenation); a user may also give a file cut to one commune or one EPCI. A
commune absent from a whole département file had no sale that year (0 sales); absent
from a cut file, it is unknown. Hence:

- a commune is covered for a year when the file holds at least one row of it dated that
  year, kept or not (a commune whose rows are all land or dépendances had no dwelling
  sale: 0 sales, not unknown);
- a département is complete for a year when the import declares it (`--complet 33`) or
  when the file holds rows in at least COMPLETE_FROM of its communes (COG 2026); its
  communes without any row are then covered with 0 sales. Otherwise only the communes
  present are covered, and the département and its EPCI get no figure.

Why 80 %: in the Etalab "Indicateurs immobiliers par commune" 2020-2024 (per commune
aggregates of the whole DVF, /work/shared/data/real SOURCES.md §3), the share of a
département's communes with at least one dwelling sale in a year is 63 % at the lowest
(Haute-Corse 2020), 68-76 % in Haute-Marne, Meuse, Hautes-Pyrénées, Gers, Ardennes,
Vosges, higher elsewhere; rows of any nature (land, meadows, woods) reach more communes.
The largest share of a département held by one EPCI, outside the Métropole du Grand
Paris (which covers 75, 92, 93 and 94 whole), is Aix-Marseille-Provence with 76 % of the
Bouches-du-Rhône: an EPCI extract stays partial. A whole file under the threshold (a
rural département, a truncated download) is declared with `--complet`.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

import duckdb
import polars as pl

from observatoire.sources.base import Problem, SourceError
from observatoire.territories import vintages
from observatoire.territories.referential import national

COMPLETE_FROM = 0.8


@dataclass(frozen=True)
class DepCoverage:
    year: int
    dep: str
    present: int  # communes (COG 2026) with at least one row in the file
    total: int  # communes of the département (COG 2026)
    declared: bool

    @property
    def complete(self) -> bool:
        return self.declared or self.present >= COMPLETE_FROM * self.total


def coverage(
    con: duckdb.DuckDBPyConnection,
    scan: str,
    geo_vintage: int,
    declared: Collection[str],
    file: str,
) -> tuple[list[DepCoverage], duckdb.DuckDBPyRelation]:
    """Per (year, département) coverage of the file, and the `couverture` table to store:
    year, code_commune (code of the file), dep, dep_complet. `scan` has one row per
    (code_commune, year) present in the file."""
    cog, passage = (f"_dvf_{name}_{uuid.uuid4().hex[:12]}" for name in ("cog", "passage"))
    ref = national()
    frames = {
        cog: pl.DataFrame(
            {"commune": list(ref.commune_dep), "dep": list(ref.commune_dep.values())}
        ),
        passage: vintages.passage(geo_vintage).select("old_code", "new_code"),
    }
    for name, frame in frames.items():
        con.register("_f", frame)
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM _f")
        con.unregister("_f")
    rows = con.execute(
        f"""
        WITH present AS (
            SELECT s.year, k.dep, count(DISTINCT k.commune) AS n
            FROM {scan} s JOIN {passage} p ON p.old_code = s.code_commune
            JOIN {cog} k ON k.commune = p.new_code
            WHERE s.year IS NOT NULL GROUP BY ALL
        ),
        total AS (SELECT dep, count(*) AS n FROM {cog} GROUP BY dep)
        SELECT p.year, p.dep, p.n, t.n FROM present p JOIN total t USING (dep) ORDER BY ALL
        """
    ).fetchall()
    deps = [DepCoverage(int(y), str(d), int(n), int(t), d in declared) for y, d, n, t in rows]
    unknown = sorted(set(declared) - {d.dep for d in deps})
    if unknown:
        raise SourceError(
            [
                Problem(
                    file,
                    f"département déclaré complet (--complet {dep}) absent du fichier : "
                    "aucune ligne d'une de ses communes.",
                )
                for dep in unknown
            ]
        )
    complete = f"_dvf_complete_{uuid.uuid4().hex[:12]}"
    con.execute(f"CREATE TEMP TABLE {complete} (year INTEGER, dep VARCHAR)")
    whole = [(d.year, d.dep) for d in deps if d.complete]
    if whole:
        con.executemany(f"INSERT INTO {complete} VALUES (?, ?)", whole)
    table = con.sql(
        f"""
        SELECT DISTINCT s.year, s.code_commune, k.dep,
               EXISTS (SELECT 1 FROM {complete} c WHERE c.year = s.year AND c.dep = k.dep)
                   AS dep_complet
        FROM {scan} s JOIN {passage} p ON p.old_code = s.code_commune
        JOIN {cog} k ON k.commune = p.new_code
        WHERE s.year IS NOT NULL
        """
    )
    return deps, table


def coverage_notes(deps: list[DepCoverage]) -> list[str]:
    """What the import tells the user: which départements count as whole, which not."""
    several_years = len({d.year for d in deps}) > 1

    def where(d: DepCoverage) -> str:
        year = f" en {d.year}" if several_years else ""
        return f"{d.dep}{year} ({d.present} communes sur {d.total} présentes dans le fichier)"

    whole = [d for d in deps if d.complete]
    partial = [d for d in deps if not d.complete]
    notes = []
    if whole:
        notes.append(
            "Départements traités comme complets (une commune sans ligne y compte 0 vente) : "
            + " ; ".join(
                where(d) + (", déclaré par --complet" if d.declared else "") for d in whole
            )
            + "."
        )
    if partial:
        notes.append(
            "Fichier partiel pour "
            + " ; ".join(where(d) for d in partial)
            + " : seules les communes présentes sont couvertes ; le département et les "
            "territoires qui débordent ces communes n'auront pas de valeur. S'il s'agit du "
            "fichier départemental complet d'Etalab, réimportez-le avec "
            + " ".join(f"--complet {d}" for d in sorted({d.dep for d in partial}))
            + "."
        )
    return notes
