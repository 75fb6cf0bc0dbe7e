"""Portrait additions computed from what the territory view already passes (its rows and
territory): evolution charts, the map of the sub-territories, the sources used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from observatoire import figures
from observatoire.figures import QueryError
from observatoire.portal.views_explorer import (
    DEFAULT_INDICATOR,
    MAX_COMPARED,
    SUBLEVEL,
    ParamError,
    choropleth,
    pick_indicator,
    readable_items,
)
from observatoire.portrait import charts
from observatoire.territories import Level, Territory

register = template.Library()

# Levels the map endpoint can draw under each portrait level (France: its régions).
_PORTRAIT_SUBLEVEL = {**SUBLEVEL, Level.REG: Level.DEP, Level.FR: Level.REG}


@register.filter
def line_spec(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The Vega-Lite spec of a portrait row's series (None below two years)."""
    return charts.line_spec(row["indicator"], row["series"], row["value"].name)


@register.filter
def evolutions(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a theme that have an evolution to draw, with their spec and element id."""
    out = []
    for row in rows:
        spec = line_spec(row)
        if spec is not None:
            out.append({"row": row, "spec": spec, "id": f"evolution-{row['indicator'].code}"})
    return out


@register.simple_tag
def compare_url(territory: Territory, referents: list[tuple[Territory, str]]) -> str:
    """The comparison page of a territory with its référents (six territories at most)."""
    ids = [territory.id] + [r.id for r, _ in referents]
    return reverse("portal:compare") + "?" + urlencode([("t", i) for i in ids[:MAX_COMPARED]])


@register.simple_tag
def explorer_url(territory: Territory) -> str:
    """The explorer on the sub-territories of a territory ("" when it has none to map)."""
    level = SUBLEVEL.get(territory.level)
    if level is None:
        return ""
    query = urlencode({"within": territory.id, "level": level.value})
    return reverse("portal:explorer") + "?" + query


@register.simple_tag(takes_context=True)
def portrait_map(context: template.Context, territory: Territory) -> dict[str, Any] | None:
    """The sub-territory map block of a portrait (`?carte=CODE` picks the indicator), or
    None for a commune. Never raises: what cannot be mapped is said in French."""
    level = _PORTRAIT_SUBLEVEL.get(territory.level)
    if level is None:
        return None
    request = context["request"]
    code = request.GET.get("carte", "").strip() or DEFAULT_INDICATOR
    out: dict[str, Any] = {"items": readable_items(request), "chosen": code}
    try:
        ind = pick_indicator(request, code)
        year = figures.value(ind.code, territory).year
        if year is None:
            out["message"] = f"Aucune donnée pour « {ind.label} » sur ce territoire."
            return out
        out["block"] = choropleth(ind, level, territory, year, "quantiles")
    except (ParamError, QueryError) as exc:
        out["message"] = str(exc)
    return out


@register.simple_tag
def portrait_sources(themes: Mapping[str, list[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """The national sources behind the figures shown (series included), with producer and
    millésimes, as the query API describes them."""
    found: dict[str, dict[str, Any]] = {}
    for rows in themes.values():
        for row in rows:
            for v in [*row["series"], row["value"]]:
                if not v.source:
                    continue
                source = v.as_dict()["source"]
                entry = found.setdefault(
                    v.source,
                    {"label": source["name"] or v.source, "producer": source["producer"]},
                )
                if v.millesime:
                    entry.setdefault("millesimes", set()).add(v.millesime)
    out = []
    for entry in found.values():
        entry["millesimes"] = sorted(entry.get("millesimes", ()))
        out.append(entry)
    return sorted(out, key=lambda s: str(s["label"]))
