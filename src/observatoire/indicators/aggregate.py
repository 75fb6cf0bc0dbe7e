"""Aggregation rules: every recipe gives one row per territory (all levels) and year.

- sum (indicators.summed): communes summed; a parent is computed only when every one of its communes is
  known (a commune of a département the file does not cover, or masked by the producer,
  makes the parent "unavailable"), else the producer's own supra value if published.
- ratio: factor * sum(numerator) / sum(denominator), never an average of rates.
- weighted_mean: sum(value * weight) / sum(weight).
- sum with a weight (indicators.flagged): sum of weight * flag, e.g. the population of
  the communes in a zone (population municipale x 0/1 flag), summed like any count.
- growth: compound annual rate between each year and the previous year of a component
  summed at each level, factor * ((sum_y / sum_prev) ** (1 / (y - prev)) - 1): never a
  mean of the communes' rates; with `interval`, prev = y - interval (census series).
- median/mean/count of records: recomputed from the records at each level.
- published (indicators.published): the producer's value at its level, never derived from communes.
- income_mixture (indicators.income_distribution): a parent's income quantile ESTIMATED
  from the mixture of its communes' distributions, where the producer publishes none.

Output columns: level, code, year, value, status, weight, numer, millesime, geo_vintage,
detail (which sources and millésimes), note.
"""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire.indicators.catalog import Indicator, Recipe
from observatoire.indicators.flagged import flagged_sum
from observatoire.indicators.income_distribution import income_mixture
from observatoire.indicators.inputs import harmonise, raw_commune_component
from observatoire.indicators.published import published
from observatoire.indicators.records import from_records
from observatoire.indicators.summed import summed
from observatoire.status import WORST_FIRST, Status


def _combine(a: pl.DataFrame, b: pl.DataFrame, factor: float, note_den: str) -> pl.DataFrame:
    """a / b for ratios and weighted means (b = denominator or weight)."""
    j = a.join(b, on=["level", "code", "year"], how="left", suffix="_d")
    order = list(WORST_FIRST)
    rank = list(range(len(order)))
    # A missing denominator (no row at all) counts as "missing".
    worst = pl.min_horizontal(
        pl.col("status").replace_strict(order, rank, default=order.index(Status.MISSING)),
        pl.col("status_d").replace_strict(order, rank, default=order.index(Status.MISSING)),
    )
    value = pl.when(pl.col("value_d") > 0).then(factor * pl.col("value") / pl.col("value_d"))
    status = worst.replace_strict(rank, order)
    status = (
        pl.when((status == Status.OK) | (status == Status.ESTIMATED))
        .then(pl.when(pl.col("value_d") > 0).then(status).otherwise(pl.lit(Status.MISSING)))
        .otherwise(status)
    )
    return j.select(
        "level",
        "code",
        "year",
        value.alias("value"),
        status.alias("status"),
        pl.col("value_d").alias("weight"),
        pl.col("value").alias("numer"),
        "millesime",
        "geo_vintage",
        pl.col("millesime_d").alias("millesime_den"),
        pl.coalesce("note", "note_d").alias("note"),
    )


def ratio(con: duckdb.DuckDBPyConnection, recipe: Recipe, factor: float) -> pl.DataFrame:
    assert recipe.numerator and recipe.denominator
    num = summed(con, recipe.numerator, recipe.absent, outside=recipe.outside)
    den = summed(con, recipe.denominator, recipe.absent, outside=recipe.outside)
    if not num.height or not den.height:
        return pl.DataFrame()
    if recipe.denominator.year == "latest":
        latest = den.filter(pl.col("year") == den["year"].max()).drop("year")
        den = num.select("level", "code", "year").join(latest, on=["level", "code"])
    elif recipe.denominator.year == "latest_before":
        den_years = sorted(set(den["year"].to_list()))
        mapping = {
            y: max((d for d in den_years if d <= y), default=None)
            for y in set(num["year"].to_list())
        }
        pairs = pl.DataFrame(
            {"year": list(mapping), "den_year": list(mapping.values())},
            schema={"year": pl.Int32, "den_year": pl.Int32},
        ).drop_nulls()
        den = pairs.join(den.rename({"year": "den_year"}), on="den_year").drop("den_year")
        # No denominator year yet (RPLS 2019 before RP 2021): the recipe does not apply, so
        # the next recipe's row (and its note) is shown, not a bare "missing".
        num = num.filter(pl.col("year").is_in(pairs["year"].to_list()))
    return _combine(num, den, factor, "dénominateur")


def weighted_mean(con: duckdb.DuckDBPyConnection, recipe: Recipe) -> pl.DataFrame:
    assert recipe.value and recipe.weight
    v = raw_commune_component(con, recipe.value)
    w = raw_commune_component(con, recipe.weight)
    keys = ["year", "code", "geo_vintage"]
    prod = w.join(
        v.select(*keys, pl.col("value").alias("v"), pl.col("status").alias("vs")),
        on=keys,
        how="left",
    )
    # A commune with no sale has no mean price but weighs nothing: its product is 0.
    prod = prod.with_columns(
        pl.when(pl.col("value") == 0)
        .then(0.0)
        .otherwise(pl.col("v") * pl.col("value"))
        .alias("value"),
        pl.when(pl.col("value") == 0)
        .then(pl.col("status"))
        .otherwise(pl.coalesce("vs", pl.lit(Status.MISSING)))
        .alias("status"),
    ).drop("v", "vs")
    num = summed(
        con,
        recipe.value,
        recipe.absent,
        communes=harmonise(prod, additive=True, absent=recipe.absent),
        use_published=False,
        outside=recipe.outside,
    )
    den = summed(
        con,
        recipe.weight,
        recipe.absent,
        communes=harmonise(w, additive=True, absent=recipe.absent),
        use_published=False,
        outside=recipe.outside,
    )
    if not num.height:
        return pl.DataFrame()
    return _combine(num, den, 1.0, "pondération")


def growth(con: duckdb.DuckDBPyConnection, recipe: Recipe, factor: float) -> pl.DataFrame:
    assert recipe.value
    total = summed(con, recipe.value, recipe.absent, outside=recipe.outside)
    if not total.height:
        return pl.DataFrame()
    years = sorted(set(total["year"].to_list()))
    step = recipe.interval
    pairs = pl.DataFrame(
        {"year": years[1:], "prev_year": years[:-1]}
        if step is None
        else {
            "year": [y for y in years if y - step in years],
            "prev_year": [y - step for y in years if y - step in years],
        },
        schema={"year": pl.Int32, "prev_year": pl.Int32},
    )
    if not pairs.height:
        return pl.DataFrame()
    prev = pairs.join(total.rename({"year": "prev_year"}), on="prev_year")
    current = total.join(pairs, on="year").drop("prev_year")
    out = _combine(current, prev.drop("prev_year"), 1.0, "année de départ")
    gap = pl.col("year") - pl.col("prev_year")
    return (
        out.join(pairs, on="year")
        .with_columns(
            (factor * (pl.col("value") ** (1.0 / gap) - 1.0)).alias("value"),
            pl.concat_str(
                pl.lit("évolution annuelle moyenne entre "),
                pl.col("prev_year").cast(pl.Utf8),
                pl.lit(" et "),
                pl.col("year").cast(pl.Utf8),
                pl.when(pl.col("note").is_not_null()).then(pl.lit(" ; ") + pl.col("note")),
                ignore_nulls=True,
            ).alias("note"),
        )
        .drop("prev_year")
    )


def evaluate(con: duckdb.DuckDBPyConnection, indicator: Indicator, recipe: Recipe) -> pl.DataFrame:
    agg = recipe.aggregation
    if agg == "sum" and recipe.weight:
        out = flagged_sum(con, recipe)
    elif agg == "sum":
        assert recipe.value
        out = summed(con, recipe.value, recipe.absent, outside=recipe.outside)
    elif agg == "published":
        assert recipe.value
        out = published(con, recipe.value, recipe.absent)
    elif agg == "ratio":
        out = ratio(con, recipe, indicator.factor)
    elif agg == "weighted_mean":
        out = weighted_mean(con, recipe)
    elif agg == "growth":
        out = growth(con, recipe, indicator.factor)
    elif agg == "income_mixture":
        out = income_mixture(con, recipe)
    else:
        out = from_records(con, recipe)
    if not out.height:
        return out
    for col, dtype in (("weight", pl.Float64), ("numer", pl.Float64), ("millesime_den", pl.Int32)):
        if col not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=dtype).alias(col))
    if agg == "sum":
        out = out.with_columns(pl.col("value").alias("weight"), pl.col("value").alias("numer"))
    return out.select(
        "level",
        "code",
        "year",
        "value",
        "status",
        "weight",
        "numer",
        pl.col("millesime").cast(pl.Int32),
        pl.col("geo_vintage").cast(pl.Int32),
        pl.col("millesime_den").cast(pl.Int32),
        "note",
    )
