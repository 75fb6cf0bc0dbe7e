"""Pages of the plans: read by everyone; updated by admins, animateurs whose scope covers
the plan, and contributeurs or animateurs of a pilot organisation of the action.

The cases run on a plan of their own (CA de Lens - Liévin): action 1 is piloted by the
"CA de Lens-Liévin" (the organisation of contributeur_lens and lecteur_lens), so
contributeur_lens may update it and lecteur_lens may not (a lecteur never edits)."""

from __future__ import annotations

from typing import Any

from tests.matrix.cases import EVERYONE, Case, expect, lens_organisation_elsewhere

TITLE = "PLH de la matrice des droits"
PILOTS = ("admin", "animateur", "contributeur_lens")
PLAN_EDITORS = ("admin", "animateur")


def _plan() -> Any:
    """The matrix plan, created on first use (the session database is shared)."""
    from observatoire.accounts.models import Organisation
    from observatoire.plans.models import (
        Action,
        ActionActor,
        ActionIndicator,
        Milestone,
        Objective,
        Orientation,
        Plan,
    )

    plan, created = Plan.objects.get_or_create(
        title=TITLE,
        defaults={
            "type": "PLH",
            "territory": "EPCI:246200364",
            "start_year": 2020,
            "end_year": 2026,
        },
    )
    if created:
        lens, _ = Organisation.objects.get_or_create(
            name="CA de Lens-Liévin", defaults={"kind": "epci"}
        )
        o = Orientation.objects.create(plan=plan, number="1", title="Produire")
        a = Action.objects.create(plan=plan, orientation=o, number="1", title="Piloter")
        ActionActor.objects.create(action=a, organisation=lens, role="pilote")
        Milestone.objects.create(action=a, label="Jalon", due="2021")
        ActionIndicator.objects.create(action=a, label="Dossiers")
        Objective.objects.create(
            plan=plan, territory="COM:62498", year=2020, product="total", value=10
        )
    return plan


def _arras_action_url() -> str:
    """Action 1 of a plan of Arras, piloted by the "CA de Lens-Liévin": the pilot's
    members whose scope is Lens do not follow it there (issue #11)."""
    from observatoire.accounts.models import Organisation
    from observatoire.plans.models import Action, ActionActor, Orientation, Plan

    plan, created = Plan.objects.get_or_create(
        title="PLH de la matrice (Arras)",
        defaults={"type": "PLH", "territory": "EPCI:200033579", "start_year": 2020,
                  "end_year": 2026},
    )  # fmt: skip
    if created:
        lens, _ = Organisation.objects.get_or_create(
            name="CA de Lens-Liévin", defaults={"kind": "epci"}
        )
        o = Orientation.objects.create(plan=plan, number="1", title="Produire")
        a = Action.objects.create(plan=plan, orientation=o, number="1", title="Piloter")
        ActionActor.objects.create(action=a, organisation=lens, role="pilote")
    return f"/plans/{plan.pk}/actions/1/modifier/"


def _action_edit_with_lens_elsewhere() -> str:
    lens_organisation_elsewhere()
    return f"/plans/{_plan().pk}/actions/1/modifier/"


def _url(suffix: str = "") -> Any:
    return lambda: f"/plans/{_plan().pk}/{suffix}"


def _action_url(suffix: str = "") -> Any:
    return lambda: f"/plans/{_plan().pk}/actions/1/{suffix}"


def _milestone_url() -> str:
    m = _plan().actions.get(number="1").milestones.get()
    return f"/plans/{m.action.plan_id}/actions/1/jalons/{m.pk}/"


def _indicator_url() -> str:
    i = _plan().actions.get(number="1").indicators.get()
    return f"/plans/{i.action.plan_id}/actions/1/indicateurs/{i.pk}/"


def _milestone_data() -> dict[str, Any]:
    m = _plan().actions.get(number="1").milestones.get()
    return {f"m{m.pk}-status": "en_cours", f"m{m.pk}-done_on": ""}


def _indicator_data() -> dict[str, Any]:
    i = _plan().actions.get(number="1").indicators.get()
    return {f"i{i.pk}-year": "2021", f"i{i.pk}-value": "3", f"i{i.pk}-comment": "matrice"}


EDITED = expect(PILOTS, ok=302, anonymous=302)

CASES = [
    Case("plans:index", "/plans/", expect(EVERYONE)),
    Case("plans:plan", _url(), expect(EVERYONE)),
    Case("plans:actions", _url("actions/"), expect(EVERYONE)),
    Case("plans:gantt", _url("calendrier/"), expect(EVERYONE)),
    Case("plans:objectives", _url("objectifs/"), expect(EVERYONE)),
    Case("plans:objectives_map", _url("objectifs/carte/"), expect(EVERYONE)),
    Case("plans:action", _action_url(), expect(EVERYONE)),
    Case("plans:action_edit", _action_url("modifier/"), expect(PILOTS, anonymous=302)),
    # Cross-organisation (issue #11): the pilot organisation's member gets no right
    # outside their scope, nor when their scope does not cover the organisation's own
    # territory; the animateur of the Pas-de-Calais keeps both.
    Case("plans:action_edit", _arras_action_url, expect(PLAN_EDITORS, anonymous=302)),
    Case(
        "plans:action_edit",
        _action_edit_with_lens_elsewhere,
        expect(PLAN_EDITORS, anonymous=302),
    ),
    Case(
        "plans:action_status",
        _action_url("etat/"),
        EDITED,
        method="POST",
        data={"status": "en_cours", "comment": "matrice"},
    ),
    Case(
        "plans:action_budget",
        _action_url("budget/"),
        EDITED,
        method="POST",
        data={"engage_2021": "10", "realise_2021": "5"},
    ),
    Case("plans:milestone", _milestone_url, EDITED, method="POST", data=_milestone_data),
    Case("plans:indicator_entry", _indicator_url, EDITED, method="POST", data=_indicator_data),
    Case("plans:operations", _url("operations/"), expect(PLAN_EDITORS, anonymous=302)),
    Case(
        "plans:operation_add",
        _url("operations/ajouter/"),
        expect(PLAN_EDITORS, ok=302, anonymous=302),
        method="POST",
        data={
            "territory": "COM:62498",
            "year": "2021",
            "product": "plai",
            "dwellings": "4",
            "stage": "financee",
        },
    ),
]
