"""Vega-Lite charts of the bilan annuel, built from its payload only (live or frozen
alike): budget engaged and realised against planned per orientation, and housing
production against objectives per commune. The tables next to them hold the figures."""

from __future__ import annotations

from typing import Any

from observatoire.plans.reports.payloads import BilanPayload

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
BUDGET_KINDS = (("prevu", "Prévu"), ("engage", "Engagé"), ("realise", "Réalisé"))


def _grouped_bars(
    description: str, rows: list[dict[str, Any]], category: str, unit: str
) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "height": {"step": 12},
        "encoding": {
            "y": {"field": category, "type": "nominal", "sort": None, "title": None},
            "yOffset": {"field": "serie", "sort": None},
            "x": {"field": "valeur", "type": "quantitative", "title": unit},
            "color": {"field": "serie", "type": "nominal", "sort": None, "title": None},
            "tooltip": [
                {"field": category, "type": "nominal", "title": category.capitalize()},
                {"field": "serie", "type": "nominal", "title": "Série"},
                {"field": "valeur", "type": "quantitative", "title": unit, "format": ",.0f"},
            ],
        },
        "config": {"legend": {"orient": "top"}},
    }


def budget_chart(b: BilanPayload) -> dict[str, Any] | None:
    """Budget cumulated since the plan's start per orientation; None when no amount."""
    rows = [
        {"orientation": f"{o['number']}. {o['title']}"[:60], "serie": label, "valeur": v}
        for o in b["orientations"]
        for key, label in BUDGET_KINDS
        if (v := o["budget_cumul"][key]) is not None  # type: ignore[literal-required]
    ]
    if not rows:
        return None
    return _grouped_bars(
        f"Budget cumulé {b['plan']['start_year']}-{b['year']} par orientation : prévu, "
        "engagé et réalisé, en euros.",
        rows,
        "orientation",
        "Euros",
    )


def production_chart(b: BilanPayload) -> dict[str, Any] | None:
    """Dwellings realised against the objective cumulated since the plan's start, per
    commune; None without production objectives."""
    production = b["production"]
    if not production:
        return None
    rows = [
        {"commune": c["name"], "serie": label, "valeur": v}
        for c in production["communes"]
        for key, label in (("objective", "Objectif"), ("realised", "Réalisé"))
        if (v := c["cumul"][key]) is not None  # type: ignore[literal-required]
    ]
    if not rows:
        return None
    return _grouped_bars(
        f"Logements réalisés et objectifs cumulés {b['plan']['start_year']}-{b['year']} "
        "par commune.",
        rows,
        "commune",
        "Logements",
    )
