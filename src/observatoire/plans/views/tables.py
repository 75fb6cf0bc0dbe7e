"""The filterable table of a plan's actions and the calendar (Gantt) of its milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from observatoire.accounts.models import Organisation
from observatoire.plans import followup, milestones
from observatoire.plans.forms import ActionFilterForm
from observatoire.plans.models import (
    Action,
    ActionActor,
    ActorRole,
    BudgetLine,
    Milestone,
    MilestoneStatus,
    Plan,
)
from observatoire.plans.views.public import get_plan, plan_context, today


def _pilots(plan: Plan) -> dict[int, list[Organisation]]:
    """Pilot organisations per action id; a sub-action without its own pilots has its
    parent's."""
    own: dict[int, list[Organisation]] = {}
    for actor in ActionActor.objects.filter(
        action__plan=plan, role=ActorRole.PILOTE
    ).select_related("organisation"):
        own.setdefault(actor.action_id, []).append(actor.organisation)
    out = {}
    for pk, parent_id in Action.objects.filter(plan=plan).values_list("pk", "parent_id"):
        out[pk] = own.get(pk) or (own.get(parent_id, []) if parent_id else [])
    return out


def actions(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan(plan_id)
    pilots = _pilots(plan)
    organisations = {o.pk: o for items in pilots.values() for o in items}
    form = ActionFilterForm(
        request.GET or None,
        orientations=list(plan.orientations.all()),
        pilots=sorted(organisations.values(), key=lambda o: o.name.lower()),
    )
    found = Action.objects.filter(plan=plan).select_related("orientation", "parent")
    filtered = False
    if form.is_bound and form.is_valid():
        wanted = form.cleaned_data
        if wanted["etat"]:
            found = found.filter(status=wanted["etat"])
        if wanted["orientation"]:
            found = found.filter(orientation_id=int(wanted["orientation"]))
        if wanted["territoire"]:
            text = wanted["territoire"]
            found = found.filter(Q(territories__icontains=text) | Q(title__icontains=text))
        if wanted["pilote"]:
            org = int(wanted["pilote"])
            piloted = [pk for pk, orgs in pilots.items() if org in {o.pk for o in orgs}]
            found = found.filter(pk__in=piloted)
        filtered = any(wanted.values())
    now = today()
    milestones: dict[int, list[Milestone]] = {}
    for m in Milestone.objects.filter(action__plan=plan):
        milestones.setdefault(m.action_id, []).append(m)
    budgets: dict[int, list[BudgetLine]] = {}
    for line in BudgetLine.objects.filter(action__plan=plan):
        budgets.setdefault(line.action_id, []).append(line)
    rows = []
    for a in found:
        items = milestones.get(a.pk, [])
        rows.append(
            {
                "action": a,
                "pilots": pilots.get(a.pk, []),
                "milestones": len(items),
                "reached": sum(1 for m in items if m.status == MilestoneStatus.ATTEINT),
                "late": sum(1 for m in items if m.is_late(now)),
                "budget": followup.Budget.of(budgets.get(a.pk, [])),
            }
        )
    return render(
        request,
        "plans/actions.html",
        plan_context(
            plan,
            title=f"Actions — {plan.title}",
            form=form,
            rows=rows,
            filtered=filtered,
            total=Action.objects.filter(plan=plan).count(),
        ),
    )


# Width of the time axis in SVG user units (the drawing stretches to the cell).
AXIS = 1000


@dataclass(frozen=True)
class Segment:
    start: date
    end: date
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    """A milestone's row: one segment per occurrence of its due period ("annuel": one
    per plan year)."""

    milestone: Milestone
    segments: list[Segment]
    late: bool

    @property
    def start(self) -> date:
        return self.segments[0].start

    @property
    def end(self) -> date:
        return self.segments[-1].end


def _x(day: date, first: date, last: date) -> float:
    span = (last - first).days or 1
    return round(AXIS * (day - first).days / span, 1)


def gantt(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan(plan_id)
    now = today()
    dated: list[tuple[Milestone, list[milestones.Span]]] = []
    undated: list[Milestone] = []
    for m in (
        Milestone.objects.filter(action__plan=plan)
        .select_related("action", "action__orientation")
        .order_by(
            "action__orientation__position", "action__position", "action_id", "position", "id"
        )
    ):
        spans = milestones.periods(m, plan)
        if spans:
            dated.append((m, spans))
        else:
            undated.append(m)
    first_year = min([plan.start_year, *(s[0][0].year for _, s in dated)])
    last_year = max([plan.end_year, *(s[-1][1].year for _, s in dated)])
    first, last = date(first_year, 1, 1), date(last_year + 1, 1, 1)
    bars = []
    for m, spans in dated:
        segments = []
        for start, end in spans:
            x = _x(start, first, last)
            # A one-day period still shows as a visible mark; recurring periods that
            # touch each other keep a gap so that each occurrence reads on its own.
            width = _x(end + timedelta(days=1), first, last) - x
            gap = 1.0 if len(spans) > 1 else 0.0
            segments.append(Segment(start, end, x + gap, max(width - 2 * gap, 4.0)))
        bars.append(Bar(m, segments, m.is_late(now)))
    years = []
    for y in range(first_year, last_year + 1):
        x = _x(date(y, 1, 1), first, last)
        years.append({"year": y, "x": x, "width": _x(date(y + 1, 1, 1), first, last) - x})
    today_x = _x(now, first, last) if first <= now < last else None
    return render(
        request,
        "plans/gantt.html",
        plan_context(
            plan,
            title=f"Calendrier des jalons — {plan.title}",
            bars=bars,
            undated=[{"item": m, "late": m.is_late(now)} for m in undated],
            years=years,
            axis=AXIS,
            today_x=today_x,
            today=now,
            late_count=sum(1 for b in bars if b.late),
        ),
    )
