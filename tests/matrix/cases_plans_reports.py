"""Printable outputs of the plans: public reading; the photographie au 31/12 is for
animateurs of the plan's territory and admins (POST, sign-in required)."""

from __future__ import annotations

from collections.abc import Callable

from tests.matrix.cases import EVERYONE, Case, expect

TITLE = "Plan de la matrice des droits (sorties)"


def _plan_id() -> int:
    """Its own small plan (one action), independent of the demo plans."""
    from observatoire.plans.models import Action, Orientation, Plan

    plan, created = Plan.objects.get_or_create(
        title=TITLE,
        defaults={
            "type": "PLH",
            "territory": "EPCI:246200364",
            "start_year": 2020,
            "end_year": 2025,
        },
    )
    if created:
        o = Orientation.objects.create(plan=plan, number="1", title="Produire")
        Action.objects.create(plan=plan, orientation=o, number="1-1", title="Logement social")
    return plan.pk


def _path(suffix: str) -> Callable[[], str]:
    return lambda: f"/plans/{_plan_id()}/{suffix}"


SNAPSHOT = expect(("admin", "animateur"), ok=302, anonymous=302)

CASES = [
    Case("plans:fiche_action", _path("actions/1-1/fiche/"), expect(EVERYONE)),
    Case(
        "plans:fiche_commune",
        _path("suivi/communes/COM:62498/"),
        expect(EVERYONE),
    ),
    Case("plans:bilans", _path("bilan/"), expect(EVERYONE, ok=302)),
    Case("plans:bilan", _path("bilan/2024/"), expect(EVERYONE)),
    Case("plans:bilan_pdf", _path("bilan/2024/pdf/"), expect(EVERYONE)),
    Case("plans:bilan_xlsx", _path("bilan/2024/xlsx/"), expect(EVERYONE)),
    Case(
        "plans:bilan_snapshot",
        _path("bilan/2024/photographie/"),
        SNAPSHOT,
        method="POST",
    ),
]
