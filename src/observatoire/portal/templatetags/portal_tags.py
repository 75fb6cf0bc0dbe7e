"""Formatting of figures for pages: French number format, status shown explicitly."""

from __future__ import annotations

from django import template
from django.urls import reverse

from observatoire.figures import Value
from observatoire.territories import Territory

register = template.Library()

STATUS_LABELS = {
    "ok": "",
    "estimated": "estimé",
    "secret": "secret statistique",
    "missing": "non disponible",
    "unavailable": "non disponible",
}


@register.filter
def figure(v: Value) -> str:
    return v.formatted()


@register.filter
def status_label(v: Value) -> str:
    if v.status == "missing" and v.note == "source non chargée":
        return "source non chargée"
    return STATUS_LABELS.get(v.status, v.status)


@register.filter
def territory_url(t: Territory) -> str:
    return reverse("portal:territory", args=[t.id])
