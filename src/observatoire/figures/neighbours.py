"""Territoires qui me ressemblent (issue #14 §1): the territories of the same level nearest
to a territory on the structural indicators declared in neighbours.toml.

Method (docs/methodes.md, « Territoires qui me ressemblent »):
- for each declared indicator, each territory's latest value (the one its portrait
  shows); a value counts only when its status is visible (ok, estimated): a secret, missing or unavailable value
  is absent, never replaced;
- each indicator is standardised over the territories of the level that have a value
  (z-score: minus the mean, divided by the standard deviation), on its logarithm when
  declared `log`;
- the distance between two territories is Euclidean over the indicators both have,
  rescaled to the indicators of the territory (sqrt(m / s * sum of squared gaps), m the
  territory's indicators, s the shared ones), and a pair sharing fewer than `min_shared`
  indicators is not compared. So a masked value is dropped for that pair: it never
  places a neighbour, and the list cannot be used to guess it.
- only public indicators are used: what ranks neighbours is readable by everyone.

The standardised table of a level is computed once per cube (a rebuild gives a new cube
object) and per level; a query is then a vectorised pass over it (polars)."""

from __future__ import annotations

import threading
import tomllib
import weakref
from dataclasses import dataclass
from functools import cache
from importlib import resources

import polars as pl

from observatoire.figures.store import cube
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.indicators.query import Cube
from observatoire.status import VISIBLE
from observatoire.territories import Level, Territory

DEFAULT_COUNT = 5


@dataclass(frozen=True)
class Declared:
    candidates: tuple[str, ...]
    log: bool
    required: bool


@dataclass(frozen=True)
class Neighbour:
    territory: Territory
    distance: float
    shared: tuple[str, ...]  # the indicator codes the distance was computed on


@dataclass(frozen=True)
class Similar:
    territory: Territory
    indicators: tuple[Indicator, ...]  # those of the territory, in declared order
    neighbours: tuple[Neighbour, ...]


@cache
def _declaration() -> tuple[int, tuple[Declared, ...]]:
    text = (resources.files("observatoire.figures") / "neighbours.toml").read_text("utf-8")
    data = tomllib.loads(text)
    items = tuple(
        Declared(tuple(d["indicators"]), bool(d.get("log")), bool(d.get("required")))
        for d in data["indicator"]
    )
    return int(data.get("min_shared", 1)), items


def declared() -> tuple[Declared, ...]:
    return _declaration()[1]


@dataclass(frozen=True)
class _Table:
    """The z-scores of a level: one row per territory code, one column per indicator."""

    frame: pl.DataFrame
    indicators: tuple[Indicator, ...]
    required: frozenset[str]


_tables: weakref.WeakKeyDictionary[Cube, dict[Level, _Table]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()

# Each territory's latest value, the one its portrait shows (secret included: then the
# indicator is absent for it, an earlier published value does not stand in). The
# populations légales 2023 of the demo cover some départements only: a latest year of
# the level would compare the others without their size.
_SQL = """
SELECT indicator, code, value FROM (
    SELECT indicator, code, arg_max(value, year) AS value, arg_max(status, year) AS status
    FROM cube
    WHERE level = ? AND indicator IN (SELECT unnest(?::VARCHAR[])) AND status <> 'missing'
    GROUP BY indicator, code
)
WHERE value IS NOT NULL AND status IN (SELECT unnest(?::VARCHAR[]))
"""


def _column(values: pl.DataFrame, item: Declared) -> tuple[Indicator, pl.DataFrame] | None:
    """The z-scores of the first candidate of `item` declared, public and with values at
    this level (`values`: indicator, code, value)."""
    items = catalog()
    for code in item.candidates:
        ind = items.get(code)
        if ind is None or ind.diffusion != "public":
            continue
        col = values.filter(pl.col("indicator") == code).select("code", pl.col("value").alias(code))
        if item.log:
            col = col.filter(pl.col(code) > 0).with_columns(pl.col(code).log())
        std = col[code].std() if col.height >= 2 else None
        if not std:
            continue
        return ind, col.with_columns((pl.col(code) - pl.col(code).mean()) / std)
    return None


def _table(level: Level) -> _Table:
    current = cube()
    with _lock:
        by_level = _tables.setdefault(current, {})
        if level not in by_level:
            codes = [c for item in declared() for c in item.candidates]
            values = current.con.execute(_SQL, [level.value, codes, [str(s) for s in VISIBLE]]).pl()
            frame = pl.DataFrame(schema={"code": pl.String})
            indicators: list[Indicator] = []
            required: set[str] = set()
            for item in declared():
                found = _column(values, item)
                if found is None:
                    continue
                indicators.append(found[0])
                if item.required:
                    required.add(found[0].code)
                frame = frame.join(found[1], on="code", how="full", coalesce=True)
            by_level[level] = _Table(frame, tuple(indicators), frozenset(required))
        return by_level[level]


def similar(territory: Territory, count: int = DEFAULT_COUNT) -> Similar:
    """The `count` nearest territories of the same level, nearest first (ties by code);
    fewer when fewer can be compared, none when the territory has fewer than two of the
    declared indicators."""
    table = _table(territory.level)
    own = table.frame.filter(pl.col("code") == territory.code)
    if own.is_empty():
        return Similar(territory, (), ())
    mine = [ind for ind in table.indicators if own[ind.code][0] is not None]
    if len(mine) < 2:
        return Similar(territory, tuple(mine), ())
    required = min(_declaration()[0], len(mine))
    must = [pl.col(i.code).is_not_null() for i in mine if i.code in table.required]
    gaps = [(pl.col(ind.code) - own[ind.code][0]).pow(2).alias(ind.code) for ind in mine]
    scored = (
        table.frame.filter(pl.col("code") != territory.code)
        .select("code", *gaps)
        .with_columns(
            shared=pl.sum_horizontal(pl.col(i.code).is_not_null() for i in mine),
            total=pl.sum_horizontal(pl.col(i.code) for i in mine),
        )
        .filter(pl.col("shared") >= required, *must)
        .with_columns(distance=(pl.col("total") * len(mine) / pl.col("shared")).sqrt())
        .sort(["distance", "code"])
        .head(count)
    )
    neighbours = tuple(
        Neighbour(
            Territory(territory.level, row["code"]),
            row["distance"],
            tuple(i.code for i in mine if row[i.code] is not None),
        )
        for row in scored.iter_rows(named=True)
    )
    return Similar(territory, tuple(mine), neighbours)
