"""The publications' pieces of other apps' pages (the portrait): a section's commentary,
the « Suivre » button, the unread count. Template tags, so that the portal's views do not
import this app (the independence contract)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.text import slugify

from observatoire.accounts.permissions import reader_of
from observatoire.publications import commentary, follows
from observatoire.territories import Territory
from observatoire.words import counted

register = template.Library()


@register.inclusion_tag("publications/_section_commentary.html", takes_context=True)
def section_commentary(context: Any, territory: Territory, theme: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    cache = context.render_context
    key = ("publications-commentary", territory)
    if key not in cache:
        cache[key] = commentary.shown(
            territory, reader_of(user)
        )  # once per portrait, not per theme
    return {
        "c": cache[key].get(theme),
        "territory": territory,
        "theme_slug": slugify(theme),
        "editable": commentary.can_edit(user, territory),
    }


@register.inclusion_tag("publications/_follow_button.html", takes_context=True)
def follow_button(
    context: Any, territory: Territory, indicator: str = "", label: str = ""
) -> dict[str, Any]:
    """« Suivre » the territory (no indicator) or one indicator of it; the user's follows
    and unread count read once per page (a portrait has a button per row)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    cache = context.render_context
    if signed_in and "publications-follows" not in cache:
        cache["publications-follows"] = {
            (f.territory, f.indicator): f.pk for f in follows.Follow.objects.filter(user=user)
        }
        n = follows.unread(user)
        cache["publications-unread"] = counted(n, "non lue", "non lues") if n else ""
    return {
        "signed_in": signed_in,
        "following": signed_in and (territory, indicator) in cache["publications-follows"],
        "territory": territory,
        "indicator": indicator,
        "label": label,
        "here": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
        "unread": cache.get("publications-unread", "") if not indicator else "",
    }
