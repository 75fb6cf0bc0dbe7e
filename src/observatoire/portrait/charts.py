"""Vega-Lite specifications of the portal's charts, built server side and embedded in the
page with json_script: the chart carries exactly the figures of the table next to it, so
the table is a faithful alternative. Colours and the French number locale are applied by
static/portal/charts.js (they follow the DSFR light or dark theme)."""

from __future__ import annotations

import math
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


def nice_ticks(low: float, high: float, decimals: int, count: int = 4) -> list[float]:
    """About `count` round, distinct ticks covering [low, high], each one distinct once
    written with `decimals` decimals: left to Vega, a narrow range (Lot vacancy, 6.28 to
    6.34 %) got four ticks all reading "6,3"."""
    smallest = 10.0**-decimals
    span = max(high - low, smallest)
    raw = max(span / max(count - 1, 1), smallest)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if round(step, decimals) != step:  # 2.5 at 0 decimals: not a round tick
        step = next(m * magnitude for m in (5, 10) if m * magnitude >= raw)
    step = max(step, smallest)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    if first == last:
        first, last = first - 1, last + 1
    return [round(i * step, decimals) for i in range(first, last + 1)]


def line_spec(indicator: Indicator, series: list[Value], name: str) -> dict[str, Any] | None:
    """Evolution of one indicator for one territory; None below two years with a value
    (a single point is no evolution: the table says it all).

    Every year with a value is a point; a line joins only consecutive years, so a year
    without a value (not published, secret) leaves a gap instead of a straight line
    across it. Ticks are the years themselves and round values (`nice_ticks`)."""
    known = sorted(
        (v.year, v.value, str(v.status))
        for v in series
        if v.value is not None and v.year is not None
    )
    years = sorted({y for y, _, _ in known})
    if len(years) < 2:
        return None
    points: list[dict[str, Any]] = []
    segment = 0
    for i, (year, value, status) in enumerate(known):
        if i and year - known[i - 1][0] > 1:
            segment += 1
        points.append({"annee": year, "valeur": value, "statut": status, "segment": segment})
    fmt = number_format(indicator)
    first, last = years[0], years[-1]
    values = [v for _, v, _ in known]
    ticks = nice_ticks(min(values), max(values), indicator.decimals)
    missing = [y for y in range(first, last + 1) if y not in years]
    gaps = f" (pas de valeur en {', '.join(map(str, missing))})" if missing else ""
    return {
        "$schema": SCHEMA,
        "description": f"{indicator.label}, {name} : évolution de {first} à {last}{gaps}.",
        "width": "container",
        "height": 140,
        "data": {"values": points},
        "encoding": {
            "x": {
                "field": "annee",
                "type": "quantitative",
                "title": None,
                "scale": {"zero": False, "nice": False, "domain": [first, last]},
                "axis": {"format": "d", "values": years},
            },
            "y": {
                "field": "valeur",
                "type": "quantitative",
                "title": indicator.unit or None,
                "scale": {"zero": False, "nice": False, "domain": [ticks[0], ticks[-1]]},
                "axis": {"format": fmt, "values": ticks},
            },
            "tooltip": [
                {"field": "annee", "type": "quantitative", "title": "Année", "format": "d"},
                {"field": "valeur", "type": "quantitative", "title": "Valeur", "format": fmt},
            ],
        },
        "layer": [
            {
                "mark": {"type": "line"},
                "encoding": {"detail": {"field": "segment", "type": "nominal"}},
            },
            {"mark": {"type": "point", "filled": True}},
        ],
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
    axis: dict[str, Any] = {"format": fmt, "tickCount": 5}
    if min(values) >= 0 and max(values) > 0:
        # Room on the right for the value written after the longest bar.
        scale = {"domain": [0, max(values) * 1.15], "nice": False}
        ticks = [
            t for t in nice_ticks(0, max(values), indicator.decimals, 5) if t <= max(values) * 1.15
        ]
        axis = {"format": fmt, "values": ticks}
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
                "axis": axis,
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
