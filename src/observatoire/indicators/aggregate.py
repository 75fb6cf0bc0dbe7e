"""Aggregation rules: every recipe gives one row per territory (all levels) and year.

- sum: communes summed; a parent is computed only when every one of its communes is
  known (a commune of a département the file does not cover, or masked by the producer,
  makes the parent "unavailable"), else the producer's own supra value if published.
- ratio: factor * sum(numerator) / sum(denominator), never an average of rates.
- weighted_mean: sum(value * weight) / sum(weight).
- growth: compound annual rate between each year and the previous year of a component
  summed at each level, factor * ((sum_y / sum_prev) ** (1 / (y - prev)) - 1): never a
  mean of the communes' rates.
- median/mean/count of records: recomputed from the records at each level.
- published: the producer's value at its level, never derived from communes.

Output columns: level, code, year, value, status, weight, numer, millesime, geo_vintage,
detail (which sources and millésimes), note.
"""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire import sources
from observatoire.indicators.catalog import Component, Indicator, Recipe
from observatoire.indicators.inputs import (
    commune_component,
    harmonise,
    out_list,
    provenance_by_year,
    raw_commune_component,
    supra_component,
)
from observatoire.indicators.records import from_records
from observatoire.sql import literal
from observatoire.status import WORST_FIRST, Status
from observatoire.territories import vintages


def _register(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
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
    _register(con, "_com", com)
    years = set(com["year"].to_list()) | (set(supra["year"].to_list()) if supra.height else set())
    if not years:
        return pl.DataFrame()
    _register(con, "_years", provenance_by_year(com, supra))
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
                    (count(*) - count(b.value)) || ' commune(s) sans valeur connue'
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
    _register(
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
    _register(con, "_com_estimated", com.filter(pl.col("status") == Status.ESTIMATED))
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
    _register(con, "_pub", pub)
    _register(con, "_years", provenance_by_year(com, supra))
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
    absent_note = (
        "absente du fichier du producteur : secret statistique"
        if absent_status == Status.SECRET
        else "absente du fichier"
    )
    return con.execute(
        f"""
        WITH cov AS (SELECT DISTINCT p.year, k.dep FROM _pub p
                     JOIN communes k ON p.level = 'COM' AND k.commune = p.code),
        grid AS (SELECT t.level, t.code, y.* FROM territories t CROSS JOIN _years y)
        SELECT g.level, g.code, g.year, p.value,
               coalesce(p.status, CASE WHEN g.level <> 'COM' THEN 'unavailable'
                                       WHEN cov.dep IS NULL THEN 'missing'
                                       ELSE {literal(absent_status)} END) AS status,
               CASE WHEN p.status IS NOT NULL THEN coalesce(p.note, p.perimeter)
                    WHEN g.level IN ({published_levels}) THEN {literal(not_loaded)}
                    WHEN g.level <> 'COM' THEN {literal(not_derivable)}
                    WHEN cov.dep IS NULL THEN 'département non couvert'
                    ELSE {literal(absent_note)} END AS note,
               coalesce(p.millesime, g.millesime) AS millesime,
               coalesce(p.geo_vintage, g.geo_vintage) AS geo_vintage
        FROM grid g LEFT JOIN _pub p USING (level, code, year)
        LEFT JOIN communes k ON g.level = 'COM' AND k.commune = g.code
        LEFT JOIN cov ON cov.year = g.year AND cov.dep = k.dep
        """
    ).pl()


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
    if recipe.denominator.year == "latest_before":
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
    pairs = pl.DataFrame(
        {"year": years[1:], "prev_year": years[:-1]},
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
    if agg == "sum":
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
