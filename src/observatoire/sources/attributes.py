"""Commune attributes (a zone, a programme membership) carried to the current COG.

A zone or a membership is not a count: when communes merge, adding their 0/1 flags would
give 2, and splitting one by population would give 0.4 of a zone. The build's COG
harmonisation (territories.vintages.harmonise) is made for counts and rates, so the
zonage readers move their attributes to the current COG themselves, with one rule:
- a commune split since the file's COG inherits the attribute of the commune it came from;
- a commune nouvelle made of several former communes takes the strongest of their values:
  the most restrictive zone ABC (lowest rank: A bis before A, B1, B2, C), a membership if
  any former commune was a member (the programme covers part of its territory).
The rows then carry the current COG year (ROW_GEO_VINTAGE), the batch keeps the file's.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from observatoire.sources.schema import ROW_GEO_VINTAGE
from observatoire.status import Status
from observatoire.territories import vintages
from observatoire.territories.referential import COG_YEAR, in_france, national


def passage_from(from_years: tuple[int, ...]) -> pl.DataFrame:
    """old_code -> new_code, each old code read on the newest of `from_years` that knows it
    (a producer that left a few merged communes under their former codes)."""
    parts, seen = [], pl.DataFrame(schema={"old_code": pl.Utf8})
    for year in sorted(from_years, reverse=True):
        table = vintages.passage(year).select("old_code", "new_code")
        fresh = table.join(seen, on="old_code", how="anti")
        parts.append(fresh)
        seen = pl.concat([seen, fresh.select("old_code").unique()])
    return pl.concat(parts)


def on_current_cog(
    frame: pl.DataFrame, from_years: int | tuple[int, ...], *, keep: Literal["min", "max"]
) -> pl.DataFrame:
    """`frame` (code, value) on the COG of `from_years` -> (code, value) on the current COG,
    merged communes keeping the min or max of their former values. Codes unknown to that
    COG are dropped (the caller has checked them)."""
    years = from_years if isinstance(from_years, tuple) else (from_years,)
    moved = frame.join(passage_from(years), left_on="code", right_on="old_code", how="inner")
    value = pl.col("value").min() if keep == "min" else pl.col("value").max()
    return moved.group_by("new_code").agg(value).rename({"new_code": "code"}).sort("code")


def unknown_codes(codes: pl.Series, from_years: int | tuple[int, ...]) -> list[str]:
    """Codes that are neither a commune of the COG of `from_years` nor an arrondissement."""
    years = from_years if isinstance(from_years, tuple) else (from_years,)
    known = set(passage_from(years)["old_code"].to_list())
    return [c for c in codes.to_list() if c not in known]


def french_communes() -> list[str]:
    """Every commune of the current COG in the France of the statistics."""
    return [c for c, dep in national().commune_dep.items() if in_france(dep)]


def flag_rows(current: pl.DataFrame, variable: str) -> pl.DataFrame:
    """(code, value) on the current COG -> observation rows of one variable (level and
    year added by the caller)."""
    return current.select(
        "code",
        pl.lit(variable).alias("variable"),
        pl.col("value").cast(pl.Float64),
        pl.when(pl.col("value").is_null())
        .then(pl.lit(Status.MISSING))
        .otherwise(pl.lit(Status.OK))
        .alias("status"),
        pl.lit(COG_YEAR).alias(ROW_GEO_VINTAGE),
    )
