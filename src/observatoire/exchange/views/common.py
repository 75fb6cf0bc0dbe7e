"""What every exchange page shares: the French 403 page, the sign-in redirection of
anonymous users, territory and theme labels."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from observatoire import figures
from observatoire.accounts import refusals
from observatoire.exchange.access import is_partner
from observatoire.exchange.models import Theme
from observatoire.territories import Territory

View = Callable[..., HttpResponse]


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return refusals.forbidden(
        request, message or "Votre rôle ou votre périmètre territorial ne permet pas cette action."
    )


def denied(request: HttpRequest, message: str = "") -> HttpResponse:
    """Anonymous users are sent to the sign-in page, signed-in users get the 403 page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return forbidden(request, message)


def partner_required(view: View) -> View:
    """Calls and défis: signed-in partners (any role) only."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_partner(request.user):
            return denied(
                request,
                "Les appels à contribution et les défis sont réservés aux partenaires de "
                "l'observatoire (compte avec un rôle).",
            )
        return view(request, *args, **kwargs)

    return wrapper


def territory_labels(territories: list[Territory]) -> list[dict[str, str]]:
    ref = figures.referential()
    return [{"id": t.id, "name": ref.name(t) if ref.exists(t) else t.id} for t in territories]


def theme_labels(codes: list[str]) -> list[str]:
    labels = dict(Theme.choices)
    return [labels.get(c, c) for c in codes or []]


def labelled(obj: Any) -> dict[str, Any]:
    """An object with its territories and themes ready for display."""
    return {
        "obj": obj,
        "territories": territory_labels(obj.territories),
        "themes": theme_labels(obj.themes),
    }
