"""Production objectives per commune: the grid communes x years (objective, realised,
rate), cumulated since the plan's first year with the communes behind schedule flagged,
and the map of the same flags (GeoJSON for plans/objectives_map.js)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from observatoire import figures, geo
from observatoire.plans import progress
from observatoire.plans.models import Plan, Product
from observatoire.plans.views.public import (
    current_year,
    get_plan,
    plan_context,
    territory_name,
    today,
)
from observatoire.territories import Level, Territory, TerritoryError


class ParamError(ValueError):
    """A filter of the page that cannot be used (message in French)."""


@dataclass(frozen=True)
class Query:
    year: int
    product: str
    territory: Territory
    behind_only: bool


def _query(request: HttpRequest, plan: Plan) -> Query:
    """Reads ?annee=, ?produit=, ?territoire=, ?retard= (defaults: the last year started,
    total, the plan's territory, every commune)."""
    raw_year = request.GET.get("annee", "").strip()
    year = current_year(plan)
    if raw_year:
        if not raw_year.isdigit() or not plan.start_year <= int(raw_year) <= plan.end_year:
            raise ParamError(f"Année « {raw_year} » hors de la période du plan ({plan.period}).")
        year = int(raw_year)
    product = request.GET.get("produit", "").strip() or progress.TOTAL
    if product not in progress.PRODUCTS:
        raise ParamError(f"Produit « {product} » inconnu.")
    territory = plan.territory
    raw = request.GET.get("territoire", "").strip()
    if raw and raw != plan.territory.id:
        try:
            wanted = Territory.parse(raw)
            ref = figures.referential()
            ref.check(wanted)
        except TerritoryError as exc:
            raise ParamError(f"Territoire « {raw} » : {exc}") from None
        inside = set(ref.communes_of(territory))
        if not set(ref.communes_of(wanted)) <= inside:
            raise ParamError(
                f"Le territoire « {raw} » n'est pas dans celui du plan ({plan.territory})."
            )
        territory = wanted
    return Query(year, product, territory, request.GET.get("retard") == "1")


def _subdivisions(plan: Plan) -> list[tuple[str, str]]:
    """EPCI of a départemental plan, to look at one at a time."""
    t = plan.territory
    if t.level is not Level.DEP:
        return []
    ref = figures.referential()
    return [(e.id, ref.name(e)) for e in ref.children(t, Level.EPCI)]


def _grid(plan: Plan, q: Query) -> dict[str, Any]:
    cells = progress.cells(plan, q.territory, today=today())
    years = list(range(plan.start_year, plan.end_year + 1))
    by_commune: dict[Territory, dict[int, progress.Cell]] = {}
    for c in cells:
        if c.product == q.product:
            by_commune.setdefault(c.territory, {})[c.year] = c
    cumulated = progress.cumulate(cells, q.year, q.product)
    rows: list[dict[str, Any]] = []
    for p in cumulated:
        rows.append(
            {
                "territory": p.territory,
                "code": p.territory.code,
                "name": territory_name(p.territory),
                "years": [by_commune[p.territory].get(y) for y in years],
                "cumul": p,
                "demo": p.is_demo or any(c.is_demo for c in by_commune[p.territory].values()),
            }
        )
    rows.sort(key=lambda r: str(r["name"]).lower())
    shown = [r for r in rows if r["cumul"].behind] if q.behind_only else rows
    year_totals = []
    for y in years:
        found = [c[y] for c in by_commune.values() if y in c]
        objectives = [c.objective for c in found if c.objective is not None]
        realised = [c.realised for c in found if c.realised is not None]
        year_totals.append(
            progress.Cell(
                q.territory,
                y,
                q.product,
                sum(objectives) if objectives else None,
                sum(realised) if realised else None,
                False,
            )
        )
    return {
        "years": years,
        "year_totals": year_totals,
        "rows": shown,
        "all_rows": rows,
        "total": progress.total(cumulated, q.territory),
        "behind": sum(1 for p in cumulated if p.behind),
        "with_objective": sum(1 for p in cumulated if p.objective),
        "demo": any(r["demo"] for r in rows),
    }


def objectives(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan(plan_id)
    context = plan_context(
        plan,
        title=f"Objectifs de production par commune — {plan.title}",
        products=Product.choices,
        plan_years=list(range(plan.start_year, plan.end_year + 1)),
        subdivisions=_subdivisions(plan),
        threshold=progress.BEHIND_THRESHOLD,
        source=progress.realisations_source(plan),
        has_objectives=plan.objectives.exists(),
    )
    try:
        q = _query(request, plan)
    except ParamError as exc:
        context["error"] = str(exc)
        return render(request, "plans/objectives.html", context, status=400)
    grid = _grid(plan, q)
    context.update(
        q=q,
        grid=grid,
        product_label=dict(Product.choices)[q.product],
        scope_name=territory_name(q.territory),
        stated=progress.plan_objective(plan, q.year, q.product),
        map_query=request.GET.urlencode(),
    )
    return render(request, "plans/objectives.html", context)


def objectives_map(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The communes of the grid with their cumulated objective, realised, rate and a
    `state`: "retard", "ok", "sans_objectif" or "a_venir" (nothing realised yet known)."""
    plan = get_plan(plan_id)
    try:
        q = _query(request, plan)
    except ParamError as exc:
        raise Http404(str(exc)) from None
    try:
        shapes = geo.features(Level.COM, q.territory, referential=figures.referential())
    except geo.GeoError as exc:
        body = json.dumps({"erreur": str(exc)}, ensure_ascii=False)
        return HttpResponse(body, status=422, content_type="application/json")
    cumulated = {
        p.territory: p
        for p in progress.cumulate(
            progress.cells(plan, q.territory, today=today()), q.year, q.product
        )
    }
    for feature in shapes["features"]:
        code = feature["properties"]["code"]
        p = cumulated.get(Territory(Level.COM, code))
        state = "sans_objectif"
        if p is not None and p.objective:
            state = "a_venir" if p.rate is None else ("retard" if p.behind else "ok")
        feature["properties"] = {
            "code": code,
            "name": feature["properties"].get("nom", code),
            "objective": p.objective if p else None,
            "realised": p.realised if p else None,
            "rate": None if p is None or p.rate is None else round(p.rate, 4),
            "state": state,
            "demo": bool(p and p.is_demo),
        }
    shapes["year"] = q.year
    shapes["product"] = q.product
    body = json.dumps(shapes, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type="application/geo+json")
