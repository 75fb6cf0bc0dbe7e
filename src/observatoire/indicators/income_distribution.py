"""Estimated income quantiles of a parent territory, mixed from its communes' Filosofi deciles.

INSEE publishes Filosofi medians and deciles per commune; a median or a decile never adds
up, and the supra-communal files are not always loaded. A parent's quantile is then
ESTIMATED (docs/methodes.md, « Revenus : estimation des échelons supra-communaux »):

1. Each commune's distribution of disposable income per UC is rebuilt from its published
   deciles as a piecewise-linear quantile function through D1..D9 (D5 = the median), with
   a lower tail down to max(0, D1 - 1.25 (D2 - D1)) and an upper tail up to
   D9 + 2.25 (D9 - D8) (incomes are Pareto-like at the top). The two tail factors were
   calibrated on the blind rebuild of Paris, Lyon and Marseille from their arrondissements
   (files 2014 and 2019, and held-out 2015, 2016, 2018: D1 within 0.6 %, D9 within 0.9 %;
   bench/income_distribution.py). Where only D1, the
   median and D9 are published (chiffres clés 2021), D2-D4 and D6-D8 follow a log-normal
   through them: log(Dk / median) = log(D1 / median) * z_k / z_1 (z: normal quantiles).
2. A commune that publishes a median but no deciles (most small ones) borrows the relative
   shape log(Dk / median) of the NEIGHBOURS communes of the same département (the whole
   file if it has too few) whose medians are closest to its own, scaled to its median.
3. Each commune weighs its number of persons (NBPERS, fiscal households); a commune of an
   older COG goes to its current commune (territories.vintages.passage). The mixture's CDF
   is piecewise linear: it is built exactly from the knots and inverted (numpy, no loop
   over communes).
4. Coverage = persons of the communes with a (published or borrowed) distribution over
   all persons of the parent: a commune with nothing published (secret, absent from the
   file) counts with its NBPERS if known, else with its population from the COG
   referential. Below MIN_COVERAGE, no estimate: "unavailable" with the reason.

Poverty rate (TP60): the number of poor persons (rate x persons) is a count: a parent's
rate is sum(TP60 x NBPERS) / sum(NBPERS) over the communes that publish it, estimated,
with the same coverage rule.
"""

from __future__ import annotations

from statistics import NormalDist

import duckdb
import numpy as np
import polars as pl

from observatoire import sources
from observatoire.indicators.catalog import Recipe
from observatoire.indicators.inputs import supra_component
from observatoire.sql import literal
from observatoire.status import Status
from observatoire.territories import vintages
from observatoire.territories.referential import national

# Below 90 % of the persons, the uncovered communes (small, rural, secret) could move the
# median by more than the 2 % the estimate aims at (docs/methodes.md, validation).
MIN_COVERAGE = 0.9
NEIGHBOURS = 10
DECILES = tuple(f"D{k}" for k in range(1, 10))  # D5 read from MED
QUANTILE = {"D1": 0.1, "MED": 0.5, "D9": 0.9}
_Z = np.array([NormalDist().inv_cdf(k / 10) for k in range(1, 10)])
_PROBS = np.linspace(0.0, 1.0, 11)


def fill_lognormal(deciles: np.ndarray) -> np.ndarray:
    """n x 9 deciles (NaN where not published) -> D2-D4, D6-D8 filled log-normally from D1,
    the median (column 4) and D9 where those three are known and the others are not."""
    out = deciles.copy()
    med = out[:, 4:5]
    low = np.log(out[:, 0:1] / med) / _Z[0]
    high = np.log(out[:, 8:9] / med) / _Z[8]
    guess = med * np.exp(np.where(np.arange(9) < 4, low, high) * _Z)
    return np.where(np.isnan(out), guess, out)


def borrow_shapes(
    donor_med: np.ndarray,
    donor_shape: np.ndarray,
    med: np.ndarray,
    *,
    leave_one_out: bool = False,
    k: int = NEIGHBOURS,
) -> np.ndarray:
    """Mean relative shape log(Dk / median) (n x 9) of the k donors whose log median is
    closest by rank to each recipient's. leave_one_out: the recipients ARE the donors (same
    order) and each one's own shape is left out of its window."""
    order = np.argsort(donor_med)
    lm, shapes = np.log(donor_med[order]), donor_shape[order]
    width = k + 1 if leave_one_out else k
    n = len(lm)
    if n < width:
        raise ValueError("too few donors")
    cum = np.vstack([np.zeros((1, 9)), np.cumsum(shapes, axis=0)])
    pos = np.searchsorted(lm, np.log(med))
    start = np.clip(pos - width // 2, 0, n - width)
    total = cum[start + width] - cum[start]
    if leave_one_out:
        total -= donor_shape
        return total / k
    return total / width


def shapes_by_departement(
    med: np.ndarray, shape: np.ndarray, dep: np.ndarray, *, leave_one_out: bool = False
) -> np.ndarray:
    """Relative shape for every row: its own where published (NaN-free rows of `shape`),
    else borrowed from the same département's donors (the file's if fewer than k + 1).
    leave_one_out: every donor's own shape is replaced by its borrowed one (validation)."""
    out = shape.copy()
    donor = ~np.isnan(shape).any(axis=1) & ~np.isnan(med)
    want = (~donor if not leave_one_out else donor) & ~np.isnan(med)
    for d in np.unique(dep[want]):
        rows = want & (dep == d)
        pool = donor & (dep == d)
        if pool.sum() <= NEIGHBOURS:
            pool = donor
        if leave_one_out:  # rows are donors, all in pool
            own = borrow_shapes(med[pool], shape[pool], med[pool], leave_one_out=True)
            out[rows] = own[rows[pool]]
        else:
            out[rows] = borrow_shapes(med[pool], shape[pool], med[rows])
    return out


def knots(deciles: np.ndarray) -> np.ndarray:
    """n x 9 deciles -> n x 11 knots of the quantile function at p = 0, 0.1, ..., 1."""
    low = np.maximum(deciles[:, 0] - 1.25 * (deciles[:, 1] - deciles[:, 0]), 0.0)
    high = deciles[:, 8] + 2.25 * (deciles[:, 8] - deciles[:, 7])
    q = np.column_stack([low, deciles, high])
    return np.maximum.accumulate(q, axis=1)


def mixture_quantiles(q: np.ndarray, weights: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Quantiles of the mixture of piecewise-linear distributions (knots q, n x 11, at
    _PROBS) weighted by `weights`: the mixture's CDF is exact between the sorted knots."""
    # A zero-width decile (rounded incomes) is spread over 1 €: negligible, and it keeps
    # the densities finite.
    start = q[:, :-1]
    width = np.maximum(np.diff(q, axis=1), 1.0)
    slope = (weights[:, None] * np.diff(_PROBS)[None, :]) / width
    pos = np.concatenate([start.ravel(), (start + width).ravel()])
    step = np.concatenate([slope.ravel(), -slope.ravel()])
    order = np.argsort(pos, kind="stable")
    pos, step = pos[order], step[order]
    density = np.cumsum(step)[:-1]
    cdf = np.concatenate([[0.0], np.cumsum(density * np.diff(pos))])
    return np.interp(probs * cdf[-1], cdf, pos)


def _communes(con: duckdb.DuckDBPyConnection, source: str) -> pl.DataFrame:
    """One row per (year, file commune) on the current COG: persons, median, D1-D9, TP60."""
    variables = ("NBPERS", "MED", "TP60", *DECILES)
    raw = con.execute(
        f"""
        SELECT year, code, geo_vintage, variable, value FROM obs
        WHERE source = ? AND level = 'COM' AND status = 'ok'
          AND variable IN ({", ".join(literal(v) for v in variables)})
        """,
        [source],
    ).pl()
    if not raw.height:
        return raw
    wide = raw.pivot(on="variable", index=["year", "code", "geo_vintage"], values="value")
    for v in variables:
        if v not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(v))
    parts = []
    for (gv,), group in wide.group_by("geo_vintage"):
        table = vintages.passage(int(gv)).select("old_code", "new_code", "weight")
        parts.append(group.join(table, left_on="code", right_on="old_code", how="inner"))
    out = pl.concat(parts).with_columns(pl.col("NBPERS") * pl.col("weight"))
    return out.drop("weight").rename({"new_code": "commune"})


def _estimate(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the knots' source columns: D1..D9 completed (published, log-normal, borrowed)."""
    dec = frame.select(*DECILES).to_numpy().astype(float)
    med = frame["MED"].to_numpy().astype(float)
    dec[:, 4] = med
    dec = fill_lognormal(dec)
    shape = np.log(dec / med[:, None])
    dep = np.array([national().commune_dep.get(c, "") for c in frame["commune"]])
    if (~np.isnan(shape).any(axis=1)).sum() > NEIGHBOURS:
        shape = shapes_by_departement(med, shape, dep)
    full = med[:, None] * np.exp(shape)
    return frame.with_columns(
        *(pl.Series(f"E{k}", full[:, k - 1]) for k in range(1, 10)),
        pl.Series("borrowed", np.isnan(dec).any(axis=1) & ~np.isnan(full).any(axis=1)),
    )


def _pct(x: float) -> str:
    return f"{100 * x:.1f}".replace(".", ",")


def income_mixture(con: duckdb.DuckDBPyConnection, recipe: Recipe) -> pl.DataFrame:
    """Estimated D1, median, D9 (or D9/D1, or the poverty rate) of every parent territory
    without a published value, with its coverage in the note."""
    assert recipe.value
    variable = recipe.value.variables[0]
    frame = _communes(con, recipe.value.source)
    if not frame.height:
        return pl.DataFrame()
    members = con.execute("SELECT level, code, commune FROM membership WHERE level <> 'COM'").pl()
    published = supra_component(con, recipe.value).filter(pl.col("status") == Status.OK)
    population = national().commune_population
    published_levels = sources.get(recipe.value.source).published_levels
    rows = []
    for (year,), group in frame.group_by("year"):
        gv = int(group["geo_vintage"].max())  # type: ignore[arg-type]
        if group[variable if variable != "RD" else "D1"].is_null().all():
            continue  # not in this year's files (TP60 only in the chiffres clés)
        if variable == "TP60":
            covered = group["TP60"].is_not_null() & group["NBPERS"].is_not_null()
            est = group.with_columns(covered.alias("cov"))
        else:
            est = _estimate(group.filter(pl.col("MED").is_not_null()))
            est = group.join(
                est.select("code", "commune", *(f"E{k}" for k in range(1, 10)), "borrowed"),
                on=["code", "commune"],
                how="left",
            )
            est = est.with_columns(
                (pl.col("E1").is_not_null() & pl.col("NBPERS").is_not_null()).alias("cov"))  # fmt: skip
        # Persons of the communes with nothing in the file: their COG population.
        seen = set(group["commune"].to_list())
        absent = pl.DataFrame(
            {"commune": [c for c in population if c not in seen]},
            schema={"commune": pl.Utf8},
        ).with_columns(
            pl.col("commune").replace_strict(population, default=0).cast(pl.Float64).alias("NBPERS"),
            pl.lit(False).alias("cov"),
        )  # fmt: skip
        allc = pl.concat([est, absent], how="diagonal_relaxed")
        joined = members.join(allc, on="commune", how="inner").sort("level", "code")
        done = published.filter(pl.col("year") == year).select("level", "code")
        joined = joined.join(done, on=["level", "code"], how="anti")
        rows += _per_parent(joined, variable, int(year), gv, published_levels)
    if not rows:
        return pl.DataFrame()
    return pl.DataFrame(
        rows,
        schema={"level": pl.Utf8, "code": pl.Utf8, "year": pl.Int32, "value": pl.Float64,
                "status": pl.Utf8, "note": pl.Utf8, "millesime": pl.Int32,
                "geo_vintage": pl.Int32},
        orient="row",
    )  # fmt: skip


def _per_parent(
    joined: pl.DataFrame, variable: str, year: int, gv: int, published_levels: tuple[str, ...]
) -> list[tuple]:
    persons = joined["NBPERS"].fill_null(0.0).to_numpy()
    cov = joined["cov"].to_numpy().astype(bool)
    if variable == "TP60":
        values = joined["TP60"].fill_null(0.0).to_numpy() * persons
    else:
        q = knots(joined.select(*(f"E{k}" for k in range(1, 10))).fill_null(0.0).to_numpy())
        borrowed = joined["borrowed"].fill_null(False).to_numpy().astype(bool)
    keys = joined.select("level", "code")
    bounds = (
        keys.with_row_index()
        .group_by("level", "code", maintain_order=True)
        .agg(pl.col("index").min().alias("lo"), pl.col("index").max().alias("hi"))
    )
    out = []
    for level, code, lo, hi in bounds.iter_rows():
        sl = slice(lo, hi + 1)
        c = cov[sl]
        total = persons[sl].sum()
        share = persons[sl][c].sum() / total if total > 0 else 0.0
        if share < MIN_COVERAGE:
            note = (f"estimation non faite : {_pct(share)} % des personnes couvertes par les "
                    f"communes publiées (seuil {_pct(MIN_COVERAGE)} %)")  # fmt: skip
            if level in published_levels:
                note = "valeur publiée par l'INSEE à cette échelle, fichier non importé ; " + note
            out.append((level, code, year, None, Status.UNAVAILABLE, note, year, gv))
            continue
        w = persons[sl][c]
        if variable == "TP60":
            value = values[sl][c].sum() / w.sum()
            how = "rapport des sommes sur les communes publiées"
        else:
            probs = np.array([0.1, 0.9] if variable == "RD" else [QUANTILE[variable]])
            got = mixture_quantiles(q[sl][c], w, probs)
            value = float(got[1] / got[0]) if variable == "RD" else float(got[0])
            lent = w[borrowed[sl][c]].sum() / total
            how = (f"mélange des distributions communales, dont {_pct(lent)} % des personnes "
                   "par une forme empruntée à des communes comparables")  # fmt: skip
        note = f"estimation ({how}) ; {_pct(share)} % des personnes couvertes"
        out.append((level, code, year, value, Status.ESTIMATED, note, year, gv))
    return out
