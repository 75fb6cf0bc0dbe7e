"""Who may update a plan's follow-up. Reading a plan is public; writing goes through
these two functions only (deny by default), both built on accounts.permissions."""

from __future__ import annotations

from typing import Any

from observatoire.accounts.permissions import acts_for, in_scope, profile_of, role_of
from observatoire.plans.models import Action, ActionActor, ActorRole, Plan


def _animateur_in_scope(user: Any, plan: Plan) -> bool:
    return role_of(user) == "animateur" and in_scope(user, plan.territory)


def can_edit_plan(user: Any, plan: Plan) -> bool:
    """Plan-wide entries (operations): admins, and animateurs whose scope covers the
    plan's territory."""
    role = role_of(user)
    if role == "admin":
        return True
    return _animateur_in_scope(user, plan)


def is_pilot(user: Any, action: Action) -> bool:
    """The user's organisation pilots the action, or the action it belongs to, and the
    user's scope covers the plan's territory (`acts_for`)."""
    profile = profile_of(user)
    if profile is None or not acts_for(user, profile.organisation_id, [action.plan.territory]):
        return False
    ids = [action.pk] + ([action.parent_id] if action.parent_id else [])
    return ActionActor.objects.filter(
        action_id__in=ids, organisation_id=profile.organisation_id, role=ActorRole.PILOTE
    ).exists()


def can_edit_action(user: Any, action: Action) -> bool:
    """An action's follow-up (status, budget, milestones, indicator entries): admins,
    animateurs in scope, and contributeurs or animateurs of a pilot organisation."""
    role = role_of(user)
    if role == "admin":
        return True
    if role not in ("animateur", "contributeur"):
        return False
    return _animateur_in_scope(user, action.plan) or is_pilot(user, action)
