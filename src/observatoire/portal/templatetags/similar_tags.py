"""The "Territoires qui me ressemblent" block of a portrait (issue #14 §1): the nearest
territories of the same level (observatoire.figures.similar), their values on the
compared indicators as this page's user may read them, and a comparison link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from observatoire import figures
from observatoire.accounts.permissions import reader_of
from observatoire.figures import QueryError
from observatoire.portal.views_explorer import MAX_COMPARED
from observatoire.territories import Territory

register = template.Library()


def compare_link(territory: Territory, others: list[Territory], codes: list[str]) -> str:
    """The comparison page of a territory with `others`, on the indicators `codes`."""
    ids = [territory.id, *(t.id for t in others)][:MAX_COMPARED]
    query = [("t", i) for i in ids] + [("indicator", c) for c in codes]
    return reverse("portal:compare") + "?" + urlencode(query)


@register.inclusion_tag("portal/_similar.html", takes_context=True)
def similar_block(context: Any, territory: Territory) -> dict[str, Any]:
    try:
        found = figures.similar(territory, count=MAX_COMPARED - 1)
    except QueryError:
        return {"rows": []}
    reader = reader_of(context["request"].user)
    codes = [i.code for i in found.indicators]
    rows = [
        {
            "territory": n.territory,
            "name": figures.territory_name(n.territory),
            "values": [figures.read_value(reader, i, n.territory) for i in found.indicators],
            "compare": compare_link(territory, [n.territory], codes),
        }
        for n in found.neighbours
    ]
    return {
        "territory": territory,
        "name": figures.territory_name(territory),
        "own": [figures.read_value(reader, i, territory) for i in found.indicators],
        "indicators": found.indicators,
        "rows": rows,
        "compare_all": compare_link(territory, [n.territory for n in found.neighbours], codes),
    }
