"""The « Plans en cours » block of a portrait (issue #14 §1): the plans covering the
territory as the installed apps offer them through the port TERRITORY_PLANS (the portal
does not import the plans app)."""

from __future__ import annotations

from typing import Any

from django import template

from observatoire import ports
from observatoire.territories import Territory

register = template.Library()


@register.inclusion_tag("portal/_plans.html", takes_context=True)
def plans_block(context: Any, territory: Territory) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"plans": ports.offered(ports.TERRITORY_PLANS, territory, user), "territory": territory}
