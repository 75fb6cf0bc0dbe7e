"""Production objectives against realisations, as JSON-ready blocks for the reports
(bilan annuel, fiche de suivi PLH of a commune). Every rate is a ratio of sums."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from observatoire.figures import territory_name
from observatoire.plans import progress
from observatoire.plans.models import Plan, Product
from observatoire.plans.reports.payloads import (
    CommuneFigures,
    CommuneProduction,
    Figures,
    OperationLine,
    ProductFigures,
    Production,
    YearRow,
)
from observatoire.ratio import ratio
from observatoire.territories import Territory

PRODUCT_LABELS = dict(Product.choices)


def _figures(objective: int | None, realised: int | None) -> Figures:
    r = ratio(realised, objective)
    return {
        "objective": objective,
        "realised": realised,
        "rate": r,
        "behind": r is not None and r < progress.BEHIND_THRESHOLD,
    }


def _add(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else a + b


def _by_product(cells: list[progress.Cell], year: int) -> list[ProductFigures]:
    """Per product, year `year` and cumulated since the plan start, all communes added."""
    year_obj: dict[str, int | None] = defaultdict(lambda: None)
    year_real: dict[str, int | None] = defaultdict(lambda: None)
    cum_obj: dict[str, int | None] = defaultdict(lambda: None)
    cum_real: dict[str, int | None] = defaultdict(lambda: None)
    demo: dict[str, bool] = defaultdict(bool)
    for c in cells:
        if c.year > year:
            continue
        cum_obj[c.product] = _add(cum_obj[c.product], c.objective)
        cum_real[c.product] = _add(cum_real[c.product], c.realised)
        demo[c.product] |= c.is_demo
        if c.year == year:
            year_obj[c.product] = _add(year_obj[c.product], c.objective)
            year_real[c.product] = _add(year_real[c.product], c.realised)
    out: list[ProductFigures] = []
    for code in progress.PRODUCTS:
        if cum_obj[code] is None and not cum_real[code]:
            continue  # neither an objective nor a realisation: nothing to say
        out.append(
            {
                "code": code,
                "label": PRODUCT_LABELS[code],
                "year": _figures(year_obj[code], year_real[code]),
                "cumul": _figures(cum_obj[code], cum_real[code]),
                "demo": demo[code],
            }
        )
    return out


def plan_production(plan: Plan, year: int, today: date) -> Production | None:
    """The plan's production block of the bilan of `year`: totals, products, communes."""
    if not plan.objectives.exists() and not plan.operations.exists():
        return None
    cells = progress.cells(plan, today=today)
    cumulated = progress.cumulate(cells, year)
    overall = progress.total(cumulated, plan.territory)
    of_year = {c.territory: c for c in cells if c.year == year and c.product == progress.TOTAL}
    communes: list[CommuneFigures] = []
    for p in cumulated:
        c = of_year.get(p.territory)
        if p.objective is None and not p.realised:
            continue  # neither target nor realisation: left out of the table
        communes.append(
            {
                "id": p.territory.id,
                "name": territory_name(p.territory),
                "year": _figures(c.objective if c else None, c.realised if c else None),
                "cumul": _figures(p.objective, p.realised),
                "demo": p.is_demo or bool(c and c.is_demo),
            }
        )
    stated = progress.plan_objective(plan, year)
    stated_before = progress.plan_objective(plan, year - 1)
    year_total = [c for c in of_year.values()]
    year_obj = [c.objective for c in year_total if c.objective is not None]
    year_real = [c.realised for c in year_total if c.realised is not None]
    return {
        "source": progress.realisations_source(plan),
        "threshold": progress.BEHIND_THRESHOLD,
        "year": _figures(
            sum(year_obj) if year_obj else None, sum(year_real) if year_real else None
        ),
        "cumul": _figures(overall.objective, overall.realised),
        "stated": {
            "cumul": stated,
            "year": None if stated is None else stated - (stated_before or 0),
        },
        "products": _by_product(cells, year),
        "communes": communes,
        "behind": sum(1 for c in communes if c["cumul"]["behind"]),
        "demo": overall.is_demo or any(c["demo"] for c in communes),
    }


def commune_production(plan: Plan, commune: Territory, today: date) -> CommuneProduction:
    """The fiche de suivi PLH of one commune: year x product, and cumulated by year."""
    cells = progress.cells(plan, commune, today=today)
    years = list(range(plan.start_year, plan.end_year + 1))
    grid: dict[tuple[int, str], progress.Cell] = {(c.year, c.product): c for c in cells}
    products = [
        code
        for code in progress.PRODUCTS
        if any(grid[(y, code)].objective is not None or grid[(y, code)].realised for y in years)
    ]
    if progress.TOTAL not in products:
        products.append(progress.TOTAL)
    rows: list[YearRow] = []
    cum_obj: int | None = None
    cum_real: int | None = None
    for y in years:
        t = grid[(y, progress.TOTAL)]
        cum_obj = _add(cum_obj, t.objective)
        cum_real = _add(cum_real, t.realised)
        rows.append(
            {
                "year": y,
                "started": t.realised is not None,
                "products": [
                    {
                        "code": code,
                        **_figures(grid[(y, code)].objective, grid[(y, code)].realised),
                        "demo": grid[(y, code)].is_demo,
                    }
                    for code in products
                ],
                # A year not started yet has no cumulated realisation (nor rate).
                "cumul": _figures(cum_obj, cum_real if t.realised is not None else None),
                "demo": any(grid[(y, code)].is_demo for code in products),
            }
        )
    current = [r for r in rows if r["started"]]
    operations: list[OperationLine] = [
        {
            "year": op.year,
            "name": op.name,
            "product": PRODUCT_LABELS.get(op.product, op.product),
            "dwellings": op.dwellings,
            "stage": op.get_stage_display(),
            "source": op.source,
            "demo": op.is_demo,
        }
        for op in plan.operations.filter(territory=commune).order_by("year", "id")
    ]
    return {
        "commune": {"id": commune.id, "name": territory_name(commune)},
        "products": [{"code": c, "label": PRODUCT_LABELS[c]} for c in products],
        "years": rows,
        "last": current[-1] if current else None,
        "operations": operations,
        "source": progress.realisations_source(plan),
        "threshold": progress.BEHIND_THRESHOLD,
        "demo": any(r["demo"] for r in rows) or any(o["demo"] for o in operations),
    }
