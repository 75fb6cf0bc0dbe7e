"""Pages of the portal (French, DSFR). Figures come only through `portal.data`."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from observatoire.indicators.catalog import Indicator, catalog
from observatoire.indicators.query import QueryError, Value
from observatoire.portal import data
from observatoire.territories import Territory, TerritoryError


def readable(indicator: Indicator, request: HttpRequest) -> bool:
    """Deny by default: a restricted indicator is shown to signed-in users only."""
    return indicator.diffusion == "public" or bool(request.user.is_authenticated)


def home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    ref = data.referential()
    results = []
    if q:
        for t in ref.search(q, limit=30):
            results.append({"territory": t, "name": ref.names[t], "label": t.level.label})
    return render(
        request,
        "portal/home.html",
        {"title": "Accueil", "q": q, "results": results, "searched": bool(q)},
    )


def parse_territory(raw: str) -> Territory:
    try:
        t = Territory.parse(raw)
        data.referential().check(t)
    except TerritoryError as exc:
        raise Http404(str(exc)) from None
    return t


def territory(request: HttpRequest, territory_id: str) -> HttpResponse:
    t = parse_territory(territory_id)
    ref = data.referential()
    referents = ref.referents(t)
    themes: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    try:
        cube = data.cube()
    except QueryError as exc:
        return render(
            request,
            "portal/no_cube.html",
            {"title": "Données absentes", "message": str(exc)},
            status=503,
        )
    for ind in catalog().values():
        if not readable(ind, request):
            continue
        own = cube.value(ind.code, t)
        others: list[Value] = [cube.value(ind.code, r, own.year) for r in referents]
        series = [v for v in cube.series(ind.code, t) if v.value is not None]
        themes.setdefault(ind.theme, []).append(
            {"indicator": ind, "value": own, "referents": others, "series": series}
        )
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
        },
    )


def indicators(request: HttpRequest) -> HttpResponse:
    items = [i for i in catalog().values() if readable(i, request)]
    return render(
        request, "portal/indicators.html", {"title": "Catalogue des indicateurs", "items": items}
    )


def indicator(request: HttpRequest, code: str) -> HttpResponse:
    ind = catalog().get(code)
    if ind is None or not readable(ind, request):
        raise Http404("Indicateur inconnu")
    try:
        vintages = data.cube().vintages(ind.code)
    except QueryError:
        vintages = []
    return render(
        request,
        "portal/indicator.html",
        {"title": ind.label, "indicator": ind, "vintages": vintages},
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {
            "title": "Page introuvable",
            "code": 404,
            "message": "La page demandée n'existe pas ou le territoire est inconnu.",
        },
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {
            "title": "Erreur",
            "code": 500,
            "message": "Une erreur est survenue ; elle a été enregistrée. Réessayez plus tard.",
        },
        status=500,
    )
