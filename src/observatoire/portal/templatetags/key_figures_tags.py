"""The key-figures block and its plain-language summary at the top of a portrait."""

from __future__ import annotations

from typing import Any

from django import template

from observatoire.accounts.permissions import reader_of
from observatoire.figures import QueryError
from observatoire.portrait import key_figures, summary
from observatoire.territories import Territory

register = template.Library()


@register.inclusion_tag("portal/_key_figures.html", takes_context=True)
def key_figures_block(context: Any, territory: Territory) -> dict[str, Any]:
    """The declared key figures this page's user may read about `territory`."""
    try:
        items = key_figures.key_figures(reader_of(context["request"].user), territory)
    except QueryError:
        items = []
    return {
        "items": items,
        "summary": summary.summary(items),
        "territory": territory,
        "request": context.get("request"),  # the « demander l'accès » links
    }
