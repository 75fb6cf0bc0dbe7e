"""The actions' side of the reports, as JSON-ready blocks: status at a date, budget
by orientation, late milestones, indicators de suivi, and the fiche de suivi of an
action. Amounts are euros as floats; None (not stated) is never counted as zero."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from observatoire import figures
from observatoire.figures import PUBLIC, QueryError
from observatoire.indicators.catalog import catalog
from observatoire.plans.models import (
    Action,
    ActionIndicator,
    ActionStatus,
    ActorRole,
    BudgetLine,
    Milestone,
    MilestoneStatus,
    Plan,
    StatusChange,
)
from observatoire.plans.reports.payloads import (
    ActionsBlock,
    Amounts,
    IndicatorLine,
    IndicatorValue,
    OrientationBlock,
)
from observatoire.ratio import ratio

STATUS_LABELS = dict(ActionStatus.choices)
MILESTONE_LABELS = dict(MilestoneStatus.choices)
IMPORT_COMMENT = "Import du classeur"


def money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def budget(lines: Iterable[BudgetLine]) -> Amounts:
    """prévu, engagé, réalisé added up; None when no line states the amount."""
    out: dict[str, float | None] = {"prevu": None, "engage": None, "realise": None}
    for b in lines:
        for key in out:
            v = money(getattr(b, key))
            if v is not None:
                out[key] = (out[key] or 0.0) + v
    return Amounts(prevu=out["prevu"], engage=out["engage"], realise=out["realise"])


def status_at(action: Action, history: list[StatusChange], at: date) -> str:
    """The action's status on `at`, from its dated history. A status stated by a workbook
    import restates the plan document: it counts from the plan's start. Without any
    change on or before `at`, the status before the first change is "à lancer" (or the
    current status when the action has no history at all)."""
    if not history:
        return str(action.status)
    start = date(action.plan.start_year, 1, 1)
    known = [
        c for c in history if (start if c.comment.startswith(IMPORT_COMMENT) else c.at.date()) <= at
    ]
    return str(known[-1].status) if known else str(ActionStatus.A_LANCER)


def pilots(action: Action) -> list[str]:
    return [x.organisation.name for x in action.actors.all() if x.role == ActorRole.PILOTE]


def actions_block(plan: Plan, year: int, at: date) -> ActionsBlock:
    """Orientations (status counts of their actions, budget of `year` and cumulated since
    the plan start, milestones), the actions themselves, late milestones."""
    actions = list(
        Action.objects.filter(plan=plan)
        .order_by("orientation__position", "orientation_id", "position", "id")
        .select_related("plan", "orientation")
        .prefetch_related("actors__organisation", "status_history")
    )
    status = {a.pk: status_at(a, list(a.status_history.all()), at) for a in actions}
    lines: dict[int, list[BudgetLine]] = defaultdict(list)
    for b in BudgetLine.objects.filter(action__plan=plan, year__lte=year):
        lines[b.action_id].append(b)
    milestones = list(
        Milestone.objects.filter(action__plan=plan)
        .select_related("action")
        .order_by("due_date", "action__position", "position", "id")
    )
    late = [m for m in milestones if m.is_late(at)]
    orientations: list[OrientationBlock] = []
    for o in plan.orientations.all():
        members = [a for a in actions if a.orientation_id == o.pk]
        tops = [a for a in members if a.parent_id is None]
        counts = {code: sum(1 for a in tops if status[a.pk] == code) for code in STATUS_LABELS}
        active = len(tops) - counts[ActionStatus.ABANDONNEE]
        ids = {a.pk for a in members}
        own = [b for pk in ids for b in lines[pk]]
        orientations.append(
            {
                "number": o.number,
                "title": o.title,
                "actions": len(tops),
                "statuses": [
                    {"code": c, "label": STATUS_LABELS[c], "count": counts[c]}
                    for c in STATUS_LABELS
                ],
                "rate": ratio(counts[ActionStatus.REALISEE], active),
                "budget_year": budget(b for b in own if b.year == year),
                "budget_cumul": budget(own),
                "milestones": sum(1 for m in milestones if m.action_id in ids),
                "late": sum(1 for m in late if m.action_id in ids),
            }
        )
    tops = [a for a in actions if a.parent_id is None]
    kids: dict[int, list[Action]] = defaultdict(list)
    for a in actions:
        if a.parent_id is not None:
            kids[a.parent_id].append(a)

    def family(a: Action) -> list[BudgetLine]:
        return lines[a.pk] + [b for k in kids[a.pk] for b in family(k)]

    totals = {code: sum(1 for a in tops if status[a.pk] == code) for code in STATUS_LABELS}
    all_lines = [b for items in lines.values() for b in items]
    return {
        "statuses": [
            {"code": c, "label": STATUS_LABELS[c], "count": totals[c]} for c in STATUS_LABELS
        ],
        "counts": totals,
        "orientations": orientations,
        "actions": [
            {
                "number": a.number,
                "title": a.title,
                "orientation": a.orientation.number,
                "status": status[a.pk],
                "status_label": STATUS_LABELS[status[a.pk]],
                "pilots": pilots(a),
                # The action with its sub-actions: year N, and since the plan start.
                "budget_year": budget(b for b in family(a) if b.year == year),
                "budget_cumul": budget(family(a)),
            }
            for a in tops
        ],
        "budget": {
            "year": budget(b for b in all_lines if b.year == year),
            "cumul": budget(all_lines),
        },
        "late_milestones": [
            {
                "action": m.action.number,
                "action_title": m.action.title,
                "label": m.label,
                "due": m.due,
                "due_date": m.due_date.isoformat() if m.due_date else None,
                "status": MILESTONE_LABELS.get(m.status, m.status),
            }
            for m in late
        ],
    }


def observatory_value(ind: ActionIndicator, plan: Plan, year: int) -> IndicatorValue:
    """Value of a catalogue indicator for `year` (else the last one before), public
    diffusion only: the reports are public."""
    out: IndicatorValue = {"value": None, "text": "non disponible", "year": None, "source": ""}
    spec = catalog().get(ind.indicator_code)
    if spec is None:
        out["note"] = f"indicateur « {ind.indicator_code} » absent du catalogue"
        return out
    if not PUBLIC.can_read(spec.diffusion):
        out["text"] = "diffusion restreinte"
        out["note"] = "non reproduit dans ce document public"
        return out
    try:
        series = figures.series(spec.code, ind.territory or plan.territory)
    except QueryError as exc:
        out["note"] = str(exc) or "valeurs indisponibles"
        return out
    known = [v for v in series if v.year is not None and v.year <= year and v.value is not None]
    if not known:
        out["note"] = "aucune valeur connue à cette date"
        return out
    v = known[-1]
    src = v.as_dict()["source"]
    out.update(
        {
            "value": v.value,
            "text": v.formatted(),
            "year": v.year,
            "source": (src["name"] or src["code"] or "")
            + (f", millésime {v.millesime}" if v.millesime else ""),
        }
    )
    if v.year != year:
        out["note"] = f"dernière valeur connue ({v.year})"
    return out


def manual_value(ind: ActionIndicator, year: int) -> IndicatorValue:
    """The current entry of `year`: the latest one entered for that year."""
    entries = [e for e in ind.entries.all() if e.year == year]
    if not entries:
        return {"value": None, "text": "non renseigné", "year": year, "source": ""}
    e = entries[-1]
    value = float(e.value)
    text = f"{value:,.3f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
    return {
        "value": value,
        "text": f"{text} {ind.unit}".strip(),
        "year": year,
        "source": e.source or "saisie du pilote",
        "note": e.comment,
    }


def indicators_block(actions: Iterable[Action], plan: Plan, year: int) -> list[IndicatorLine]:
    out: list[IndicatorLine] = []
    for a in actions:
        for ind in a.indicators.all():
            value = (
                observatory_value(ind, plan, year)
                if ind.indicator_code
                else manual_value(ind, year)
            )
            out.append(
                {
                    "action": a.number,
                    "label": ind.label,
                    "kind": "observatoire" if ind.indicator_code else "saisi",
                    "unit": ind.unit,
                    "target": ind.target,
                    "note": "",
                    **value,
                }
            )
    return out


def plan_indicators(plan: Plan, year: int) -> list[IndicatorLine]:
    actions = Action.objects.filter(plan=plan).prefetch_related("indicators__entries")
    return indicators_block(actions, plan, year)
