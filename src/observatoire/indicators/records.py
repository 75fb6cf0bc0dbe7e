"""Statistics recomputed from records (raw DVF sales) at every level: count, median, mean.

A territory gets a value only when every one of its communes lies in a département the
records cover for that year; France leaves out the départements the source never covers
(`hors_perimetre`) and the uncovered DROM, and says so."""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire.indicators.catalog import Recipe
from observatoire.indicators.inputs import out_list, records_view
from observatoire.sql import identifier


def from_records(con: duckdb.DuckDBPyConnection, recipe: Recipe) -> pl.DataFrame:
    assert recipe.records
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
    return con.execute(
        f"""
        WITH r AS (SELECT * FROM {identifier(view)}),
        years AS (SELECT year, max(millesime) AS millesime, max(geo_vintage) AS geo_vintage
                  FROM r GROUP BY year),
        cov AS (SELECT DISTINCT r.year, k.dep FROM r JOIN communes k USING (commune)),
        terr_cov AS (
            SELECT m.level, m.code, y.year,
                bool_and(cov.dep IS NOT NULL OR (m.level = 'FR' AND k.dep IN ({out}))) AS covered,
                string_agg(DISTINCT t.name, ', ') FILTER (
                    WHERE m.level = 'FR' AND cov.dep IS NULL AND k.dep IN ({out})) AS left_out
            FROM membership m JOIN communes k USING (commune) CROSS JOIN years y
            LEFT JOIN cov ON cov.year = y.year AND cov.dep = k.dep
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
            CASE WHEN NOT t.covered THEN 'ventes non chargées pour tout le territoire'
                 WHEN a.n IS NULL THEN 'aucune vente'
                 WHEN t.left_out IS NOT NULL
                     THEN 'France hors ' || t.left_out || ' (non couverts par la source)'
                 END AS note
        FROM terr_cov t LEFT JOIN agg a USING (level, code, year) JOIN years y USING (year)
        """
    ).pl()
