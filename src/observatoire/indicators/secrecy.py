"""Statistical secrecy: primary thresholds, then complementary suppression audited over
the whole table (docs/methodes.md, « Secret statistique »).

Primary: a value whose weight (sales, dwellings) or numerator is under the indicator's
threshold is masked, at every level. Values masked by the producer (Filosofi `s`, RPLS
empty counts, communes absent from the LOVAC-derived file) arrive already secret.

Groupings: a grouping of fewer than MIN_GROUPING communes never shows a value bound by
secrecy (it would be its communes' values, or one of them by difference).

Complementary (`secondary = true`): for each year, every masked cell must keep an
interval of at least `protection` of its value against an attacker who holds every
published value of the table at every level and grouping, and the weights of every
commune (disclosure.audit). While a masked cell is exposed, one more cell is masked:
a visible commune in exactly the same published parents (the smallest weight first among
those that give the exposed cell enough room, else the smallest), else the smallest
grouping holding it, else an EPCI of the same département; the audit is run again (with
the a priori bounds of what is still published) until nothing is exposed. What the pair
proofs leave is solved exactly; a cell no complement protects stops the build.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from observatoire.errors import UserError
from observatoire.indicators.catalog import Secrecy
from observatoire.indicators.disclosure import Cell, Exposure, Key, Table, audit
from observatoire.status import VISIBLE, Status

MIN_GROUPING = 3
# Rounds of complementary suppression before the build gives up (each round masks one
# cell per exposed cell; the national DVF tables need a handful).
_MAX_ROUNDS = 60

NOTE_THRESHOLD = "secret statistique (seuil)"
NOTE_SECONDARY = "secret statistique (secret secondaire)"
NOTE_GROUPING = (
    f"secret statistique : regroupement de moins de {MIN_GROUPING} communes, valeur non diffusée"
)
NOTE_GROUPING_AUDIT = (
    "secret statistique : ce regroupement permettrait de retrouver une valeur masquée"
)


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
        pl.when(hit).then(pl.lit(NOTE_THRESHOLD)).otherwise(pl.col("note")).alias("note"),
    )


def small_groupings(frame: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    sizes = membership.filter(pl.col("level") == "GRP").group_by("code").len()
    small = sizes.filter(pl.col("len") < MIN_GROUPING)["code"].to_list()
    hit = (pl.col("level") == "GRP") & pl.col("code").is_in(small)
    return frame.with_columns(
        pl.when(hit).then(pl.lit(Status.SECRET)).otherwise(pl.col("status")).alias("status"),
        pl.when(hit).then(pl.lit(NOTE_GROUPING)).otherwise(pl.col("note")).alias("note"),
    )


def members_of(membership: pl.DataFrame) -> dict[Key, list[str]]:
    out: dict[Key, list[str]] = defaultdict(list)
    for level, code, commune in membership.filter(pl.col("level") != "COM").iter_rows():
        out[(level, code)].append(commune)
    return dict(out)


def table_of(
    rows: pl.DataFrame, members: dict[Key, list[str]], protection: float, published: str
) -> Table:
    """One year's cells; `published` names the boolean column saying what is shown.
    `q` is the additive quantity behind the value: the numerator of a ratio or weighted
    mean, else value x weight (a mean of records)."""
    q = pl.coalesce("numer", pl.col("value") * pl.col("weight"))
    cells = {
        (level, code): Cell(
            q=qq, weight=w, value=v, published=bool(pub), sensitive=bool(sens or False)
        )
        for level, code, qq, w, v, pub, sens in rows.select(
            "level", "code", q.alias("q"), "weight", "value", published, "threshold_secret"
        ).iter_rows()
    }
    return Table(cells=cells, members=members, protection=protection)


def _weight(table: Table, code: str) -> float:
    return table.cells[("COM", code)].weight or 0.0


def _complement(
    table: Table, exposure: Exposure, parents: dict[str, set[Key]], unknown: set[str]
) -> Key | None:
    """The next cell to mask so that the exposed cell gains room."""
    level, code = exposure.key
    targets = [code] if level == "COM" else table.members.get(exposure.key, [])
    sig: set[Key] = set().union(*(parents.get(t, set()) for t in targets)) if targets else set()
    if level == "COM":
        # A commune in the same parents is in the smallest of them.
        smallest = min(sig, key=lambda k: len(table.members[k]), default=None)
        visible = [
            com
            for com in (table.members[smallest] if smallest else ())
            if (cell := table.cells.get(("COM", com))) is not None
            and cell.published
            and cell.q is not None
            and (cell.weight or 0) > 0  # a zero weight is public: nothing to trade
            and com != code
            and table.parents(com) == sig
        ]
        if visible:
            ordered = sorted(visible, key=lambda c: (_weight(table, c), c))
            return (
                "COM",
                next((c for c in ordered if _gives_room(table, exposure, c)), ordered[0]),
            )
        groupings = [k for k in sig if k[0] == "GRP"]
        if groupings:
            return min(groupings, key=lambda k: (len(table.members[k]), k[1]))
        # Alone in its EPCI and département (a commune on the far side of a cross-border
        # EPCI): the EPCI's value goes, then the next rule pairs it within its département.
        epcis = [k for k in sig if k[0] == "EPCI"]
        if epcis:
            return min(epcis, key=lambda k: (_cell_weight(table, k), k[1]))
    # In no published EPCI: mask a published EPCI of the same département(s), one that
    # holds masked communes if possible, so that they trade with this cell.
    deps = {k for k in sig if k[0] == "DEP"}
    candidates = []
    for key, coms in table.members.items():
        if key[0] != "EPCI" or key in sig or not _shown(table, key):
            continue
        inside = [c for c in coms if ("DEP", table.dep_of.get(c, "")) in deps]
        if inside and key != exposure.key:
            has_unknown = any(c in unknown for c in inside)
            candidates.append((not has_unknown, _cell_weight(table, key), key[1], key))
    if candidates:
        return min(candidates)[3]
    others = [k for k in sig if k[0] not in ("FR",)]
    return min(others, key=lambda k: (len(table.members[k]), k)) if others else None


def _gives_room(table: Table, exposure: Exposure, code: str) -> bool:
    """Whether masking commune `code` can widen the exposed commune's interval enough.
    A sub-threshold value is usually the smallest of its table, hence at its own a priori
    lower bound: it can only move up, so its partner must be able to move down, which
    the smallest published commune cannot (masking it raises the bound to its value)."""
    value = table.cells[("COM", code)].value
    bounds = table.published_bounds(without=code) if value in table.bounds else table.bounds
    q_e = exposure.truth
    lo_e, hi_e = table.limits(exposure.key[1], bounds)
    lo_c, hi_c = table.limits(code, bounds)
    q_c = table.cells[("COM", code)].q or 0.0
    room_down = max(0.0, (q_e - lo_e) - (q_e - exposure.low))
    room_up = max(0.0, (hi_e - q_e) - (exposure.high - q_e))
    gain = min(room_down, hi_c - q_c) + min(room_up, q_c - lo_c)
    return gain >= table.protection * abs(q_e) - (exposure.high - exposure.low)


def _shown(table: Table, key: Key) -> bool:
    cell = table.cells.get(key)
    return cell is not None and cell.published


def _cell_weight(table: Table, key: Key) -> float:
    cell = table.cells.get(key)
    return (cell.weight or 0.0) if cell else 0.0


class SuppressionError(UserError):
    def __init__(self, indicator: str, year: int, left: list[Exposure]) -> None:
        self.exposures = left
        lines = [f"{indicator} {year}, {e.describe()}" for e in left[:10]]
        super().__init__(
            "Le secret statistique ne peut pas être assuré : aucune cellule complémentaire "
            "ne protège assez ces valeurs masquées.\n  "
            + "\n  ".join(lines)
            + "\nLe cube en place est conservé."
        )


def secondary(
    frame: pl.DataFrame, membership: pl.DataFrame, protection: float, indicator: str = ""
) -> pl.DataFrame:
    """Complementary suppression, audited over the whole table of each year."""
    members = members_of(membership)
    extra: list[tuple[str, str, int]] = []
    frame = frame.with_columns(pl.col("status").is_in(VISIBLE).alias("_shown"))
    for year in sorted(set(frame["year"].to_list())):
        rows = frame.filter(pl.col("year") == year)
        if not rows["threshold_secret"].any():
            continue
        table = table_of(rows, members, protection, "_shown")
        for _ in range(_MAX_ROUNDS):
            exposures = audit(table, solve=False)
            if not exposures:
                break
            parents = table.parents_of()
            unknown = set(table.unknowns())
            picks = {_complement(table, e, parents, unknown) for e in exposures}
            picks.discard(None)
            if not picks:
                break
            keys = sorted(k for k in picks if k is not None)
            table.mask(keys)
            extra += [(k[0], k[1], year) for k in keys]
        else:
            exposures = audit(table, solve=False)
        # The pair proofs are only sufficient: what they leave is solved exactly before
        # the build is refused.
        left = audit(table) if exposures else []
        if left:
            raise SuppressionError(indicator, year, left)
    frame = frame.drop("_shown")
    if not extra:
        return frame
    ex = pl.DataFrame(
        {
            "level": [k[0] for k in extra],
            "code": [k[1] for k in extra],
            "year": [k[2] for k in extra],
            "_x": True,
        },
        schema={"level": pl.Utf8, "code": pl.Utf8, "year": frame.schema["year"], "_x": pl.Boolean},
    )
    out = frame.join(ex, on=["level", "code", "year"], how="left")
    hit = pl.col("_x").fill_null(False)
    note = pl.when(pl.col("level") == "GRP").then(pl.lit(NOTE_GROUPING_AUDIT))
    return out.with_columns(
        pl.when(hit).then(pl.lit(Status.SECRET)).otherwise(pl.col("status")).alias("status"),
        pl.when(hit)
        .then(note.otherwise(pl.lit(NOTE_SECONDARY)))
        .otherwise(pl.col("note"))
        .alias("note"),
    ).drop("_x")


def bound(rule: Secrecy) -> bool:
    """Whether the indicator's values are under secrecy at all."""
    return rule.min_weight is not None or rule.min_numerator is not None


def within(membership: pl.DataFrame, outside: tuple[str, ...]) -> pl.DataFrame:
    """The membership as the source sums it: France leaves out the départements the
    source never covers (DVF: Alsace-Moselle), so their communes are in no French sum."""
    if not outside:
        return membership
    left_out = membership.filter(pl.col("level") == "DEP", pl.col("code").is_in(outside))
    return membership.filter(
        ~((pl.col("level") == "FR") & pl.col("commune").is_in(left_out["commune"].implode()))
    )


def apply(
    frame: pl.DataFrame,
    rule: Secrecy,
    membership: pl.DataFrame,
    outside: tuple[str, ...] = (),
    indicator: str = "",
) -> pl.DataFrame:
    """Secondary suppression and masking, on rows where primary() has run."""
    membership = within(membership, outside)
    out = frame
    if bound(rule):
        out = small_groupings(out, membership)
    if rule.secondary:
        out = secondary(out, membership, rule.protection, indicator)
    masked = pl.col("status") == Status.SECRET
    return out.with_columns(
        pl.when(masked).then(None).otherwise(pl.col("value")).alias("value")
    ).drop("threshold_secret")
