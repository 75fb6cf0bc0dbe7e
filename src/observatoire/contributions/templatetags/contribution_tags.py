"""Contributions shown on the portal's pages: the validated local figures next to an
official value, and the link to propose a correction of it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from observatoire.contributions import access, figures
from observatoire.indicators.catalog import Indicator
from observatoire.territories import Territory

register = template.Library()


def _cache(context: template.Context) -> dict[str, Any]:
    """Per request, so a portrait of 40 indicators runs one query, not 40."""
    request = context.get("request")
    if request is None:
        return {}
    if not hasattr(request, "_contributions_cache"):
        request._contributions_cache = {}
    cache: dict[str, Any] = request._contributions_cache
    return cache


@register.simple_tag(takes_context=True)
def local_figures(
    context: template.Context, territory: Territory, indicator: Indicator
) -> list[dict[str, Any]]:
    """Validated local figures of this indicator and territory, latest year first."""
    cache = _cache(context)
    key = f"validated:{territory.id}"
    if key not in cache:
        cache[key] = figures.validated(territory)
    return [{"item": c, "value": figures.formatted(c)} for c in cache[key].get(indicator.code, [])]


@register.simple_tag(takes_context=True)
def propose_url(
    context: template.Context, territory: Territory, indicator: Indicator, year: int | None
) -> str:
    """The prefilled proposal form, for users who may propose on this territory ("" for
    the others)."""
    cache = _cache(context)
    key = f"propose:{territory.id}"
    if key not in cache:
        request = context.get("request")
        user = getattr(request, "user", None)
        cache[key] = user is not None and access.can_propose(user, territory)
    if not cache[key]:
        return ""
    query = {"indicateur": indicator.code, "territoire": territory.id}
    if year:
        query["annee"] = str(year)
    return f"{reverse('contributions:propose')}?{urlencode(query)}"
