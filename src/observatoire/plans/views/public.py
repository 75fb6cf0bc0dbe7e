"""Public pages of the plans (French, DSFR): list, plan overview, action sheet.
Everyone reads a plan; linked observatory figures still go through `can_read`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from observatoire import figures
from observatoire.accounts import refusals
from observatoire.accounts.permissions import can_read, has_role
from observatoire.figures import QueryError, territory_name
from observatoire.indicators.catalog import catalog
from observatoire.plans import followup, progress
from observatoire.plans.models import (
    Action,
    ActionIndicator,
    ActionStatus,
    ActorRole,
    Plan,
)
from observatoire.plans.permissions import can_edit_action, can_edit_plan


def today() -> date:
    return date.today()


def get_plan(plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("owner"), pk=plan_id)


def get_action(plan: Plan, number: str) -> Action:
    return get_object_or_404(
        Action.objects.select_related("plan", "orientation", "parent"), plan=plan, number=number
    )


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return refusals.forbidden(
        request,
        message
        or "Vous n'avez pas les droits pour modifier ce plan : seuls ses pilotes, "
        "les animateurs de son territoire et les administrateurs le peuvent.",
    )


def current_year(plan: Plan) -> int:
    """The last year of the plan already started (the plan's first year at least)."""
    return max(plan.start_year, min(today().year, plan.end_year))


def plan_context(plan: Plan, **extra: Any) -> dict[str, Any]:
    return {"plan": plan, "territory_name": territory_name(plan.territory), **extra}


def index(request: HttpRequest) -> HttpResponse:
    plans = []
    for plan in Plan.objects.select_related("owner"):
        plans.append(
            {
                "plan": plan,
                "territory_name": territory_name(plan.territory),
                "actions": plan.actions.filter(parent__isnull=True).count(),
                "demo": progress.has_demo(plan),
            }
        )
    context = {
        "title": "Plans et programmes",
        "plans": plans,
        # Same rule as the import page itself (views_workbook).
        "can_import": has_role(request.user, "animateur"),
    }
    return render(request, "plans/index.html", context)


def _production(plan: Plan) -> dict[str, Any] | None:
    """Cumulated production objective of the plan against its realisations."""
    if not plan.objectives.exists():
        return None
    year = current_year(plan)
    rows = progress.cumulate(progress.cells(plan, today=today()), year)
    overall = progress.total(rows, plan.territory)
    return {
        "year": year,
        "total": overall,
        "stated": progress.plan_objective(plan, year),
        "behind": sum(1 for r in rows if r.behind),
        "communes": sum(1 for r in rows if r.objective),
        "source": progress.realisations_source(plan),
    }


def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    p = get_plan(plan_id)
    now = today()
    actions = list(p.actions.select_related("orientation").prefetch_related("actors__organisation"))
    tree: dict[int, list[Action]] = {}
    for a in actions:
        if a.parent_id is None:
            tree.setdefault(a.orientation_id, []).append(a)
    progress_rows = followup.orientations(p, now)
    by_orientation = [
        (item, tree.get(item.orientation.pk, [])) for item in progress_rows if item.orientation
    ]
    budget = followup.plan_budget(p)
    return render(
        request,
        "plans/plan.html",
        plan_context(
            p,
            title=p.title,
            orientations=by_orientation,
            statuses=ActionStatus.choices,
            budget=budget,
            whole=followup.whole_plan(progress_rows, budget),
            ended=p.end_year < now.year,
            budget_years=followup.budget_by_year(p),
            late=followup.late_milestones(p, now),
            today=now,
            production=_production(p),
            demo=progress.has_demo(p),
            can_edit=can_edit_plan(request.user, p),
        ),
    )


def _observatory_series(
    request: HttpRequest, indicator: ActionIndicator, plan: Plan
) -> dict[str, Any]:
    """Values of a linked observatory indicator on its territory, for the plan's years
    (and the year before, as the starting point)."""
    out: dict[str, Any] = {"values": [], "message": ""}
    ind = catalog().get(indicator.indicator_code)
    territory = indicator.territory or plan.territory
    out["territory_name"] = territory_name(territory)
    if ind is None:
        out["message"] = (
            f"L'indicateur « {indicator.indicator_code} » n'existe pas dans le catalogue."
        )
        return out
    out["indicator"] = ind
    if not can_read(request.user, ind.diffusion, territory):
        out["message"] = "Indicateur à diffusion restreinte : connectez-vous pour le consulter."
        return out
    try:
        series = figures.series(ind.code, territory)
    except QueryError as exc:
        out["message"] = str(exc) or "Valeurs indisponibles."
        return out
    wanted = [v for v in series if plan.start_year - 1 <= (v.year or 0) <= plan.end_year]
    if not wanted and series:
        wanted = series[-1:]
        out["message"] = "Pas de valeur sur la période du plan : dernière valeur connue."
    elif not series:
        out["message"] = "Aucune valeur dans l'observatoire pour ce territoire."
    out["values"] = wanted
    return out


def _manual_series(indicator: ActionIndicator) -> dict[str, Any]:
    """The current value of each year (its latest entry) and the whole history."""
    entries = list(indicator.entries.select_related("entered_by"))
    current: dict[int, Any] = {}
    for e in entries:  # ordered by year then entry time: the last one wins
        current[e.year] = e
    history = sorted(entries, key=lambda e: (e.entered_at, e.pk), reverse=True)
    return {"current": [current[y] for y in sorted(current)], "history": history}


def _texts(a: Action) -> list[tuple[str, str, str]]:
    """The plan's wording, section by section (empty ones left out)."""
    sections = [
        ("Contexte et constats", a.context, "contexte"),
        ("Objectifs", a.objectives, "objectifs"),
        ("Descriptif, modalités opératoires", a.description, "descriptif"),
        ("Territoires ciblés", a.territories, "territoires"),
        ("Publics visés", a.publics, "publics"),
    ]
    return [s for s in sections if s[1].strip()]


def action(request: HttpRequest, plan_id: int, number: str) -> HttpResponse:
    p = get_plan(plan_id)
    a = get_action(p, number)
    now = today()
    indicators = []
    for ind in a.indicators.all():
        row: dict[str, Any] = {"item": ind}
        if ind.indicator_code:
            row["observatory"] = _observatory_series(request, ind, p)
        else:
            row["manual"] = _manual_series(ind)
        indicators.append(row)
    milestones = [{"item": m, "late": m.is_late(now)} for m in a.milestones.all()]
    actors = list(a.actors.select_related("organisation"))
    linked = {x.pk: x for x in [*a.linked.all(), *a.linked_from.all()] if x.pk != a.pk}
    budget_lines = list(a.budget.all())
    return render(
        request,
        "plans/action.html",
        plan_context(
            p,
            title=f"Action {a.number} — {a.title}",
            action=a,
            action_texts=_texts(a),
            children=list(a.children.all()),
            pilots=[x.organisation for x in actors if x.role == ActorRole.PILOTE],
            partners=[x.organisation for x in actors if x.role == ActorRole.PARTENAIRE],
            budget_lines=budget_lines,
            budget=followup.Budget.of(budget_lines),
            indicators=indicators,
            milestones=milestones,
            history=list(a.status_history.select_related("by")),
            linked=sorted(linked.values(), key=lambda x: (x.position, x.pk)),
            can_edit=can_edit_action(request.user, a),
            today=now,
        ),
    )
