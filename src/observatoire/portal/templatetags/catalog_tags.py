"""French names of sources and aggregation rules in templates (figures.labels)."""

from __future__ import annotations

from django import template

from observatoire import figures

register = template.Library()


@register.filter
def aggregation_label(code: str) -> str:
    return figures.aggregation_label(code)


@register.filter
def source_label(code: str) -> str:
    return figures.source_label(code)
