"""Formatting of figures for pages: French number format, status shown explicitly."""

from __future__ import annotations

from django import template
from django.urls import reverse

from observatoire.figures import NOT_LOADED, Value
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
    return v.formatted()


@register.filter
def status_label(v: Value) -> str:
    if v.status == Status.MISSING and v.note == NOT_LOADED:
        return NOT_LOADED
    return STATUS_LABELS.get(v.status, v.status)


@register.filter
def territory_url(t: Territory) -> str:
    return reverse("portal:territory", args=[t.id])
