"""The fiches de suivi: one commune's production against the PLH objectives, and one
action's follow-up (status and its history, budget, milestones, indicators)."""

from __future__ import annotations

from datetime import date
from typing import Any

from observatoire.figures import territory_name
from observatoire.plans import reports
from observatoire.plans.models import Action, ActionIndicator, ActorRole, Plan
from observatoire.plans.reports import actions as reports_actions
from observatoire.plans.reports import production as reports_production
from observatoire.plans.reports.payloads import (
    ActionFiche,
    CommuneFiche,
    IndicatorSeries,
    SeriesValue,
)
from observatoire.ratio import ratio
from observatoire.territories import Territory


def commune_fiche(plan: Plan, commune: Territory, today: date | None = None) -> CommuneFiche:
    today = today or date.today()
    return {
        "plan": reports.plan_header(plan),
        "generated_on": today.isoformat(),
        **reports_production.commune_production(plan, commune, today),
    }


def _indicator_series(ind: ActionIndicator, plan: Plan) -> IndicatorSeries:
    """Values over the plan's years (and the year before, the starting point)."""
    years = range(plan.start_year - 1, plan.end_year + 1)
    if not ind.indicator_code:
        current: dict[int, Any] = {}
        for e in ind.entries.all():  # by year then entry time: the last one wins
            current[e.year] = e
        values: list[SeriesValue] = [
            {
                "year": y,
                "text": reports_actions.manual_value(ind, y)["text"],
                "source": current[y].source or "saisie du pilote",
                "comment": current[y].comment,
            }
            for y in years
            if y in current
        ]
        return {"values": values, "note": "" if values else "aucune valeur saisie"}
    values = []
    note = ""
    for y in years:
        v = reports_actions.observatory_value(ind, plan, y)
        if v["year"] == y:
            values.append({"year": y, "text": v["text"], "source": v["source"], "comment": ""})
        elif v.get("note") and not v["note"].startswith("dernière valeur"):
            note = v["note"]
    return {"values": values, "note": note if not values else ""}


def action_fiche(action: Action, today: date | None = None) -> ActionFiche:
    today = today or date.today()
    plan = action.plan
    lines = list(action.budget.all())
    total = reports_actions.budget(lines)
    actors = list(action.actors.select_related("organisation"))
    return {
        "plan": reports.plan_header(plan),
        "generated_on": today.isoformat(),
        "action": {
            "number": action.number,
            "title": action.title,
            "orientation": f"{action.orientation.number} — {action.orientation.title}",
            "parent": f"{action.parent.number} — {action.parent.title}" if action.parent else "",
            "status": action.status,
            "status_label": reports_actions.STATUS_LABELS[action.status],
            "calendar": action.calendar,
            "budget_note": action.budget_note,
            "objectives": action.objectives,
            "pilots": [x.organisation.name for x in actors if x.role == ActorRole.PILOTE],
            "partners": [x.organisation.name for x in actors if x.role == ActorRole.PARTENAIRE],
        },
        "history": [
            {
                "at": c.at.date().isoformat(),
                "status": reports_actions.STATUS_LABELS.get(c.status, c.status),
                "by": (c.by.get_full_name() or c.by.username) if c.by else "",
                "comment": c.comment,
            }
            for c in action.status_history.select_related("by")
        ],
        "budget": [
            {
                "year": b.year,
                "prevu": reports_actions.money(b.prevu),
                "engage": reports_actions.money(b.engage),
                "realise": reports_actions.money(b.realise),
                "consumption": ratio(
                    reports_actions.money(b.realise), reports_actions.money(b.prevu)
                ),
                "comment": b.comment,
            }
            for b in lines
        ],
        "budget_total": {
            **total,
            "consumption": ratio(total["realise"], total["prevu"]),
        },
        "children": [
            {
                "number": c.number,
                "title": c.title,
                "status_label": reports_actions.STATUS_LABELS[c.status],
                "budget": reports_actions.budget(c.budget.all()),
            }
            for c in action.children.all()
        ],
        "milestones": [
            {
                "label": m.label,
                "due": m.due,
                "due_date": m.due_date.isoformat() if m.due_date else None,
                "status": reports_actions.MILESTONE_LABELS.get(m.status, m.status),
                "done_on": m.done_on.isoformat() if m.done_on else None,
                "late": m.is_late(today),
            }
            for m in action.milestones.all()
        ],
        "indicators": [
            {
                "label": ind.label,
                "kind": "observatoire" if ind.indicator_code else "saisi",
                "territory": territory_name(ind.territory or plan.territory),
                "unit": ind.unit,
                "target": ind.target,
                **_indicator_series(ind, plan),
            }
            for ind in action.indicators.prefetch_related("entries")
        ],
    }
