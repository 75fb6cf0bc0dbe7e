"""Formatting of figures for pages: French number format, status shown explicitly."""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from observatoire.figures import NOT_LOADED, Value
from observatoire.portal import comparison
from observatoire.status import EXPLANATIONS, LABELS, Status
from observatoire.territories import Territory

register = template.Library()


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
    return LABELS.get(v.status, v.status)


_tooltips = itertools.count(1)


@register.simple_tag
def status_badge(v: Value) -> SafeString:
    """The status of a value that is not plainly "ok" as a badge, with its explanation in
    a DSFR tooltip shown on hover and on keyboard focus of its button ("" for "ok")."""
    label = status_label(v)
    if not label:
        return mark_safe("")
    n = next(_tooltips)
    explanation = v.note if v.note == NOT_LOADED else EXPLANATIONS.get(v.status, "")
    return format_html(
        '<span class="fr-badge fr-badge--sm" data-status="{}">{}</span>'
        '<button class="fr-btn--tooltip fr-btn" type="button" id="statut-{}" '
        'aria-describedby="statut-{}-aide">Que signifie « {} » ?</button>'
        '<span class="fr-tooltip fr-placement" id="statut-{}-aide" role="tooltip" '
        'aria-hidden="true">{}</span>',
        v.status, label, n, n, label, n, explanation[:1].upper() + explanation[1:],
    )  # fmt: skip


@register.filter
def access_hint(v: Value) -> str:
    """How to get a restricted cell ("" for any other value)."""
    return comparison.ACCESS_HINT if comparison.is_restricted(v) else ""


@register.simple_tag(takes_context=True)
def access_link(context: template.Context, v: Value) -> SafeString:
    """Beside a restricted cell, the way to ask for it (issue #14 §5): the access request
    form filled with the territory and indicator, or for an anonymous visitor the sign-in
    page leading to it. "" for any other value."""
    if not comparison.is_restricted(v):
        return mark_safe("")
    request = context.get("request")
    back = request.get_full_path() if request is not None else ""
    form = (
        reverse("accounts:access_request")
        + "?"
        + urlencode(
            {"territoire": v.territory.id, "indicateur": v.indicator.code, "suivant": back},
            safe=":/",  # kept as they are (allowed in a query): the link reads like the ids
        )
    )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        href, label = form, "Demander l'accès"
    else:
        href = reverse("accounts:login") + "?" + urlencode({"next": form})
        label = "Connectez-vous pour demander l'accès"
    return format_html(
        '<a class="fr-link fr-text--xs" href="{}" data-access-request>{}</a>', href, label
    )


@register.filter
def territory_url(t: Territory) -> str:
    return reverse("portal:territory", args=[t.id])


@register.simple_tag(takes_context=True)
def site_menu(context: template.Context) -> list[tuple[str, str, bool]]:
    """The header's navigation (views_legal.MENU, also the plan du site): label, link and
    whether it is the current section."""
    from observatoire.portal.views_legal import MENU, links

    request = context.get("request")
    path = request.path if request is not None else ""
    return [
        (label, href, path == href if href == "/" else path.startswith(href))
        for label, href in links(MENU)
    ]


@register.simple_tag
def site_footer() -> list[tuple[str, str]]:
    from observatoire.portal.views_legal import FOOTER, links

    return links(FOOTER)
