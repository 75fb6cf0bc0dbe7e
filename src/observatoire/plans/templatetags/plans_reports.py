"""French formatting of the reports' figures (payload values: numbers, None, ISO dates)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

register = template.Library()

NBSP = "\u202f"


def _number(value: float | int, decimals: int = 0) -> str:
    return f"{float(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")


@register.filter
def dwellings(value: float | int | None) -> str:
    """1 310; "—" when unknown."""
    return "—" if value is None else _number(value)


@register.filter
def euros(value: float | int | None) -> str:
    """1 200 000 € (cents only when there are some); "non renseigné" when unknown."""
    if value is None:
        return "non renseigné"
    return f"{_number(value, 0 if float(value).is_integer() else 2)}\u00a0€"


@register.filter
def amount(value: float | int | None) -> str:
    """Euros in a table cell: "—" when unknown (the caption says so)."""
    return "—" if value is None else euros(value)


@register.filter
def percent(value: float | None) -> str:
    """0.8123 -> 81 %; "—" without denominator."""
    return "—" if value is None else f"{_number(value * 100)}{NBSP}%"


@register.filter
def fr_date(value: str | None) -> str:
    """ISO date -> 31/12/2024."""
    if not value:
        return ""
    return date.fromisoformat(value).strftime("%d/%m/%Y")


@register.filter
def status_badge(code: str) -> str:
    return {
        "a_lancer": "fr-badge--info",
        "en_cours": "fr-badge--new",
        "realisee": "fr-badge--success",
        "abandonnee": "fr-badge--warning",
    }.get(code, "")


@register.filter
def with_value(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The indicator lines that have a value for the year."""
    return [line for line in lines if line.get("value") is not None]


@register.filter
def without_value(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The indicator lines with no value (non renseigné, non disponible, restreint):
    folded on the page rather than one table row each."""
    return [line for line in lines if line.get("value") is None]


@register.filter
def stated(amounts: dict[str, Any] | None) -> bool:
    """True when prévu, engagé or réalisé is known."""
    if not amounts:
        return False
    return any(amounts.get(k) is not None for k in ("prevu", "engage", "realise"))
