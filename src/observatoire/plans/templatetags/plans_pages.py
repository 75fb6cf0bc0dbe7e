"""French formatting of the plans' figures: euros, dwellings, rates, status badges."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString, mark_safe

from observatoire.plans import text

register = template.Library()

NBSP = "\u202f"

# DSFR badge colour of each action and milestone status.
_BADGES = {
    "a_lancer": "fr-badge--info",
    "en_cours": "fr-badge--new",
    "realisee": "fr-badge--success",
    "abandonnee": "fr-badge--warning",
    "a_venir": "fr-badge--info",
    "atteint": "fr-badge--success",
    "abandonne": "fr-badge--warning",
}


def number(value: Decimal | float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


@register.filter
def euros(value: Decimal | float | int | None) -> str:
    """1 200 000 €, with cents only when there are some; "—" when not known."""
    if value is None:
        return "non renseigné"
    whole = Decimal(value) == Decimal(value).to_integral_value()
    return f"{number(value, 0 if whole else 2)}\u00a0€"


@register.filter
def integer(value: int | float | Decimal | None) -> str:
    return number(value)


@register.filter
def amount(value: Decimal | float | int | None) -> str:
    """A manual indicator value: up to three decimals, trailing zeros dropped."""
    if value is None:
        return "—"
    text = number(value, 3)
    return text.rstrip("0").rstrip(",") if "," in text else text


@register.filter
def percent(value: float | None) -> str:
    """0.8123 -> 81 %; None -> "—" (no denominator)."""
    if value is None:
        return "—"
    return f"{number(value * 100)}{NBSP}%"


@register.filter
def badge(status: str) -> str:
    return _BADGES.get(status, "")


@register.filter
def plan_text(value: str | None) -> SafeString:
    """A plan's wording as paragraphs and lists (plans.text escapes every tag)."""
    # Safe: plans.text escapes every tag of the user's text.
    return mark_safe(text.render(value or ""))
