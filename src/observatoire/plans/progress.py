"""Production objectives against realisations, per commune x year x product.

Rates are always sums of realised dwellings over sums of objectives (never a mean of
commune rates). A commune is "en retard" when, cumulated since the first year of the plan,
it has realised less than `BEHIND_THRESHOLD` of its cumulated objective.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from observatoire import figures
from observatoire.figures import QueryError
from observatoire.plans.models import (
    DEMO_STATUS_COMMENT,
    Objective,
    Operation,
    Plan,
    Product,
    StatusChange,
)
from observatoire.ratio import ratio
from observatoire.status import VISIBLE
from observatoire.territories import Level, Territory

PRODUCTS: tuple[str, ...] = tuple(str(p) for p in Product.values)
TOTAL = "total"
BEHIND_THRESHOLD = 0.8
# Sitadel counts every dwelling, without the financing product: it feeds `total` only.
SITADEL = {
    "logements_autorises": "Sitadel, logements autorisés",
    "logements_commences": "Sitadel, logements commencés",
}


@dataclass(frozen=True)
class Cell:
    """One commune x year x product."""

    territory: Territory
    year: int
    product: str
    objective: int | None
    realised: int | None
    is_demo: bool

    @property
    def rate(self) -> float | None:
        return ratio(self.realised, self.objective)


@dataclass(frozen=True)
class Progress:
    """A territory's cumulated progress for one product, from the plan's start to `year`."""

    territory: Territory
    product: str
    year: int
    objective: int | None
    realised: int | None
    is_demo: bool

    @property
    def rate(self) -> float | None:
        return ratio(self.realised, self.objective)

    @property
    def behind(self) -> bool:
        r = self.rate
        return r is not None and r < BEHIND_THRESHOLD


def communes(plan: Plan, territory: Territory | None = None) -> list[Territory]:
    """Communes of `territory` (default: the plan's), sorted by code."""

    t = territory or plan.territory
    if t.level is Level.COM:
        return [t]
    return [Territory(Level.COM, c) for c in sorted(figures.communes_of(t))]


def realisations_source(plan: Plan) -> str:
    if plan.realisations in SITADEL:
        return f"{SITADEL[plan.realisations]} (total) ; opérations saisies (produits)"
    return "Opérations saisies (programmes financés)"


def has_demo(plan: Plan) -> bool:
    """Demonstration objectives, operations or action states (plans.demo)."""
    return (
        plan.objectives.filter(is_demo=True).exists()
        or plan.operations.filter(is_demo=True).exists()
        or StatusChange.objects.filter(action__plan=plan, comment=DEMO_STATUS_COMMENT).exists()
    )


def _operations(
    plan: Plan, wanted: set[Territory]
) -> tuple[dict[tuple[Territory, int, str], int], set[tuple[Territory, int]]]:
    """Dwellings entered per (commune, year, product), `total` being every product; and
    the (commune, year) pairs holding demo operations."""
    sums: dict[tuple[Territory, int, str], int] = defaultdict(int)
    demo: set[tuple[Territory, int]] = set()
    for op in Operation.objects.filter(plan=plan, territory__in=wanted):
        if op.product != TOTAL:
            sums[(op.territory, op.year, op.product)] += op.dwellings
        sums[(op.territory, op.year, TOTAL)] += op.dwellings
        if op.is_demo:
            demo.add((op.territory, op.year))
    return sums, demo


def _sitadel(
    plan: Plan, communes: Iterable[Territory], years: range
) -> dict[tuple[Territory, int], int | None]:

    out: dict[tuple[Territory, int], int | None] = {}
    try:
        cube = figures.cube()
    except QueryError:
        return out
    for t in communes:
        for year in years:
            try:
                v = cube.value(plan.realisations, t, year=year)
            except QueryError:
                continue
            known = v.value is not None and v.status in VISIBLE
            out[(t, year)] = round(v.value) if known and v.value is not None else None
    return out


def cells(plan: Plan, territory: Territory | None = None, today: date | None = None) -> list[Cell]:
    """Every commune x year x product of the plan period within `territory`.

    Realised is None for a year not started yet (or a Sitadel value that is not
    available); with entered operations, a past year without operation counts 0."""
    current = (today or date.today()).year
    ids = communes(plan, territory)
    wanted = set(ids)
    years = range(plan.start_year, plan.end_year + 1)
    objectives: dict[tuple[Territory, int, str], Objective] = {
        (o.territory, o.year, o.product): o
        for o in Objective.objects.filter(plan=plan, territory__in=wanted)
    }
    ops, demo_ops = _operations(plan, wanted)
    sitadel = _sitadel(plan, ids, years) if plan.realisations in SITADEL else {}
    out = []
    for cid in ids:
        for year in years:
            for product in PRODUCTS:
                obj = objectives.get((cid, year, product))
                realised: int | None
                if year > current:
                    realised = None
                elif sitadel and product == TOTAL:
                    realised = sitadel.get((cid, year))
                else:
                    realised = ops.get((cid, year, product), 0)
                is_demo = bool(obj is not None and obj.is_demo) or (cid, year) in demo_ops
                out.append(Cell(cid, year, product, obj.value if obj else None, realised, is_demo))
    return out


def cumulate(rows: Iterable[Cell], year: int, product: str = TOTAL) -> list[Progress]:
    """Per commune, objectives and realisations added up from the plan start to `year`.
    Realised stays None only when no year of the span has a known realisation."""
    objective: dict[Territory, int | None] = {}
    realised: dict[Territory, int | None] = {}
    demo: dict[Territory, bool] = defaultdict(bool)
    order: list[Territory] = []
    for c in rows:
        if c.product != product:
            continue
        if c.territory not in objective:
            order.append(c.territory)
            objective[c.territory] = None
            realised[c.territory] = None
        if c.year > year:
            continue
        if c.objective is not None:
            objective[c.territory] = (objective[c.territory] or 0) + c.objective
        if c.realised is not None:
            realised[c.territory] = (realised[c.territory] or 0) + c.realised
        demo[c.territory] |= c.is_demo
    return [Progress(t, product, year, objective[t], realised[t], demo[t]) for t in order]


def total(progress: Iterable[Progress], territory: Territory) -> Progress:
    """Several communes together: sums of objectives and of realisations (ratio of sums)."""
    items = list(progress)
    objectives = [p.objective for p in items if p.objective is not None]
    realised = [p.realised for p in items if p.realised is not None]
    return Progress(
        territory,
        items[0].product if items else TOTAL,
        items[0].year if items else 0,
        sum(objectives) if objectives else None,
        sum(realised) if realised else None,
        any(p.is_demo for p in items),
    )


def plan_objective(plan: Plan, year: int, product: str = TOTAL) -> int | None:
    """The plan's own cumulated target (rows on the plan's territory), when it states one."""
    values = Objective.objects.filter(
        plan=plan, territory=plan.territory, product=product, year__lte=year
    ).values_list("value", flat=True)
    found = list(values)
    return sum(found) if found else None
