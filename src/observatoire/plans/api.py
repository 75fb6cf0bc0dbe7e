"""API v1 of the plans: /api/v1/plans... Plans are public; errors are French JSON
(the handlers of the open API, which mounts this router)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import HttpError

from observatoire import figures
from observatoire.openapi import TERRITORY_EXAMPLES, TERRITORY_PATTERN, declared, errors
from observatoire.plans import progress
from observatoire.plans.models import Action, BudgetLine, Plan
from observatoire.territories import Territory, TerritoryError

router = Router(tags=["plans"])

# A plan's id is a database integer: larger ones are refused (400), not sent to the
# database (SQLite raises OverflowError past 2**63, PostgreSQL's integer stops at 2**31).
_PLAN_ID: Any = Path(..., ge=1, le=2**31 - 1, description="Identifiant du plan (voir /plans).")


def _plan(plan_id: int) -> Plan:
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise HttpError(404, f"Plan « {plan_id} » inconnu.")
    return plan


def _summary(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "type": plan.type,
        "territory": plan.territory.id,
        "period": plan.period,
    }


def amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _budget(lines: list[BudgetLine]) -> list[dict[str, Any]]:
    return [
        {
            "year": b.year,
            "prevu": amount(b.prevu),
            "engage": amount(b.engage),
            "realise": amount(b.realise),
        }
        for b in lines
    ]


def action_tree(plan: Plan) -> list[dict[str, Any]]:
    """Orientations, their actions and sub-actions (any depth), with yearly budgets."""
    budgets: dict[int, list[BudgetLine]] = defaultdict(list)
    for b in BudgetLine.objects.filter(action__plan=plan).order_by("year"):
        budgets[b.action_id].append(b)
    children: dict[int | None, list[Action]] = defaultdict(list)
    tops: dict[int, list[Action]] = defaultdict(list)
    for a in Action.objects.filter(plan=plan):
        if a.parent_id is None:
            tops[a.orientation_id].append(a)
        else:
            children[a.parent_id].append(a)

    def node(a: Action) -> dict[str, Any]:
        return {
            "number": a.number,
            "title": a.title,
            "status": a.status,
            "budget": _budget(budgets[a.pk]),
            "children": [node(c) for c in children[a.pk]],
        }

    return [
        {"number": o.number, "title": o.title, "actions": [node(a) for a in tops[o.pk]]}
        for o in plan.orientations.all()
    ]


@router.get("", summary="Liste des plans", url_name="plans")
def plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(p) for p in Plan.objects.all()]


@router.get(
    "/{plan_id}",
    summary="Un plan : orientations, actions et sous-actions, état et budget",
    url_name="plan",
    openapi_extra=errors(400, 404),
)
def plan(request: HttpRequest, plan_id: int = _PLAN_ID) -> dict[str, Any]:
    p = _plan(plan_id)
    return {**_summary(p), "orientations": action_tree(p)}


def objectives_territory(plan: Plan, raw: str | None) -> Territory:
    """The territory asked for, which must lie within the plan's (400 otherwise)."""
    if raw is None or not raw.strip():
        return plan.territory
    try:
        t = Territory.parse(raw.strip())
    except TerritoryError as exc:
        raise HttpError(400, f"Paramètre « territory » invalide : {exc}") from None
    ref = figures.referential()
    if not ref.exists(t):
        raise HttpError(400, f"Paramètre « territory » invalide : territoire « {t.id} » inconnu.")
    inside = set(ref.communes_of(plan.territory))
    if not set(ref.communes_of(t)) <= inside:
        raise HttpError(
            400,
            f"Paramètre « territory » invalide : « {t.id} » n'est pas dans le territoire "
            f"du plan ({plan.territory}).",
        )
    return t


@router.get(
    "/{plan_id}/objectives",
    summary="Objectifs de production et réalisations par commune, année et produit",
    url_name="plan_objectives",
    openapi_extra=errors(400, 404),
)
def objectives(
    request: HttpRequest,
    plan_id: int = _PLAN_ID,
    territory: str | None = declared(
        Query(
            None,
            description="Commune, EPCI, secteur ou département dans le territoire du plan "
            "(défaut : celui du plan) ; au-dessus de la commune, les lignes de ses communes. "
            "Un territoire hors de celui du plan est refusé (400).",
        ),
        TERRITORY_PATTERN,
        TERRITORY_EXAMPLES,
    ),
) -> list[dict[str, Any]]:
    p = _plan(plan_id)
    t = objectives_territory(p, territory)
    return [
        {
            "territory": c.territory.id,
            "year": c.year,
            "product": c.product,
            "objective": c.objective,
            "realised": c.realised,
            "rate": c.rate,
            "is_demo": c.is_demo,
        }
        for c in progress.cells(p, t)
    ]
