"""The producer's values where it publishes them (Filosofi medians...): never derived
from communes; elsewhere "unavailable" with the reason."""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire import sources
from observatoire.indicators.catalog import Component
from observatoire.indicators.inputs import commune_component, provenance_by_year, supra_component
from observatoire.indicators.summed import register
from observatoire.sql import literal
from observatoire.status import Status


def published(con: duckdb.DuckDBPyConnection, comp: Component, absent: str) -> pl.DataFrame:
    """The producer's values where it publishes them. A commune absent from a file that
    covers its département takes the recipe's `absent` status (Filosofi: secret, INSEE
    leaves out the communes of very few fiscal households); outside the file's
    départements it is missing. Every row carries the millésime and COG of its year's
    files."""
    com = commune_component(con, comp, additive=False)
    supra = supra_component(con, comp)
    rows = [
        com.select(
            pl.lit("COM").alias("level"),
            pl.col("commune").alias("code"),
            "year",
            "value",
            "status",
            "millesime",
            "geo_vintage",
            pl.lit(None, dtype=pl.Utf8).alias("note"),
            pl.lit(None, dtype=pl.Utf8).alias("perimeter"),
        )
    ]
    if supra.height:
        rows.append(
            supra.select(
                "level",
                "code",
                "year",
                "value",
                "status",
                "millesime",
                "geo_vintage",
                "note",
                "perimeter",
            )
        )
    pub = pl.concat(rows, how="diagonal_relaxed")
    if not pub.height:
        return pl.DataFrame()
    register(con, "_pub", pub)
    register(con, "_years", provenance_by_year(com, supra))
    info = sources.get(comp.source)
    published_levels = ", ".join(literal(lv) for lv in info.published_levels) or "NULL"
    not_loaded = (
        f"valeur publiée par le producteur ({info.producer}) à cette échelle, "
        "fichier non importé (non dérivable des communes)"
    )
    not_derivable = (
        info.not_derivable or "valeur non publiée à cette échelle (non dérivable des communes)"
    )
    absent_status = Status(absent)
    no_communes = "false" if info.communes else "true"
    # A source with nothing below the département (50 years of INSEE estimates) says so for
    # each commune once, at its latest year, instead of 35,000 rows a year in the cube.
    every_year = "true" if info.communes else "false"
    absent_note = (
        "absente du fichier du producteur : secret statistique"
        if absent_status == Status.SECRET
        else "absente du fichier"
    )
    return con.execute(
        f"""
        WITH cov AS (SELECT DISTINCT p.year, k.dep FROM _pub p
                     JOIN communes k ON p.level = 'COM' AND k.commune = p.code),
        grid AS (SELECT t.level, t.code, y.* FROM territories t CROSS JOIN _years y
                 WHERE {every_year} OR t.level <> 'COM'
                    OR y.year = (SELECT max(year) FROM _years))
        SELECT g.level, g.code, g.year, p.value,
               coalesce(p.status, CASE WHEN g.level <> 'COM' OR {no_communes} THEN 'unavailable'
                                       WHEN cov.dep IS NULL THEN 'missing'
                                       ELSE {literal(absent_status)} END) AS status,
               CASE WHEN p.status IS NOT NULL THEN coalesce(p.note, p.perimeter)
                    WHEN g.level IN ({published_levels}) THEN {literal(not_loaded)}
                    WHEN g.level <> 'COM' OR {no_communes} THEN {literal(not_derivable)}
                    WHEN cov.dep IS NULL THEN 'département non couvert'
                    ELSE {literal(absent_note)} END AS note,
               coalesce(p.millesime, g.millesime) AS millesime,
               coalesce(p.geo_vintage, g.geo_vintage) AS geo_vintage
        FROM grid g LEFT JOIN _pub p USING (level, code, year)
        -- An equality on an expression keeps this a hash join (a left-side-only condition in
        -- ON made DuckDB 1.5 fall back to a nested loop: 80 s for six Filosofi years).
        LEFT JOIN communes k ON k.commune = CASE WHEN g.level = 'COM' THEN g.code END
        LEFT JOIN cov ON cov.year = g.year AND cov.dep = k.dep
        """
    ).pl()
