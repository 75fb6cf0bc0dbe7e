"""Who may do what in the contributions app, built on accounts.permissions only (deny by
default): every view asks one of these functions."""

from __future__ import annotations

from typing import Any

from observatoire.accounts.permissions import can_read, has_role, in_scope, role_of
from observatoire.contributions.models import FigureContribution, Survey
from observatoire.indicators.catalog import catalog
from observatoire.territories import Territory, TerritoryError

PROPOSERS = ("contributeur", "animateur")  # admins always pass has_role


def territory_of(raw: str) -> Territory | None:
    try:
        return Territory.parse(raw)
    except TerritoryError:
        return None


def may_propose(user: Any) -> bool:
    """The role allows proposing figures or uploading data (the territory is checked
    separately with `can_propose`)."""
    return has_role(user, *PROPOSERS)


def can_propose(user: Any, territory: Territory | None) -> bool:
    """Contributeurs, animateurs and admins, on a territory of their scope."""
    return territory is not None and may_propose(user) and in_scope(user, territory)


def can_validate(user: Any, territory: Territory | None) -> bool:
    """Admins everywhere; animateurs on their scope."""
    role = role_of(user)
    if role == "admin":
        return True
    return role == "animateur" and territory is not None and in_scope(user, territory)


def may_validate(user: Any) -> bool:
    return has_role(user, "animateur")


def indicator_readable(user: Any, code: str, territory: Territory | None) -> bool:
    indicator = catalog().get(code)
    return indicator is not None and can_read(user, indicator.diffusion, territory)


def can_see(user: Any, contribution: FigureContribution) -> bool:
    """A validated figure: whoever may read the indicator there. A proposal or a
    rejection: its author and those who may validate it."""
    territory = contribution.territory
    if contribution.status == FigureContribution.Status.VALIDEE:
        return indicator_readable(user, contribution.indicator_code, territory)
    if user.is_authenticated and contribution.author_id == user.pk:
        return True
    return can_validate(user, territory)


def can_follow_usage(user: Any) -> bool:
    """The usage dashboard: administrators and animateurs."""
    return has_role(user, "animateur")


def can_manage_surveys(user: Any) -> bool:
    return has_role(user, "animateur")


def can_open_or_close(user: Any, survey: Survey) -> bool:
    """Closing or reopening a survey: admins, and the animateur who created it."""
    if role_of(user) == "admin":
        return True
    return can_manage_surveys(user) and survey.created_by_id == user.pk


def can_answer_surveys(user: Any) -> bool:
    """Every signed-in partner with a role."""
    return role_of(user) is not None
