"""Sheet by sheet checks of a plan workbook, and the references between sheets
(orientation, parent, linked action, action of an actor/budget line/milestone...)."""

from __future__ import annotations

from typing import Any

from observatoire import figures
from observatoire.indicators.catalog import catalog
from observatoire.plans.workbook import format as fmt
from observatoire.plans.workbook.format import (
    ParsedAction,
    ParsedActor,
    ParsedBudget,
    ParsedIndicator,
    ParsedMilestone,
    ParsedObjective,
    ParsedPlan,
)
from observatoire.plans.workbook.read import (
    Reader,
    Sheet,
    as_text,
    duplicates,
    known,
    numbers,
    rows,
)
from observatoire.tabular import header_key
from observatoire.territories import Territory


class Context:
    """What the later sheets are checked against; None when it could not be read (its
    own problems are already reported, so nothing cascades from it)."""

    def __init__(self) -> None:
        self.period: range | None = None
        self.territory: Territory | None = None
        self.communes: set[str] | None = None
        self.orientations: set[str] | None = None
        self.actions: set[str] | None = None


def check(reader: Reader, sheets: dict[str, Sheet]) -> ParsedPlan | None:
    ctx = Context()
    head = _plan(reader, sheets.get(fmt.PLAN_SHEET), ctx)
    orientations = _orientations(reader, sheets.get("Orientations"), ctx)
    actions = _actions(reader, sheets.get("Actions"), ctx)
    actors = _actors(reader, sheets.get("Acteurs"), ctx)
    budget = _budget(reader, sheets.get("Budget"), ctx)
    milestones = _milestones(reader, sheets.get("Jalons"), ctx)
    indicators = _indicators(reader, sheets.get("Indicateurs"), ctx)
    objectives = _objectives(reader, sheets.get("Objectifs"), ctx)
    if reader.problems or head is None:
        return None
    return ParsedPlan(
        source=reader.source,
        orientations=orientations,
        actions=actions,
        actors=actors,
        budget=budget,
        milestones=milestones,
        indicators=indicators,
        objectives=objectives,
        **head,
    )


def _plan(reader: Reader, sheet: Sheet | None, ctx: Context) -> dict[str, Any] | None:
    if sheet is None:
        return None
    lines: dict[str, tuple[int, dict[str, Any]]] = {}
    for line, row in sheet.rows:
        key = header_key(as_text(row.get("champ")))
        if key not in fmt.PLAN_FIELDS:
            reader.problem(
                sheet,
                "champ inconnu : champs possibles " + ", ".join(fmt.PLAN_FIELDS) + ".",
                line,
                "champ",
                row.get("champ"),
            )
        elif key in lines:
            reader.problem(
                sheet, f"champ en double (déjà ligne {lines[key][0]}).", line, "champ", key
            )
        else:
            lines[key] = (line, row)
    missing = [c.name for c in fmt.PLAN_FIELDS.values() if c.required and c.name not in lines]
    for name in missing:
        reader.problem(
            sheet, f"champ obligatoire absent : ajoutez une ligne « {name} ».", None, "champ"
        )

    def get(name: str, kind: str, **extra: Any) -> Any:
        if name not in lines:
            return extra.get("default")
        line, row = lines[name]
        spec = fmt.PLAN_FIELDS[name]
        if kind == "text":
            return reader.text(sheet, line, row, "valeur", spec)
        if kind == "choice":
            return reader.choice(
                sheet, line, row, "valeur", extra["choices"], extra["default"], spec
            )
        if kind == "year":
            return reader.year(sheet, line, row, "valeur", None, spec)
        if kind == "date":
            return reader.date(sheet, line, row, "valeur", spec)
        return reader.territory(sheet, line, row, "valeur", spec)

    head = {
        "title": get("intitule", "text"),
        "type": get("type", "choice", choices=fmt.PLAN_TYPES, default=None),
        "territory": get("territoire", "territory"),
        "start_year": get("debut", "year"),
        "end_year": get("fin", "year"),
        "adopted_on": get("adoption", "date"),
        "owner": get("maitre_ouvrage", "text", default="") or None,
        "child_label": get("libelle_sous_actions", "text", default="") or "sous-action",
        "realisations": get(
            "realisations", "choice", choices=fmt.REALISATIONS, default="operations"
        ),
        "description": get("presentation", "text", default=""),
    }
    start, end = head["start_year"], head["end_year"]
    if start is not None and end is not None:
        if end < start:
            reader.problem(
                sheet,
                f"la dernière année précède la première ({start}).",
                lines["fin"][0],
                "valeur",
                end,
            )
        else:
            ctx.period = range(start, end + 1)
    if head["territory"] is not None:
        ctx.territory = head["territory"]
        ctx.communes = set(figures.communes_of(head["territory"]))
        head["territory"] = head["territory"].id
    if missing or any(head[k] is None for k in ("title", "type", "territory")):
        return None
    if ctx.period is None or head["realisations"] is None:
        return None
    return head


def _orientations(reader: Reader, sheet: Sheet | None, ctx: Context) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: dict[Any, int] = {}
    for s, line, row in rows(sheet):
        number = reader.text(s, line, row, "numero")
        title = reader.text(s, line, row, "intitule")
        if number and duplicates(reader, s, seen, number, line, "numero", "numéro d'orientation"):
            out.append((number, title))
    if sheet is not None:
        ctx.orientations = set(seen)
    return out


def _actions(reader: Reader, sheet: Sheet | None, ctx: Context) -> list[ParsedAction]:
    out: list[ParsedAction] = []
    seen: dict[Any, int] = {}
    for s, line, row in rows(sheet):
        number = reader.text(s, line, row, "numero")
        orientation = reader.text(s, line, row, "orientation")
        known(
            reader,
            s,
            line,
            "orientation",
            orientation,
            ctx.orientations,
            "orientation inconnue : aucune ligne de la feuille Orientations ne porte ce numéro.",
        )
        action = ParsedAction(
            line=line,
            number=number,
            orientation=orientation,
            parent=reader.text(s, line, row, "parent") or None,
            title=reader.text(s, line, row, "intitule"),
            status=reader.choice(s, line, row, "etat", fmt.ACTION_STATES, "a_lancer") or "",
            texts={
                field: reader.text(s, line, row, col) for col, field in fmt.ACTION_TEXTS.items()
            },
            linked=list(dict.fromkeys(numbers(row.get("actions_liees")))),
        )
        if number and duplicates(reader, s, seen, number, line, "numero", "numéro d'action"):
            out.append(action)
    if sheet is None:
        return out
    ctx.actions = set(seen)
    by_number = {a.number: a for a in out}
    for a in out:
        if a.parent is not None:
            parent = by_number.get(a.parent)
            if parent is None:
                reader.problem(
                    sheet,
                    "action parente inconnue : aucune ligne ne porte ce numéro.",
                    a.line,
                    "parent",
                    a.parent,
                )
            elif parent is a:
                reader.problem(
                    sheet, "une action ne peut être sa propre parente.", a.line, "parent", a.parent
                )
            elif parent.orientation != a.orientation:
                reader.problem(
                    sheet,
                    f"l'action parente {parent.number} relève de l'orientation "
                    f"{parent.orientation}, pas de l'orientation {a.orientation}.",
                    a.line,
                    "parent",
                    a.parent,
                )
            elif _in_loop(a, by_number):
                reader.problem(
                    sheet, "les actions parentes forment une boucle.", a.line, "parent", a.parent
                )
        for linked in a.linked:
            if linked == a.number:
                reader.problem(
                    sheet,
                    "une action ne peut être liée à elle-même.",
                    a.line,
                    "actions_liees",
                    linked,
                )
            elif linked not in by_number:
                reader.problem(
                    sheet,
                    "action liée inconnue : aucune ligne ne porte ce numéro.",
                    a.line,
                    "actions_liees",
                    linked,
                )
    return out


def _in_loop(action: ParsedAction, by_number: dict[str, ParsedAction]) -> bool:
    seen = {action.number}
    current = action
    while current.parent is not None and current.parent in by_number:
        current = by_number[current.parent]
        if current.number in seen:
            return True
        seen.add(current.number)
    return False


_UNKNOWN_ACTION = "action inconnue : aucune ligne de la feuille Actions ne porte ce numéro."


def _action(reader: Reader, s: Sheet, line: int, row: dict[str, Any], ctx: Context) -> str:
    number = reader.text(s, line, row, "action")
    return number if known(reader, s, line, "action", number, ctx.actions, _UNKNOWN_ACTION) else ""


def _actors(reader: Reader, sheet: Sheet | None, ctx: Context) -> list[ParsedActor]:
    out: list[ParsedActor] = []
    seen: dict[Any, int] = {}
    kinds: dict[str, tuple[str, int]] = {}
    for s, line, row in rows(sheet):
        actor = ParsedActor(
            action=_action(reader, s, line, row, ctx),
            organisation=reader.text(s, line, row, "organisation"),
            kind=reader.choice(s, line, row, "type_organisation", fmt.ORGANISATION_KINDS),
            role=reader.choice(s, line, row, "role", fmt.ROLES) or "",
        )
        if actor.kind and actor.organisation:
            first = kinds.setdefault(actor.organisation, (actor.kind, line))
            if first[0] != actor.kind:
                reader.problem(
                    s,
                    f"type différent de celui de la ligne {first[1]} ({first[0]}) "
                    "pour la même organisation.",
                    line,
                    "type_organisation",
                    row.get("type_organisation"),
                )
        key = (actor.action, actor.organisation, actor.role)
        if all(key) and duplicates(reader, s, seen, key, line, "organisation", "acteur"):
            out.append(actor)
    return out


def _budget(reader: Reader, sheet: Sheet | None, ctx: Context) -> list[ParsedBudget]:
    out: list[ParsedBudget] = []
    seen: dict[Any, int] = {}
    for s, line, row in rows(sheet):
        line_ = ParsedBudget(
            action=_action(reader, s, line, row, ctx),
            year=reader.year(s, line, row, "annee", ctx.period) or 0,
            prevu=reader.amount(s, line, row, "prevu"),
            engage=reader.amount(s, line, row, "engage"),
            realise=reader.amount(s, line, row, "realise"),
            comment=reader.text(s, line, row, "commentaire"),
        )
        key = (line_.action, line_.year)
        if all(key) and duplicates(reader, s, seen, key, line, "annee", "année de budget"):
            out.append(line_)
    return out


def _milestones(reader: Reader, sheet: Sheet | None, ctx: Context) -> list[ParsedMilestone]:
    out: list[ParsedMilestone] = []
    for s, line, row in rows(sheet):
        due = reader.text(s, line, row, "echeance")
        try:
            due_date = fmt.due_date(due)
        except ValueError as exc:
            reader.problem(s, f"{exc}.", line, "echeance", due)
            due_date = None
        out.append(
            ParsedMilestone(
                action=_action(reader, s, line, row, ctx),
                label=reader.text(s, line, row, "jalon"),
                due=due,
                due_date=due_date,
                status=reader.choice(s, line, row, "etat", fmt.MILESTONE_STATES, "a_venir") or "",
                done_on=reader.date(s, line, row, "atteint_le"),
            )
        )
    return out


def _indicators(reader: Reader, sheet: Sheet | None, ctx: Context) -> list[ParsedIndicator]:
    codes = catalog()
    out: list[ParsedIndicator] = []
    seen: dict[Any, int] = {}
    for s, line, row in rows(sheet):
        code = reader.text(s, line, row, "code_observatoire")
        if code and code not in codes:
            reader.problem(
                s,
                "indicateur inconnu du catalogue de l'observatoire "
                "(liste : « observatoire indicators »).",
                line,
                "code_observatoire",
                code,
            )
        territory = reader.territory(s, line, row, "territoire")
        indicator = ParsedIndicator(
            action=_action(reader, s, line, row, ctx),
            label=reader.text(s, line, row, "indicateur"),
            code=code,
            territory=territory.id if territory else "",
            unit=reader.text(s, line, row, "unite"),
            target=reader.text(s, line, row, "cible"),
        )
        key = (indicator.action, indicator.label, indicator.code, indicator.territory)
        if duplicates(reader, s, seen, key, line, "indicateur", "indicateur"):
            out.append(indicator)
    return out


def _objectives(reader: Reader, sheet: Sheet | None, ctx: Context) -> list[ParsedObjective]:

    out: list[ParsedObjective] = []
    seen: dict[Any, int] = {}
    for s, line, row in rows(sheet):
        territory = reader.territory(s, line, row, "territoire")
        if territory is not None and ctx.communes is not None and territory != ctx.territory:
            inside = set(figures.communes_of(territory))
            if not inside or not inside <= ctx.communes:
                reader.problem(
                    s,
                    f"territoire hors du périmètre du plan ({ctx.territory.id if ctx.territory else ''}).",
                    line,
                    "territoire",
                    row.get("territoire"),
                )
                territory = None
        value = reader.integer(s, line, row, "objectif")
        if value is not None and not 0 <= value <= fmt.MAX_DWELLINGS:
            reader.problem(
                s, "nombre de logements négatif ou invraisemblable.", line, "objectif", value
            )
            value = None
        objective = ParsedObjective(
            territory=territory.id if territory else "",
            year=reader.year(s, line, row, "annee", ctx.period) or 0,
            product=reader.choice(s, line, row, "produit", fmt.PRODUCTS) or "",
            value=value if value is not None else -1,
            is_demo=reader.choice(s, line, row, "demonstration", fmt.YES_NO, "non") == "oui",
        )
        key = (objective.territory, objective.year, objective.product)
        if all(key) and duplicates(reader, s, seen, key, line, "territoire", "objectif"):
            out.append(objective)
    return out
