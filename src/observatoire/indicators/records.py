"""Statistics recomputed from records (raw DVF sales) at every level: count, median, mean.

A territory gets a value only when every one of its communes is covered for that year:
present in a file (a row of it, a sale or not), or in a département a file holds whole
(see observatoire.sources.dvf_coverage). A file cut to one commune covers that commune,
not its EPCI nor its département: those are "unavailable", "fichier partiel : n communes
sur m couvertes". France leaves out the départements the source never covers
(`hors_perimetre`) and the uncovered DROM, and says so."""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire.indicators.catalog import Recipe
from observatoire.indicators.inputs import coverage_view, out_list, records_view
from observatoire.sql import identifier


def from_records(con: duckdb.DuckDBPyConnection, recipe: Recipe) -> pl.DataFrame:
    assert recipe.records
    # Both views read the `passage` table that each call rebuilds: the records' call last,
    # its vintages include those of the coverage (every DVF slice stores both tables).
    coverage = coverage_view(con, recipe.records)
    view = records_view(con, recipe.records)
    if view is None:
        return pl.DataFrame()
    column = recipe.records.column
    out = out_list(recipe.outside)
    stat = {
        "median_records": f"median({column})",
        "mean_records": f"avg({column})",
        "count_records": "count(*)",
    }[recipe.aggregation]
    covered = (
        f"""SELECT DISTINCT year, commune FROM {identifier(coverage)}
            UNION SELECT c.year, k.commune
            FROM (SELECT DISTINCT year, dep FROM {identifier(coverage)} WHERE dep_complet) c
            JOIN communes k USING (dep)"""
        if coverage
        else "SELECT DISTINCT year, commune FROM r"
    )
    return con.execute(
        f"""
        WITH r AS (SELECT * FROM {identifier(view)}),
        com_cov AS ({covered}),
        years AS (
            SELECT y.year, max(r.millesime) AS millesime, max(r.geo_vintage) AS geo_vintage
            FROM (SELECT DISTINCT year FROM r UNION SELECT DISTINCT year FROM com_cov) y
            LEFT JOIN r USING (year) GROUP BY y.year
        ),
        dep_cov AS (SELECT DISTINCT c.year, k.dep FROM com_cov c JOIN communes k USING (commune)),
        terr_cov AS (
            SELECT m.level, m.code, y.year, count(*) AS n_all, count(cc.commune) AS n_cov,
                bool_and(cc.commune IS NOT NULL OR (
                    m.level = 'FR' AND dc.dep IS NULL AND k.dep IN ({out}))) AS covered,
                string_agg(DISTINCT t.name, ', ') FILTER (
                    WHERE m.level = 'FR' AND dc.dep IS NULL AND k.dep IN ({out})) AS left_out
            FROM membership m JOIN communes k USING (commune) CROSS JOIN years y
            LEFT JOIN com_cov cc ON cc.year = y.year AND cc.commune = m.commune
            LEFT JOIN dep_cov dc ON dc.year = y.year AND dc.dep = k.dep
            LEFT JOIN territories t ON t.level = 'DEP' AND t.code = k.dep
            GROUP BY ALL
        ),
        agg AS (
            SELECT m.level, m.code, r.year, {stat} AS value, count(*) AS n,
                   max(r.millesime) AS millesime, max(r.geo_vintage) AS geo_vintage,
                   bool_or(r.estimated_code) AS estimated
            FROM r JOIN membership m USING (commune) GROUP BY ALL
        )
        SELECT t.level, t.code, t.year,
            CASE WHEN NOT t.covered THEN NULL
                 WHEN '{recipe.aggregation}' = 'count_records' THEN coalesce(a.value, 0)
                 ELSE a.value END AS value,
            CASE WHEN NOT t.covered THEN CASE WHEN t.level = 'COM' THEN 'missing' ELSE 'unavailable' END
                 WHEN a.n IS NULL AND '{recipe.aggregation}' <> 'count_records' THEN 'missing'
                 WHEN a.estimated THEN 'estimated' ELSE 'ok' END AS status,
            coalesce(a.n, 0)::DOUBLE AS weight, NULL::DOUBLE AS numer,
            -- A territory without a sale is still a reading of that year's files.
            coalesce(a.millesime, y.millesime) AS millesime,
            coalesce(a.geo_vintage, y.geo_vintage) AS geo_vintage, NULL::INTEGER AS millesime_den,
            CASE WHEN NOT t.covered AND t.n_cov = 0
                     THEN 'ventes non chargées pour tout le territoire'
                 WHEN NOT t.covered THEN 'fichier partiel : ' || t.n_cov || ' commune'
                     || CASE WHEN t.n_cov > 1 THEN 's' ELSE '' END || ' sur ' || t.n_all
                     || ' couverte' || CASE WHEN t.n_cov > 1 THEN 's' ELSE '' END
                 WHEN a.n IS NULL THEN 'aucune vente'
                 WHEN t.left_out IS NOT NULL
                     THEN 'France hors ' || t.left_out || ' (non couverts par la source)'
                 END AS note
        FROM terr_cov t LEFT JOIN agg a USING (level, code, year) JOIN years y USING (year)
        """
    ).pl()
