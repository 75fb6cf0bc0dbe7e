"""Write a plan in the workbook template (docs/modele-plan.md): importing the result
gives the same plan back."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from observatoire.plans.models import Action, Plan
from observatoire.plans.workbook import format as fmt

# Columns holding numbers as written in the plan ("1-2", "4.2"): kept as text so that
# Excel never turns "4.10" into 4.1.
_TEXT_COLUMNS = {"numero", "orientation", "parent", "action", "actions_liees", "champ"}
_WIDE = {"intitule", "jalon", "indicateur", "valeur", *fmt.ACTION_TEXTS}


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _sheet(workbook: Any, name: str, rows: list[list[Any]]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(name)
    headers = [c.name for c in fmt.SHEETS[name]]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for values in rows:
        ws.append([None] * len(headers))
        line = ws.max_row
        for i, (header, value) in enumerate(zip(headers, values, strict=True), start=1):
            cell = ws.cell(row=line, column=i)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.value = value
            if isinstance(value, str):
                # A text starting with "=" stays a text, never a formula.
                cell.data_type = "s"
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif header in _TEXT_COLUMNS:
                cell.number_format = "@"
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 60 if header in _WIDE else 16


def _plan_rows(plan: Plan) -> list[list[Any]]:
    values: dict[str, Any] = {
        "intitule": plan.title,
        "type": plan.type,
        "territoire": plan.territory.id,
        "debut": plan.start_year,
        "fin": plan.end_year,
        "adoption": plan.adopted_on,
        "maitre_ouvrage": plan.owner.name if plan.owner else None,
        "libelle_sous_actions": plan.child_label,
        "realisations": plan.realisations,
        "presentation": plan.description or None,
    }
    return [[name, values[name]] for name in fmt.PLAN_FIELDS]


def _or_none(text: str) -> str | None:
    return text or None


def export_workbook(plan: Plan) -> bytes:
    """The plan as an .xlsx file, in the import template."""
    from openpyxl import Workbook

    actions: list[Action] = list(
        plan.actions.select_related("orientation", "parent").prefetch_related(
            "actors__organisation", "budget", "milestones", "indicators", "linked"
        )
    )
    position = {a.pk: (a.position, a.pk) for a in actions}
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "Plan", _plan_rows(plan))
    _sheet(workbook, "Orientations", [[o.number, o.title] for o in plan.orientations.all()])
    _sheet(
        workbook,
        "Actions",
        [
            [
                a.number,
                a.orientation.number,
                a.parent.number if a.parent else None,
                a.title,
                fmt.ACTION_STATES.written.get(a.status, a.status),
                *(_or_none(getattr(a, field)) for field in fmt.ACTION_TEXTS.values()),
                _or_none(
                    "; ".join(
                        linked.number
                        for linked in sorted(a.linked.all(), key=lambda x: position[x.pk])
                    )
                ),
            ]
            for a in actions
        ],
    )
    _sheet(
        workbook,
        "Acteurs",
        [
            [a.number, actor.organisation.name, actor.organisation.kind, actor.role]
            for a in actions
            for actor in a.actors.all()
        ],
    )
    _sheet(
        workbook,
        "Budget",
        [
            [
                a.number,
                b.year,
                _number(b.prevu),
                _number(b.engage),
                _number(b.realise),
                _or_none(b.comment),
            ]
            for a in actions
            for b in a.budget.all()
        ],
    )
    _sheet(
        workbook,
        "Jalons",
        [
            [
                a.number,
                m.label,
                _or_none(m.due),
                fmt.MILESTONE_STATES.written.get(m.status, m.status),
                m.done_on,
            ]
            for a in actions
            for m in a.milestones.all()
        ],
    )
    _sheet(
        workbook,
        "Indicateurs",
        [
            [
                a.number,
                i.label,
                _or_none(i.indicator_code),
                i.territory.id if i.territory else None,
                _or_none(i.unit),
                _or_none(i.target),
            ]
            for a in actions
            for i in a.indicators.all()
        ],
    )
    _sheet(
        workbook,
        "Objectifs",
        [
            [o.territory.id, o.year, o.product, o.value, "oui" if o.is_demo else "non"]
            for o in plan.objectives.all()
        ],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
