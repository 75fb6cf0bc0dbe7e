"""The bilan annuel of a plan, built once as a JSON-serialisable payload: the HTML page,
the PDF and the XLSX all render from it, and the "photographie au 31/12" (Snapshot)
stores it, so a frozen bilan renders identically after the data change."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import transaction

from observatoire.figures import territory_name
from observatoire.plans import progress
from observatoire.plans.models import Plan, PlanType, Snapshot
from observatoire.plans.reports import actions as reports_actions
from observatoire.plans.reports import production as reports_production
from observatoire.plans.reports.payloads import BilanPayload, PlanHeader
from observatoire.territories import Territory

# Bumped when the payload's shape changes; a snapshot keeps the version it was built with.
VERSION = 1
TYPE_LABELS = dict(PlanType.choices)


def reference_date(year: int, today: date) -> date:
    """The bilan of `year` describes the plan on 31/12 of that year, or today while the
    year is not over."""
    return min(today, date(year, 12, 31))


def plan_header(plan: Plan) -> PlanHeader:
    return {
        "id": plan.pk,
        "title": plan.title,
        "type": plan.type,
        "type_label": TYPE_LABELS.get(plan.type, plan.type),
        "territory": plan.territory.id,
        "territory_name": territory_name(plan.territory),
        "period": plan.period,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "owner": plan.owner.name if plan.owner else "",
        "child_label": plan.child_label,
    }


def bilan_payload(plan: Plan, year: int, today: date | None = None) -> BilanPayload:
    """Everything the bilan of `year` shows, as plain JSON values (no model, no Decimal,
    dates as ISO strings)."""
    today = today or date.today()
    at = reference_date(year, today)
    actions = reports_actions.actions_block(plan, year, at)
    production = reports_production.plan_production(plan, year, today=at)
    payload: BilanPayload = {
        "version": VERSION,
        "plan": plan_header(plan),
        "year": year,
        "as_of": at.isoformat(),
        "complete_year": at == date(year, 12, 31),
        "generated_on": today.isoformat(),
        "demo": progress.has_demo(plan),
        **actions,
        "production": production,
        "indicators": reports_actions.plan_indicators(plan, year),
    }
    # A round trip through JSON: what is rendered live is exactly what a snapshot stores.
    loaded: BilanPayload = json.loads(json.dumps(payload))
    return loaded


def years(plan: Plan) -> list[int]:
    return list(range(plan.start_year, plan.end_year + 1))


def frozen(plan: Plan, year: int) -> Snapshot | None:
    return Snapshot.objects.filter(plan=plan, year=year).select_related("taken_by").first()


def bilan(plan: Plan, year: int, today: date | None = None) -> tuple[BilanPayload, Snapshot | None]:
    """The payload of the bilan of `year`: the snapshot's when one was taken, else live."""
    snap = frozen(plan, year)
    if snap is not None:
        return snap.payload, snap
    return bilan_payload(plan, year, today), None


def take_snapshot(plan: Plan, year: int, user: Any, today: date | None = None) -> Snapshot:
    """Freeze the bilan of `year` (replacing an earlier photograph of the same year)."""
    with transaction.atomic():
        payload = bilan_payload(plan, year, today)
        Snapshot.objects.filter(plan=plan, year=year).delete()
        return Snapshot.objects.create(plan=plan, year=year, taken_by=user, payload=payload)


def territory_bilans(territory: Territory, year: int) -> list[BilanPayload]:
    """The bilan of `year` of every plan of `territory` running that year (the frozen
    photographie when one was taken): what the PLAN_PROGRESS port offers publications."""
    plans = Plan.objects.filter(territory=territory, start_year__lte=year, end_year__gte=year)
    return [bilan(plan, year)[0] for plan in plans.order_by("start_year", "pk")]
