"""Follow-up figures of a plan shown on its pages: progress of the orientations, budget
consumption, milestones and their due periods. Ratios are sums over sums, and an
unknown amount (None) is never counted as zero."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from observatoire.plans.models import (
    Action,
    ActionStatus,
    BudgetLine,
    Milestone,
    Orientation,
    Plan,
)
from observatoire.ratio import ratio


def late_milestones(plan: Plan, today: date) -> list[Milestone]:
    due = (
        Milestone.objects.filter(action__plan=plan, due_date__lt=today)
        .select_related("action")
        .order_by("due_date", "action__position", "position", "id")
    )
    return [m for m in due if m.is_late(today)]


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


@dataclass(frozen=True)
class Budget:
    """Euros added up over budget lines; None when no line states the amount."""

    prevu: Decimal | None
    engage: Decimal | None
    realise: Decimal | None

    @classmethod
    def of(cls, lines: Iterable[BudgetLine]) -> Budget:
        items = list(lines)
        return cls(
            _sum(b.prevu for b in items),
            _sum(b.engage for b in items),
            _sum(b.realise for b in items),
        )

    @property
    def consumption(self) -> float | None:
        """Réalisé / prévu."""
        return ratio(self.realise, self.prevu)

    @property
    def commitment(self) -> float | None:
        """Engagé / prévu."""
        return ratio(self.engage, self.prevu)


@dataclass
class OrientationProgress:
    """Counts of the orientation's actions (not their sub-actions) by status, its
    milestones and its budget."""

    orientation: Orientation
    statuses: dict[str, int] = field(default_factory=dict)
    milestones: int = 0
    reached: int = 0
    late: int = 0
    budget: Budget = Budget(None, None, None)

    @property
    def actions(self) -> int:
        return sum(self.statuses.values())

    @property
    def done(self) -> int:
        return self.statuses.get("realisee", 0)

    @property
    def active(self) -> int:
        """Actions still meant to be carried out (abandoned ones left out)."""
        return self.actions - self.statuses.get("abandonnee", 0)

    @property
    def rate(self) -> float | None:
        """Share of the actions still meant to be carried out that are done."""
        return ratio(self.done, self.active)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(status, number of actions) for every status, in the choices' order."""
        return [(str(s), self.statuses.get(str(s), 0)) for s in ActionStatus.values]


def orientations(plan: Plan, today: date) -> list[OrientationProgress]:
    out = {o.pk: OrientationProgress(o) for o in plan.orientations.all()}
    for action in Action.objects.filter(plan=plan, parent__isnull=True):
        statuses = out[action.orientation_id].statuses
        statuses[action.status] = statuses.get(action.status, 0) + 1
    for m in Milestone.objects.filter(action__plan=plan).select_related("action"):
        item = out[m.action.orientation_id]
        item.milestones += 1
        item.reached += m.status == "atteint"
        item.late += m.is_late(today)
    lines: dict[int, list[BudgetLine]] = {}
    for b in BudgetLine.objects.filter(action__plan=plan).select_related("action"):
        lines.setdefault(b.action.orientation_id, []).append(b)
    for pk, items in lines.items():
        out[pk].budget = Budget.of(items)
    return list(out.values())


def plan_budget(plan: Plan) -> Budget:
    return Budget.of(BudgetLine.objects.filter(action__plan=plan))


def budget_by_year(plan: Plan) -> list[tuple[int, Budget]]:
    years: dict[int, list[BudgetLine]] = {}
    for b in BudgetLine.objects.filter(action__plan=plan):
        years.setdefault(b.year, []).append(b)
    return [(y, Budget.of(items)) for y, items in sorted(years.items())]


_QUARTER = re.compile(r"\bT([1-4])\s*(\d{4})\b", re.IGNORECASE)
_SEMESTER = re.compile(r"\bS([12])\s*(\d{4})\b", re.IGNORECASE)
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"\b(\d{4})\b")


def period(milestone: Milestone, plan: Plan) -> tuple[date, date] | None:
    """First and last day of a milestone's due period ("T1 2024": January to March;
    "2025": the year; "durée du plan": the plan's years), None when it has no date.
    The stored `due_date` wins over the end read from the wording."""
    due = milestone.due.strip()
    start: date | None = None
    end: date | None = None
    if m := _DATE.search(due):
        start = end = date(int(m[1]), int(m[2]), int(m[3]))
    elif m := _QUARTER.search(due):
        year, quarter = int(m[2]), int(m[1])
        start = date(year, 3 * quarter - 2, 1)
        end = _month_end(year, 3 * quarter)
    elif m := _SEMESTER.search(due):
        year, half = int(m[2]), int(m[1])
        start = date(year, 6 * half - 5, 1)
        end = _month_end(year, 6 * half)
    elif m := _YEAR.search(due):
        start, end = date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    elif "plan" in due.lower():
        start, end = date(plan.start_year, 1, 1), date(plan.end_year, 12, 31)
    end = milestone.due_date or end
    if end is None:
        return None
    start = start or end
    return min(start, end), end


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
