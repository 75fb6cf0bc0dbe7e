"""The sum of a component over the communes of each territory, at every level.

A parent is computed only when every one of its communes is known (a commune of a
département the file does not cover, or masked by the producer, makes the parent
"unavailable"), else the producer's own supra value if published. A commune split since
the source's COG is estimated; a parent holding every piece of it is exact.
"""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire.indicators.catalog import Component
from observatoire.indicators.inputs import (
    harmonise,
    out_list,
    provenance_by_year,
    raw_commune_component,
    supra_component,
)
from observatoire.status import Status
from observatoire.territories import vintages


def register(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    con.execute(f"DROP TABLE IF EXISTS {name}")
    con.register("_f", frame)
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM _f")
    con.unregister("_f")


def summed(
    con: duckdb.DuckDBPyConnection,
    comp: Component,
    absent: str,
    *,
    communes: pl.DataFrame | None = None,
    use_published: bool = True,
    outside: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Additive component at every level: level, code, year, value, status, millesime,
    geo_vintage, note."""
    if communes is not None:
        com = communes
    else:
        raw = raw_commune_component(con, comp)
        com = harmonise(raw, additive=True, absent=absent)
    supra = supra_component(con, comp) if use_published else pl.DataFrame()
    register(con, "_com", com)
    years = set(com["year"].to_list()) | (set(supra["year"].to_list()) if supra.height else set())
    if not years:
        return pl.DataFrame()
    register(con, "_years", provenance_by_year(com, supra))
    zero = "0.0" if absent == "zero" else "NULL"
    absent_status = Status.OK if absent == "zero" else Status(absent)
    agg = con.execute(
        f"""
        WITH cov AS (SELECT DISTINCT c.year, k.dep FROM _com c JOIN communes k USING (commune)),
        base AS (
            SELECT y.year, k.commune, k.dep,
                CASE WHEN c.commune IS NOT NULL THEN c.value
                     WHEN cov.dep IS NOT NULL THEN {zero} END AS value,
                CASE WHEN c.commune IS NOT NULL THEN c.status
                     WHEN cov.dep IS NULL THEN 'missing' ELSE '{absent_status}' END AS status,
                CASE WHEN c.commune IS NULL AND NOT EXISTS
                          (SELECT 1 FROM cov WHERE cov.year = y.year)
                     THEN 'non publié à l''échelle communale'
                     WHEN c.commune IS NULL AND cov.dep IS NULL THEN 'département non couvert'
                     WHEN c.commune IS NULL THEN 'absente du fichier' END AS note,
                -- An overseas département the file does not cover at all is left out of
                -- the France total, which says so (RP: France hors Mayotte).
                (k.dep IN ({out_list(outside)}) AND cov.dep IS NULL) AS overseas_out,
                -- A commune absent from the file (a zero, a secret) or from an uncovered
                -- département is still a reading of that file: its millésime and COG.
                coalesce(c.millesime, y.millesime) AS millesime,
                coalesce(c.geo_vintage, y.geo_vintage) AS geo_vintage
            FROM _years y CROSS JOIN communes k
            LEFT JOIN _com c ON c.year = y.year AND c.commune = k.commune
            LEFT JOIN cov ON cov.year = y.year AND cov.dep = k.dep
        ),
        kept AS (
            SELECT m.level, m.code, b.* FROM base b JOIN membership m USING (commune)
            WHERE NOT (m.level = 'FR' AND b.overseas_out
                       AND EXISTS (SELECT 1 FROM cov WHERE cov.year = b.year AND cov.dep < '97'))
        ),
        excluded AS (
            SELECT b.year, string_agg(DISTINCT t.name, ', ') AS deps
            FROM base b JOIN territories t ON t.level = 'DEP' AND t.code = b.dep
            WHERE b.overseas_out GROUP BY b.year
        )
        SELECT b.level, b.code, b.year,
            CASE WHEN b.level = 'COM' THEN any_value(b.value)
                 WHEN count(b.value) = count(*) THEN sum(b.value) END AS value,
            CASE WHEN b.level = 'COM' THEN any_value(b.status)
                 WHEN count(b.value) < count(*) THEN 'unavailable'
                 WHEN bool_or(b.status = 'estimated') THEN 'estimated' ELSE 'ok' END AS status,
            CASE WHEN b.level = 'COM' THEN any_value(b.note)
                 WHEN count(b.value) < count(*) THEN
                    -- French agreement as in observatoire.words: singular below 2.
                    (count(*) - count(b.value)) || CASE WHEN count(*) - count(b.value) < 2
                        THEN ' commune sans valeur connue'
                        ELSE ' communes sans valeur connue' END
                 WHEN b.level = 'FR' AND any_value(e.deps) IS NOT NULL THEN
                    'France hors ' || any_value(e.deps) || ' (non couverts par la source)' END
                AS note,
            max(b.millesime) AS millesime, max(b.geo_vintage) AS geo_vintage
        FROM kept b LEFT JOIN excluded e USING (year)
        GROUP BY b.level, b.code, b.year
        """
    ).pl()
    if supra.height:
        # Where communes cannot give the parent, the producer's own figure can.
        agg = agg.join(supra, on=["level", "code", "year"], how="left", suffix="_pub")
        use_pub = (pl.col("status") == Status.UNAVAILABLE) & pl.col("status_pub").is_not_null()
        agg = agg.with_columns(
            pl.when(use_pub).then(pl.col("value_pub")).otherwise(pl.col("value")).alias("value"),
            pl.when(use_pub).then(pl.col("status_pub")).otherwise(pl.col("status")).alias("status"),
            pl.when(use_pub)
            .then(
                pl.coalesce(
                    "note_pub",
                    pl.concat_str(
                        pl.lit("valeur publiée par le producteur"),
                        pl.col("perimeter"),
                        separator=" ; ",
                        ignore_nulls=True,
                    ),
                )
            )
            .otherwise(pl.col("note"))
            .alias("note"),
            pl.when(use_pub)
            .then(pl.col("millesime_pub"))
            .otherwise(pl.col("millesime"))
            .alias("millesime"),
            pl.when(use_pub)
            .then(pl.col("geo_vintage_pub"))
            .otherwise(pl.col("geo_vintage"))
            .alias("geo_vintage"),
        ).drop(
            [c for c in agg.columns if c.endswith("_pub")] + ["value_pub", "perimeter"],
            strict=False,
        )
    return _exact_split_parents(con, agg, com)


def _exact_split_parents(
    con: duckdb.DuckDBPyConnection, agg: pl.DataFrame, com: pl.DataFrame
) -> pl.DataFrame:
    """A commune split since the source's COG is apportioned by population (estimated),
    but a parent holding every piece of it has the exact total: it is not estimated. A
    commune the source itself estimated (SRU deficit, Cartofriches surface) keeps its
    parents estimated."""
    if not agg.height or not (agg["status"] == Status.ESTIMATED).any():
        return agg
    splits = [
        vintages.passage(int(gv)).filter(pl.col("estimated")).with_columns(pl.lit(gv).alias("gv"))
        for gv in com["geo_vintage"].unique().drop_nulls().to_list()
    ]
    register(
        con,
        "_splits",
        pl.concat(splits)
        if splits
        else pl.DataFrame(
            schema={
                "old_code": pl.Utf8,
                "new_code": pl.Utf8,
                "weight": pl.Float64,
                "estimated": pl.Boolean,
                "gv": pl.Int32,
            }
        ),
    )
    partial = con.execute(
        """
        WITH inside AS (
            SELECT m.level, m.code, s.gv, s.old_code, count(*) AS n
            FROM _splits s JOIN membership m ON m.commune = s.new_code
            WHERE m.level <> 'COM' GROUP BY ALL
        ), total AS (SELECT gv, old_code, count(*) AS n FROM _splits GROUP BY ALL)
        SELECT DISTINCT i.level, i.code FROM inside i JOIN total t USING (gv, old_code)
        WHERE i.n < t.n
        """
    ).pl()
    register(con, "_com_estimated", com.filter(pl.col("status") == Status.ESTIMATED))
    by_source = con.execute(
        """
        SELECT DISTINCT m.level, m.code, c.year, true AS _by_source
        FROM _com_estimated c JOIN membership m USING (commune)
        WHERE m.level <> 'COM' AND c.commune NOT IN (SELECT new_code FROM _splits)
        """
    ).pl()
    exact = (pl.col("status") == Status.ESTIMATED) & (pl.col("level") != "COM")
    if by_source.height:
        agg = agg.join(by_source, on=["level", "code", "year"], how="left")
        exact = exact & pl.col("_by_source").is_null()
    if partial.height:
        agg = agg.join(
            partial.with_columns(pl.lit(True).alias("_partial")), on=["level", "code"], how="left"
        )
        exact = exact & pl.col("_partial").is_null()
    return agg.with_columns(
        pl.when(exact).then(pl.lit(Status.OK)).otherwise(pl.col("status")).alias("status")
    ).drop("_partial", "_by_source", strict=False)
