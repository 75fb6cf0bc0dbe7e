"""Vega-Lite specifications of the portal's charts, built server side and embedded in the
page with json_script: the chart carries exactly the figures of the table next to it, so
the table is a faithful alternative. Colours and the French number locale are applied by
static/portal/charts.js (they follow the DSFR light or dark theme)."""

from __future__ import annotations

from typing import Any

from observatoire.figures import Value
from observatoire.indicators.catalog import Indicator

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier, never fetched


def number_format(indicator: Indicator) -> str:
    """d3-format of the indicator's figures (grouping and decimal comma come from the
    French locale given to vega-embed)."""
    return f",.{indicator.decimals}f"


def _unit_title(indicator: Indicator) -> str:
    return f"{indicator.label} ({indicator.unit})" if indicator.unit else indicator.label


def line_spec(indicator: Indicator, series: list[Value], name: str) -> dict[str, Any] | None:
    """Evolution of one indicator for one territory; None below two years with a value
    (a single point is no evolution: the table says it all)."""
    points = [
        {"annee": v.year, "valeur": v.value, "statut": v.status}
        for v in series
        if v.value is not None and v.year is not None
    ]
    if len({p["annee"] for p in points}) < 2:
        return None
    fmt = number_format(indicator)
    first, last = points[0]["annee"], points[-1]["annee"]
    return {
        "$schema": SCHEMA,
        "description": f"{indicator.label}, {name} : évolution de {first} à {last}.",
        "width": "container",
        "height": 140,
        "data": {"values": points},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "annee",
                "type": "quantitative",
                "title": None,
                "scale": {"zero": False, "nice": False},
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "y": {
                "field": "valeur",
                "type": "quantitative",
                "title": indicator.unit or None,
                "scale": {"zero": False},
                "axis": {"format": fmt, "tickCount": 4},
            },
            "tooltip": [
                {"field": "annee", "type": "quantitative", "title": "Année", "format": "d"},
                {"field": "valeur", "type": "quantitative", "title": "Valeur", "format": fmt},
            ],
        },
    }


def bar_spec(
    indicator: Indicator, rows: list[tuple[str, Value]], year: int | None
) -> dict[str, Any] | None:
    """One bar per territory, in the order chosen by the user. Secret or unavailable
    values have no bar (the table next to the chart says why); None if no bar at all."""
    points = [{"territoire": label, "valeur": v.value} for label, v in rows if v.value is not None]
    if not points:
        return None
    fmt = number_format(indicator)
    when = f" en {year}" if year else ""
    values = [v.value for _, v in rows if v.value is not None]
    scale: dict[str, Any] = {}
    if min(values) >= 0 and max(values) > 0:
        # Room on the right for the value written after the longest bar.
        scale = {"domain": [0, max(values) * 1.15], "nice": False}
    return {
        "$schema": SCHEMA,
        "description": f"{indicator.label}{when} : comparaison de {len(points)} territoires.",
        "width": "container",
        "height": {"step": 24},
        "data": {"values": points},
        "encoding": {
            "y": {
                "field": "territoire",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 220},
            },
            "x": {
                "field": "valeur",
                "type": "quantitative",
                "title": _unit_title(indicator),
                "scale": scale,
                "axis": {"format": fmt, "tickCount": 5},
            },
        },
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "tooltip": [
                        {"field": "territoire", "type": "nominal", "title": "Territoire"},
                        {
                            "field": "valeur",
                            "type": "quantitative",
                            "title": "Valeur",
                            "format": fmt,
                        },
                    ]
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4},
                "encoding": {"text": {"field": "valeur", "type": "quantitative", "format": fmt}},
            },
        ],
    }
