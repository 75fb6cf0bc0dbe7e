"""Statistical secrecy: primary thresholds and secondary (complementary) suppression.

Primary: a value whose weight (sales, dwellings) or numerator is under the indicator's
threshold is masked, at every level. Values masked by the producer (Filosofi `s`, RPLS
empty counts, communes absent from the LOVAC-derived file) arrive already secret.

Secondary: when a parent total is shown, a single masked commune could be recovered by
subtracting its visible siblings from the parent (for a weighted mean, from the parent's
sum of value x weight). Wherever a visible parent (EPCI, département, région, France,
regroupement) holds exactly one commune masked by a threshold, the visible commune of
smallest weight in it is masked too, until no parent holds exactly one. Medians are not
concerned: a median cannot be recovered by subtraction.
"""

from __future__ import annotations

import polars as pl

from observatoire.indicators.catalog import Secrecy
from observatoire.status import VISIBLE, Status


def primary(frame: pl.DataFrame, rule: Secrecy) -> pl.DataFrame:
    masks = []
    if rule.min_weight is not None:
        masks.append(
            pl.col("weight").is_not_null()
            & (pl.col("weight") > 0)
            & (pl.col("weight") < rule.min_weight)
        )
    if rule.min_numerator is not None:
        masks.append(
            pl.col("numer").is_not_null()
            & (pl.col("numer") > 0)
            & (pl.col("numer") < rule.min_numerator)
        )
    if not masks:
        return frame.with_columns(pl.lit(False).alias("threshold_secret"))
    hit = pl.any_horizontal(masks) & pl.col("status").is_in(VISIBLE)
    return frame.with_columns(
        hit.alias("threshold_secret"),
        pl.when(hit).then(pl.lit(Status.SECRET)).otherwise(pl.col("status")).alias("status"),
        pl.when(hit)
        .then(pl.lit("secret statistique (seuil)"))
        .otherwise(pl.col("note"))
        .alias("note"),
    )


def secondary(frame: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Complementary suppression over communes, per year."""
    # Commune rows without their own `level`: joined to links, `level` is the parent's.
    com = frame.filter(pl.col("level") == "COM").drop("level")
    parents = frame.filter(pl.col("level") != "COM").select(
        "level", "code", "year", pl.col("status").alias("parent_status")
    )
    links = membership.filter(pl.col("level") != "COM").rename({"code": "parent"})
    hidden = set(com.filter(pl.col("threshold_secret")).select("code", "year").iter_rows())
    if not hidden:
        return frame
    cand = com.filter(pl.col("status").is_in(VISIBLE) & pl.col("value").is_not_null())
    cand_rows = (
        cand.join(links, left_on="code", right_on="commune")
        .join(parents.rename({"code": "parent"}), on=["level", "parent", "year"])
        .filter(pl.col("parent_status").is_in(VISIBLE))
    )
    extra: set[tuple[str, int]] = set()
    masked_links = com.join(links, left_on="code", right_on="commune").select(
        "code", "year", "level", "parent"
    )
    for _ in range(50):
        current = hidden | extra
        cur = pl.DataFrame(
            {"code": [c for c, _ in current], "year": [y for _, y in current]},
            schema={"code": pl.Utf8, "year": com.schema["year"]},
        )
        counts = (
            masked_links.join(cur, on=["code", "year"])
            .group_by("level", "parent", "year")
            .len()
            .filter(pl.col("len") == 1)
        )
        if not counts.height:
            break
        pool = cand_rows.join(
            counts.select("level", "parent", "year"), on=["level", "parent", "year"]
        )
        pool = pool.join(cur, on=["code", "year"], how="anti")
        picks = pool.sort("weight", "code").group_by("level", "parent", "year").first()
        new = set(picks.select("code", "year").iter_rows()) - current
        if not new:
            break
        extra |= new
    if not extra:
        return frame
    ex = pl.DataFrame(
        {"code": [c for c, _ in extra], "year": [y for _, y in extra], "_x": True},
        schema={"code": pl.Utf8, "year": com.schema["year"], "_x": pl.Boolean},
    ).with_columns(pl.lit("COM").alias("level"))
    out = frame.join(ex, on=["level", "code", "year"], how="left")
    hit = pl.col("_x").fill_null(False)
    return out.with_columns(
        pl.when(hit).then(pl.lit(Status.SECRET)).otherwise(pl.col("status")).alias("status"),
        pl.when(hit)
        .then(pl.lit("secret statistique (secret secondaire)"))
        .otherwise(pl.col("note"))
        .alias("note"),
    ).drop("_x")


def apply(frame: pl.DataFrame, rule: Secrecy, membership: pl.DataFrame) -> pl.DataFrame:
    out = primary(frame, rule)
    if rule.secondary:
        out = secondary(out, membership)
    masked = pl.col("status") == Status.SECRET
    return out.with_columns(
        pl.when(masked).then(None).otherwise(pl.col("value")).alias("value")
    ).drop("threshold_secret")
