"""Sum of a weight over the communes carrying a 0/1 flag: the population of the communes
in zone tendue, in a programme... (a `sum` recipe with a `weight`).

The flag and the weight come from different sources and years: each year of the flag
takes the weight of the latest year loaded that is not after it (population légale 2023
for the zone tendue of 2023), or the earliest loaded when all are after it; the note says
which year. The product is then summed like any count (indicators.summed): a parent is
computed only when every one of its communes has both a flag and a weight.
"""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire.indicators.catalog import Recipe
from observatoire.indicators.inputs import harmonise, raw_commune_component
from observatoire.indicators.summed import summed
from observatoire.status import WORST_FIRST, Status


def _weight_year(flag_year: int, weight_years: list[int]) -> int:
    before = [y for y in weight_years if y <= flag_year]
    return max(before) if before else min(weight_years)


def flagged_sum(con: duckdb.DuckDBPyConnection, recipe: Recipe) -> pl.DataFrame:
    assert recipe.value and recipe.weight
    flag = harmonise(raw_commune_component(con, recipe.value), additive=True, absent=recipe.absent)
    weight = harmonise(raw_commune_component(con, recipe.weight), additive=True, absent="missing")
    if not flag.height or not weight.height:
        return pl.DataFrame()
    weight_years = sorted(set(weight["year"].to_list()))
    pairs = pl.DataFrame(
        {
            "year": (years := sorted(set(flag["year"].to_list()))),
            "weight_year": [_weight_year(y, weight_years) for y in years],
        },
        schema={"year": pl.Int32, "weight_year": pl.Int32},
    )
    rank = {s: i for i, s in enumerate(WORST_FIRST)}
    w = weight.select(
        pl.col("year").cast(pl.Int32).alias("weight_year"),
        "commune",
        pl.col("value").alias("w"),
        pl.col("status").alias("ws"),
    )
    prod = (
        flag.with_columns(pl.col("year").cast(pl.Int32))
        .join(pairs, on="year")
        .join(w, on=["weight_year", "commune"], how="left")
    )
    worst = pl.min_horizontal(
        pl.col("status").replace_strict(rank, return_dtype=pl.Int8),
        pl.col("ws").replace_strict(rank, default=rank[Status.MISSING], return_dtype=pl.Int8),
    ).replace_strict(dict(enumerate(WORST_FIRST)), return_dtype=pl.Utf8)
    prod = prod.with_columns(
        # A commune outside the zone weighs 0 whatever its population.
        pl.when(pl.col("value") == 0)
        .then(0.0)
        .otherwise(pl.col("value") * pl.col("w"))
        .alias("value"),
        pl.when(pl.col("value") == 0).then(pl.col("status")).otherwise(worst).alias("status"),
    )
    out = summed(
        con,
        recipe.value,
        recipe.absent,
        communes=prod.select("year", "commune", "millesime", "value", "status", "geo_vintage"),
        use_published=False,
        outside=recipe.outside,
    )
    if not out.height:
        return out
    note = pl.format("population municipale {}", pl.col("weight_year"))
    return (
        out.join(pairs, on="year", how="left")
        .with_columns(
            pl.concat_str(note, pl.col("note"), separator=" ; ", ignore_nulls=True).alias("note")
        )
        .drop("weight_year")
    )
