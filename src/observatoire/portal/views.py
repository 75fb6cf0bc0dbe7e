"""Pages of the portal (French, DSFR). Figures come only through `observatoire.figures`."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from observatoire import figures
from observatoire.accounts import refusals
from observatoire.accounts.permissions import can_read, first_unreadable, reader_of
from observatoire.figures import QueryError, Value
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.portal import points
from observatoire.status import EXPLANATIONS, LABELS
from observatoire.territories import Territory, TerritoryError, search


def readable(
    indicator: Indicator, request: HttpRequest, territory: Territory | None = None
) -> bool:
    """May the user of this request read this indicator about `territory` (None: anywhere
    at all, e.g. to list it)? The one permission function decides (deny by default)."""
    return can_read(request.user, indicator.diffusion, territory)


def refusal(indicator: Indicator, request: HttpRequest, territories: list[Territory]) -> str | None:
    """Why this user may not read this indicator about these territories (French), or
    None when they may."""
    if not territories:
        if readable(indicator, request):
            return None
        denied = None
    else:
        denied = first_unreadable(request.user, indicator.diffusion, territories)
        if denied is None:
            return None
    level = "réservée aux partenaires" if indicator.diffusion == "partenaires" else "restreinte"
    if not request.user.is_authenticated:
        # Its code only: an anonymous user does not even get the label of what is hidden.
        return f"L'indicateur « {indicator.code} » est à diffusion {level} : connectez-vous pour le consulter."
    head = f"L'indicateur « {indicator.label} » est à diffusion {level}"
    if denied is None or indicator.diffusion != "restreint":
        return f"{head} : votre compte n'y a pas accès."
    name = figures.territory_name(denied)
    return (
        f"{head} : {name} ({denied.id}) est hors du périmètre de votre compte. "
        "Les données restreintes ne sont diffusées que pour les territoires de votre périmètre."
    )


def refused(request: HttpRequest, message: str) -> HttpResponse:
    """Anonymous users go to the sign-in page (and come back); signed-in users get a
    French 403 page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return refusals.forbidden(request, message)


def home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    found = search.search(figures.referential(), q, limit=30) if q else None
    return render(
        request,
        "portal/home.html",
        {
            "title": "Accueil",
            "q": q,
            "results": found.hits if found else [],
            "message": found.message if found else "",
            "searched": bool(q),
        },
    )


def parse_territory(raw: str) -> Territory:
    try:
        t = Territory.parse(raw)
        figures.check(t)
    except TerritoryError as exc:
        raise Http404(str(exc)) from None
    return t


def territory(request: HttpRequest, territory_id: str) -> HttpResponse:
    t = parse_territory(territory_id)
    ref = figures.referential()
    referents = ref.referents(t)
    themes: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    try:
        cube = figures.cube()
    except QueryError as exc:
        return render(
            request,
            "portal/no_cube.html",
            {"title": "Données absentes", "message": str(exc)},
            status=503,
        )
    reader = reader_of(request.user)
    for ind in catalog().values():
        if not reader.can_read(ind.diffusion):
            continue
        # Readable elsewhere but not here (issue #14 §5): the row stays, its cells out of
        # reach marked "accès restreint" with how to ask, instead of silently missing.
        here = reader.can_read(ind.diffusion, t)
        own = cube.value(ind.code, t) if here else figures.restricted(ind, t, None)
        others: list[Value] = [figures.read_value(reader, ind, r, own.year) for r in referents]
        series = [v for v in cube.series(ind.code, t) if v.value is not None] if here else []
        themes.setdefault(ind.theme, []).append(
            {"indicator": ind, "value": own, "referents": others, "series": series}
        )
    friches = figures.friche_sites(t, reader)
    etabs = figures.etablissements(t, reader)
    query = urlencode({"territory": t.id})
    return render(
        request,
        "portal/territory.html",
        {
            "title": f"{ref.name(t)} — portrait",
            "territory": t,
            "name": ref.name(t),
            "referents": [(r, ref.name(r)) for r in referents],
            "themes": themes,
            "children": ref.children(t)[:400],
            "friches": friches,
            "friches_map": points.friches_map(f"{reverse('api-v1:friches')}?{query}", ref.name(t)),
            "etablissements": etabs,
            "etablissements_theme": catalog()[figures.ETABLISSEMENTS_INDICATOR].theme,
            "etablissements_map": points.etablissements_map(
                f"{reverse('api-v1:etablissements')}?{query}", ref.name(t), etabs
            ),
            "zonages": figures.zonages_of(t),
            "peuplement": t.level in figures.PEUPLEMENT_LEVELS,
        },
    )


def indicators(request: HttpRequest) -> HttpResponse:
    items = [i for i in catalog().values() if readable(i, request)]
    return render(
        request,
        "portal/indicators.html",
        {"title": "Catalogue des indicateurs", "items": items, "statuses": statuses()},
    )


def statuses() -> list[tuple[str, str, str]]:
    """Each status as the pages name it, with its explanation (status.EXPLANATIONS)."""
    return [(str(s), LABELS[s] or "valeur diffusée", EXPLANATIONS[s]) for s in EXPLANATIONS]


def indicator(request: HttpRequest, code: str) -> HttpResponse:
    ind = catalog().get(code)
    if ind is None:
        raise Http404("Indicateur inconnu")
    message = refusal(ind, request, [])
    if message is not None:
        return refused(request, message)
    try:
        vintages = figures.cube().vintages(ind.code)
    except QueryError:
        vintages = []
    return render(
        request,
        "portal/indicator.html",
        {
            "title": ind.label,
            "indicator": ind,
            "vintages": vintages,
            "origins": figures.origins(ind),
            "recipes": figures.recipes(ind),
        },
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return refusals.error_page(
        request,
        404,
        "Page introuvable",
        "La page demandée n'existe pas ou le territoire est inconnu.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return refusals.error_page(
        request,
        500,
        "Erreur",
        "Une erreur est survenue ; elle a été enregistrée. Réessayez plus tard.",
    )
