"""Excel round trip of a plan (template: docs/modele-plan.md).

`read_workbook` checks the whole workbook and saves nothing; `import_workbook` saves it
in one transaction, replacing the plan of the same type, territory and first year;
`export_workbook` writes a plan back in the same template."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from observatoire.accounts.models import AuditEvent, Organisation
from observatoire.plans.models import (
    Action,
    ActionActor,
    ActionIndicator,
    BudgetLine,
    Milestone,
    Objective,
    Orientation,
    Plan,
    StatusChange,
)
from observatoire.plans.workbook import checks as workbook_checks
from observatoire.plans.workbook.format import SHEETS, ParsedPlan
from observatoire.plans.workbook.read import Reader, Source, load, source_name
from observatoire.plans.workbook.write import export_workbook
from observatoire.problems import Problem, render
from observatoire.tabular import TooLargeError, header_key

__all__ = [
    "ParsedPlan",
    "WorkbookError",
    "export_workbook",
    "find_existing",
    "import_workbook",
    "read_workbook",
]


class WorkbookError(Exception):
    """The workbook was refused; `problems` lists every problem found."""

    def __init__(self, name: str, problems: Sequence[Problem]):
        self.name = name
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        return render(self.problems, f"dans le classeur « {self.name} »", "rien n'a été importé")


def read_workbook(source: Source) -> tuple[ParsedPlan | None, list[Problem]]:
    """The checked plan, or None and every problem found (nothing is saved here)."""
    reader = Reader(source_name(source))
    try:
        workbook = load(source)
    except TooLargeError as exc:
        reader.problem(exc.sheet, str(exc), exc.line, exc.column, exc.value)
        return None, reader.problems
    except ValueError as exc:
        reader.problem(None, str(exc))
        return None, reader.problems
    try:
        sheets = reader.sheets(workbook)
    finally:
        workbook.close()
    plan = workbook_checks.check(reader, sheets)
    if reader.problems:
        order = {header_key(name): i for i, name in enumerate(SHEETS)}
        reader.problems.sort(key=lambda p: (order.get(header_key(p.sheet or ""), -1), p.line or 0))
        return None, reader.problems
    return plan, []


def find_existing(parsed: ParsedPlan) -> Plan | None:
    """The plan a workbook replaces: same type, territory and first year."""
    return Plan.objects.filter(
        type=parsed.type, territory=parsed.territory, start_year=parsed.start_year
    ).first()


def import_workbook(source: Source, user: Any = None) -> Plan:
    """Check then save the workbook's plan (WorkbookError, nothing saved, on any problem)."""
    parsed, problems = read_workbook(source)
    if parsed is None:
        raise WorkbookError(source_name(source), problems)
    return save(parsed, user)


def _organisation(name: str, kind: str | None) -> Organisation:
    """Organisations are shared by every plan: an existing one keeps its type, except
    the default `autre` which the workbook may make precise."""
    org, created = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind or Organisation.Kind.AUTRE}
    )
    if not created and kind and org.kind == Organisation.Kind.AUTRE and kind != org.kind:
        org.kind = kind
        org.save(update_fields=["kind"])
    return org


@transaction.atomic
def save(parsed: ParsedPlan, user: Any = None, ip: str | None = None) -> Plan:
    """Write a checked plan. Replacing keeps the plan's id, its entered operations and
    bilans, and — for actions whose number is unchanged — their status history and the
    entries of unchanged indicators; everything the workbook describes is replaced."""
    kinds = parsed.organisation_kinds()
    plan = find_existing(parsed)
    replaced = plan is not None
    if plan is None:
        plan = Plan(type=parsed.type, territory=parsed.territory, start_year=parsed.start_year)
    plan.title = parsed.title
    plan.end_year = parsed.end_year
    plan.adopted_on = parsed.adopted_on
    plan.owner = _organisation(parsed.owner, kinds.get(parsed.owner)) if parsed.owner else None
    plan.child_label = parsed.child_label
    plan.realisations = parsed.realisations
    plan.description = parsed.description
    plan.save()

    old_orientations = {o.number: o for o in plan.orientations.all()}
    orientations: dict[str, Orientation] = {}
    for position, (number, title) in enumerate(parsed.orientations):
        o = old_orientations.pop(number, None) or Orientation(plan=plan, number=number)
        o.title, o.position = title, position
        o.save()
        orientations[number] = o

    old_actions = {a.number: a for a in plan.actions.all()}
    actions: dict[str, Action] = {}
    statuses: dict[str, str | None] = {}
    for position, pa in enumerate(parsed.actions):
        a = old_actions.pop(pa.number, None) or Action(plan=plan, number=pa.number)
        statuses[pa.number] = a.status if a.pk else None
        a.orientation = orientations[pa.orientation]
        a.parent = None
        a.title, a.status, a.position = pa.title, pa.status, position
        for field, text in pa.texts.items():
            setattr(a, field, text)
        a.save()
        actions[pa.number] = a
    # Removed actions go first (their children with them), then removed orientations.
    Action.objects.filter(pk__in=[a.pk for a in old_actions.values()]).delete()
    Orientation.objects.filter(pk__in=[o.pk for o in old_orientations.values()]).delete()

    for pa in parsed.actions:
        a = actions[pa.number]
        if pa.parent:
            a.parent = actions[pa.parent]
            a.save(update_fields=["parent"])
        a.linked.set([actions[n] for n in pa.linked])
        if statuses[pa.number] != pa.status:
            StatusChange.objects.create(
                action=a, status=pa.status, by=user, comment=f"Import du classeur {parsed.source}"
            )
    _children(parsed, actions, kinds)
    plan.objectives.all().delete()
    Objective.objects.bulk_create(
        Objective(
            plan=plan,
            territory=o.territory,
            year=o.year,
            product=o.product,
            value=o.value,
            is_demo=o.is_demo,
        )
        for o in parsed.objectives
    )
    AuditEvent.objects.create(
        actor=user if getattr(user, "is_authenticated", False) else None,
        action=AuditEvent.Action.IMPORT,
        ip=ip or None,
        target=f"Plan {plan.pk} — {plan.title}"[:300],
        detail={
            "plan": plan.pk,
            "classeur": parsed.source,
            "remplace": replaced,
            "actions": len(parsed.actions),
            "objectifs": len(parsed.objectives),
        },
    )
    return plan


def _children(parsed: ParsedPlan, actions: dict[str, Action], kinds: dict[str, str]) -> None:
    ids = [a.pk for a in actions.values()]
    ActionActor.objects.filter(action_id__in=ids).delete()
    BudgetLine.objects.filter(action_id__in=ids).delete()
    Milestone.objects.filter(action_id__in=ids).delete()
    orgs = {
        name: _organisation(name, kinds.get(name))
        for name in {a.organisation for a in parsed.actors}
    }
    ActionActor.objects.bulk_create(
        ActionActor(
            action=actions[a.action], organisation=orgs[a.organisation], role=a.role, position=i
        )
        for i, a in enumerate(parsed.actors)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            action=actions[b.action],
            year=b.year,
            prevu=b.prevu,
            engage=b.engage,
            realise=b.realise,
            comment=b.comment,
        )
        for b in parsed.budget
    )
    Milestone.objects.bulk_create(
        Milestone(
            action=actions[m.action],
            label=m.label,
            due=m.due,
            due_date=m.due_date,
            status=m.status,
            done_on=m.done_on,
            position=i,
        )
        for i, m in enumerate(parsed.milestones)
    )
    # Indicators are matched (action, label, code, territory) so that the values the
    # pilots entered survive a re-import of the same plan.
    old: dict[tuple[Any, ...], list[ActionIndicator]] = {}
    for ind in ActionIndicator.objects.filter(action_id__in=ids).order_by("position", "id"):
        territory_id = ind.territory.id if ind.territory else ""
        old.setdefault((ind.action_id, ind.label, ind.indicator_code, territory_id), []).append(ind)
    for i, pi in enumerate(parsed.indicators):
        a = actions[pi.action]
        kept = old.get((a.pk, pi.label, pi.code, pi.territory), [])
        ind = kept.pop(0) if kept else ActionIndicator(action=a, label=pi.label)
        ind.indicator_code, ind.territory = pi.code, pi.territory
        ind.unit, ind.target, ind.position = pi.unit, pi.target, i
        ind.save()
    ActionIndicator.objects.filter(pk__in=[x.pk for rest in old.values() for x in rest]).delete()
