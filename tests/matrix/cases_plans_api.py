"""API of the plans: public for everyone (list, tree, objectives)."""

from __future__ import annotations

from tests.matrix.cases import EVERYONE, Case, expect


def _plan_id() -> int:
    from observatoire.plans.models import Plan

    plan = Plan.objects.order_by("pk").first()
    assert plan is not None, "aucun plan chargé par la démo"
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
