"""Follow-up figures of a plan shown on its pages: progress of the orientations, budget
consumption, milestones (their due periods: plans.milestones). Ratios are sums over sums, and an
unknown amount (None) is never counted as zero."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from observatoire.plans.models import (
    Action,
    ActionStatus,
    BudgetLine,
    Milestone,
    MilestoneStatus,
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

    orientation: Orientation | None
    statuses: dict[str, int] = field(default_factory=dict)
    milestones: int = 0
    reached: int = 0
    late: int = 0
    abandoned: int = 0
    budget: Budget = Budget(None, None, None)

    @property
    def upcoming(self) -> int:
        """Milestones still open and not late: reached + late + abandoned + upcoming is
        every milestone."""
        return self.milestones - self.reached - self.late - self.abandoned

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
        # One column each: a milestone reached after its due date counts as late.
        late = m.is_late(today)
        item.late += late
        item.reached += not late and m.status == MilestoneStatus.ATTEINT
        item.abandoned += not late and m.status == MilestoneStatus.ABANDONNE
    lines: dict[int, list[BudgetLine]] = {}
    for b in BudgetLine.objects.filter(action__plan=plan).select_related("action"):
        lines.setdefault(b.action.orientation_id, []).append(b)
    for pk, items in lines.items():
        out[pk].budget = Budget.of(items)
    return list(out.values())


def whole_plan(items: list[OrientationProgress], budget: Budget) -> OrientationProgress:
    """The plan's row: every orientation's counts added up."""
    statuses: dict[str, int] = {}
    for item in items:
        for status, n in item.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return OrientationProgress(
        None,
        statuses,
        milestones=sum(i.milestones for i in items),
        reached=sum(i.reached for i in items),
        late=sum(i.late for i in items),
        abandoned=sum(i.abandoned for i in items),
        budget=budget,
    )


def plan_budget(plan: Plan) -> Budget:
    return Budget.of(BudgetLine.objects.filter(action__plan=plan))


def budget_by_year(plan: Plan) -> list[tuple[int, Budget]]:
    years: dict[int, list[BudgetLine]] = {}
    for b in BudgetLine.objects.filter(action__plan=plan):
        years.setdefault(b.year, []).append(b)
    return [(y, Budget.of(items)) for y, items in sorted(years.items())]
