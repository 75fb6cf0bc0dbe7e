"""The peuplement page of a commune or an EPCI (CALL PLH 4-1, « observatoire du
peuplement »): occupancy of the social stock, demands and attributions, quartiers
prioritaires, each figure under its diffusion (figures.peuplement)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from observatoire import figures
from observatoire.accounts.permissions import reader_of
from observatoire.figures import QueryError
from observatoire.portal.views import parse_territory


def peuplement(request: HttpRequest, territory_id: str) -> HttpResponse:
    t = parse_territory(territory_id)
    if t.level not in figures.PEUPLEMENT_LEVELS:
        raise Http404("Le peuplement se consulte pour une commune ou un EPCI.")
    try:
        found = figures.peuplement(t, reader_of(request.user))
    except QueryError as exc:
        return render(
            request,
            "portal/no_cube.html",
            {"title": "Données absentes", "message": str(exc)},
            status=503,
        )
    name = figures.territory_name(t)
    names = {c: figures.territory_name(f"COM:{c}") for c in found.communes_qpv}
    return render(
        request,
        "portal/peuplement.html",
        {
            "title": f"{name} — peuplement",
            "territory": t,
            "name": name,
            "of_name": figures.territory_of_name(t),
            "peuplement": found,
            "communes_qpv": [names[c] for c in found.communes_qpv],
            "quartiers": [
                {
                    "q": q,
                    "where": f"quartier intercommunal : {q.communes}"
                    if q.intercommunal
                    else names[q.code_commune],
                    "population": "non diffusée"
                    if q.population is None
                    else figures.french_number(q.population, 0)
                    + (" (quartier entier)" if q.intercommunal else ""),
                }
                for q in found.quartiers
            ],
        },
    )
