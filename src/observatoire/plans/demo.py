"""Demo content of this app, loaded by `observatoire demo` (idempotent): the plan
workbooks shipped in observatoire/data/plans, then clearly flagged demonstration figures
for the PLH of the CA de Lens-Liévin (objectives per commune, operations) and, since that
plan ended in 2020 with no progress in its document, the states of a finished plan."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path

from django.utils import timezone
from rich.console import Console
from rich.markup import escape

from observatoire import figures
from observatoire.figures import QueryError
from observatoire.plans.models import (
    DEMO_STATUS_COMMENT,
    Action,
    ActionStatus,
    Milestone,
    MilestoneStatus,
    Objective,
    Operation,
    Plan,
    StatusChange,
)
from observatoire.plans.workbook import WorkbookError, find_existing, read_workbook, save
from observatoire.territories import Level, Territory

CALL = "EPCI:246200364"
CALL_WORKBOOK = "call-plh-2014-2020.xlsx"
DEMO_SOURCE = "données de démonstration"
WEIGHT_INDICATOR = "log_residences_principales"
TOTAL = "total"


def workbooks() -> list[Path]:
    folder = Path(str(resources.files("observatoire") / "data" / "plans"))
    return sorted(folder.glob("*.xlsx")) if folder.is_dir() else []


def load(console: Console) -> None:
    call_plan: Plan | None = None
    for path in workbooks():
        plan = _load_workbook(console, path)
        if path.name == CALL_WORKBOOK:
            call_plan = plan
    if call_plan is None:
        console.print(
            f"Plans : pas de classeur {CALL_WORKBOOK}, pas de données de démonstration.",
            highlight=False,
        )
        return
    objectives = split_objectives(call_plan)
    operations = demo_operations(call_plan)
    states = finished_states(call_plan, date.today())
    console.print(
        f"Plans : {escape(call_plan.title)} — {objectives} objectifs par commune, "
        f"{operations} opérations et {states} états d'actions ajoutés (données de "
        "démonstration).",
        highlight=False,
    )


def _load_workbook(console: Console, path: Path) -> Plan | None:
    parsed, problems = read_workbook(path)
    if parsed is None:
        console.print(f"[yellow]Plan non chargé[/] : {path.name}", highlight=False)
        console.print(WorkbookError(path.name, problems).render(), markup=False, highlight=False)
        return None
    existing = find_existing(parsed)
    if existing is not None:
        console.print(
            f"Plan déjà présent : {escape(existing.title)} (n° {existing.pk}, {path.name}).",
            highlight=False,
        )
        return existing
    plan = save(parsed)
    console.print(
        f"Plan chargé : {escape(plan.title)} (n° {plan.pk}, {len(parsed.actions)} actions, "
        f"{path.name}).",
        highlight=False,
    )
    return plan


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Integer shares of `total` proportional to `weights`, adding up exactly to
    `total` (largest remainders first; ties to the earlier item). No weight: equal."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1.0] * len(weights)
    whole = sum(weights)
    quotas = [total * w / whole for w in weights]
    shares = [int(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _weights(communes: Sequence[str]) -> list[float]:
    """Résidences principales of each commune, latest year of the cube (0 if unknown)."""

    try:
        cube = figures.cube()
    except QueryError:
        return [0.0] * len(communes)
    out = []
    for code in communes:
        v = cube.value(WEIGHT_INDICATOR, Territory(Level.COM, code))
        out.append(float(v.value) if v.value is not None else 0.0)
    return out


def split_objectives(plan: Plan) -> int:
    """The plan's global objectives (territory of the plan) split per commune in
    proportion to the résidences principales; only for (year, product) pairs without
    commune objectives of their own. Returns the number of objectives created."""

    communes = sorted(figures.communes_of(plan.territory))
    weights = _weights(communes)
    done = set(plan.objectives.filter(territory__startswith="COM:").values_list("year", "product"))
    created = []
    for o in plan.objectives.filter(territory=plan.territory).order_by("year", "product"):
        if (o.year, o.product) in done:
            continue
        for code, share in zip(communes, largest_remainder(o.value, weights), strict=True):
            created.append(
                Objective(
                    plan=plan,
                    territory=Territory(Level.COM, code),
                    year=o.year,
                    product=o.product,
                    value=share,
                    is_demo=True,
                )
            )
    Objective.objects.bulk_create(created)
    return len(created)


def demo_operations(plan: Plan) -> int:
    """Deterministic demo operations per commune x year x product: each year about 75 to
    115 % of the commune objectives, a fifth of the communes clearly behind (30 to
    55 %), so that the behind-schedule flag points at a few communes, not most."""
    if plan.operations.filter(is_demo=True).exists():
        return 0
    objectives: dict[tuple[Territory, int], dict[str, int]] = defaultdict(dict)
    for o in plan.objectives.filter(territory__startswith="COM:"):
        objectives[(o.territory, o.year)][o.product] = o.value
    rng = random.Random(f"{plan.type}-{plan.territory}-{plan.start_year}")
    pace = {}
    for commune in sorted({c for c, _ in objectives}):
        behind = rng.random() < 0.2
        pace[commune] = rng.uniform(0.3, 0.55) if behind else rng.uniform(0.83, 1.05)
    created = []
    for (commune, year), by_product in sorted(objectives.items()):
        realised: dict[str, int] = {}
        for product, target in sorted(by_product.items()):
            if product != TOTAL:
                realised[product] = round(target * pace[commune] * rng.uniform(0.9, 1.1))
        if TOTAL in by_product:
            # The total counts every product: the rest of it is free-market housing.
            rest = round(by_product[TOTAL] * pace[commune] * rng.uniform(0.9, 1.1))
            rest -= sum(realised.values())
            if rest > 0:
                realised["accession_libre"] = realised.get("accession_libre", 0) + rest
        for product, dwellings in realised.items():
            if dwellings > 0:
                created.append(
                    Operation(
                        plan=plan,
                        territory=commune,
                        year=year,
                        product=product,
                        dwellings=dwellings,
                        name="Programme de démonstration",
                        source=DEMO_SOURCE,
                        is_demo=True,
                    )
                )
    Operation.objects.bulk_create(created)
    return len(created)


def finished_states(plan: Plan, today: date) -> int:
    """A plan ended before `today` whose document records no progress reads "17 actions
    à lancer, 0 jalon atteint": give it the states of a finished plan instead, dated
    within its years and flagged (DEMO_STATUS_COMMENT). Deterministic: about seven
    actions in ten realised, two carried on (en cours at the end), one abandoned; a
    sub-action shares its action's fate; milestones reached, one in eight abandoned.
    Nothing happens for a running plan, one with any state of its own, or twice.
    Returns the number of actions given a state."""
    actions = list(Action.objects.filter(plan=plan).order_by("position", "id"))
    if plan.end_year >= today.year or not actions:
        return 0
    if any(a.status != ActionStatus.A_LANCER for a in actions):
        return 0
    rng = random.Random(f"etats-{plan.type}-{plan.territory}-{plan.start_year}")
    years = list(range(plan.start_year, plan.end_year + 1))
    fate: dict[int, tuple[str, int]] = {}
    for a in actions:
        if a.parent_id is not None:
            continue
        draw = rng.random()
        fate[a.pk] = (
            "realisee" if draw < 0.7 else "en_cours" if draw < 0.9 else "abandonnee",
            rng.choice(years),
        )
    parents = {a.pk: a.parent_id for a in actions}
    for a in actions:
        root: int = a.pk
        while (up := parents.get(root)) is not None:
            root = up
        state, year = fate[root]
        a.status = state
        a.save(update_fields=["status"])
        change = StatusChange.objects.create(action=a, status=state, comment=DEMO_STATUS_COMMENT)
        # `at` is set on creation; dated in the plan's years instead, so that every
        # bilan annuel (status on 31/12 of its year) tells the same story.
        StatusChange.objects.filter(pk=change.pk).update(at=_end_of(year))
    milestones = list(Milestone.objects.filter(action__plan=plan).order_by("id"))
    for m in milestones:
        if rng.random() < 0.125:
            m.status = MilestoneStatus.ABANDONNE
        else:
            m.status = MilestoneStatus.ATTEINT
            m.done_on = m.due_date or date(rng.choice(years), 12, 31)
    Milestone.objects.bulk_update(milestones, ["status", "done_on"])
    return len(actions)


def _end_of(year: int) -> datetime:
    return timezone.make_aware(datetime.combine(date(year, 12, 31), time(12)))
