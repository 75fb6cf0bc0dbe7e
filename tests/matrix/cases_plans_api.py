"""API of the plans: public for everyone (list, tree, objectives)."""

from __future__ import annotations

from tests.matrix.cases import EVERYONE, Case, expect


def _plan_id() -> int:
    from observatoire.plans.models import Plan

    # Its own plan: the matrix does not depend on the demo plans being loaded.
    plan, _ = Plan.objects.get_or_create(
        title="Plan de la matrice des droits (API)",
        defaults={
            "type": "PLH",
            "territory": "EPCI:246200364",
            "start_year": 2020,
            "end_year": 2025,
        },
    )
    return plan.pk


CASES = [
    Case("api-v1:plans", "/api/v1/plans", expect(EVERYONE)),
    Case("api-v1:plan", lambda: f"/api/v1/plans/{_plan_id()}", expect(EVERYONE)),
    Case(
        "api-v1:plan_objectives",
        lambda: f"/api/v1/plans/{_plan_id()}/objectives",
        expect(EVERYONE),
    ),
]
