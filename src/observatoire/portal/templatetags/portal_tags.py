"""Formatting of figures for pages: French number format, status shown explicitly."""

from __future__ import annotations

from django import template
from django.urls import reverse

from observatoire.figures import NOT_LOADED, Value
from observatoire.portal import comparison
from observatoire.status import Status
from observatoire.territories import Territory

register = template.Library()

STATUS_LABELS = {
    Status.OK: "",
    Status.ESTIMATED: "estimé",
    Status.SECRET: "secret statistique",
    Status.MISSING: "non disponible",
    Status.UNAVAILABLE: "non disponible",
}


@register.filter
def figure(v: Value) -> str:
    if comparison.is_restricted(v):
        return comparison.RESTRICTED_LABEL
    return v.formatted()


@register.filter
def status_label(v: Value) -> str:
    if comparison.is_restricted(v):
        return ""  # `figure` already says it
    if v.status == Status.MISSING and v.note == NOT_LOADED:
        return NOT_LOADED
    return STATUS_LABELS.get(v.status, v.status)


@register.filter
def access_hint(v: Value) -> str:
    """How to get a restricted cell ("" for any other value)."""
    return comparison.ACCESS_HINT if comparison.is_restricted(v) else ""


@register.filter
def territory_url(t: Territory) -> str:
    return reverse("portal:territory", args=[t.id])
