"""GET /api/v1/friches and /api/v1/etablissements: the points of a territory's brownfield
sites (Cartofriches) and accommodation establishments (FINESS), as GeoJSON, under the
same rights as the rest of the open API (a restricted source is served only to whoever
may read it in that territory)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from observatoire import figures
from observatoire.accounts.permissions import reader_of
from observatoire.indicators.catalog import catalog
from observatoire.openapi import TERRITORY_EXAMPLES, TERRITORY_PATTERN, declared, errors
from observatoire.portal.api import _check, _describe, _territory
from observatoire.territories import Territory

router = Router(tags=["cartes"])


@router.get(
    "/friches",
    summary="Sites en friche d'un territoire (GeoJSON de points, Cartofriches)",
    url_name="friches",
    tags=["cartes"],
    openapi_extra=errors(400, 401, 403, 404, 503),
)
def friches(
    request: HttpRequest,
    territory: str = declared(
        Query(
            ...,
            description="Territoire : COM:62498, EPCI:246200364, DEP:62…",
        ),
        TERRITORY_PATTERN,
        TERRITORY_EXAMPLES,
    ),
) -> HttpResponse:
    t = _territory(territory)
    listed = figures.friche_sites(t, reader_of(request.user))
    if listed.restricted:
        _check(catalog()[figures.FRICHES_INDICATOR], request, [t])
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s.longitude, s.latitude]},
            "properties": {
                "site_id": s.site_id,
                "nom": s.nom,
                "type": s.type,
                "statut": s.statut,
                "surface_m2": s.surface,
                "commune": s.commune,
                "commune_nom": s.commune_nom,
            },
        }
        for s in listed.sites
        if s.longitude is not None and s.latitude is not None
    ]
    return _points(t, {"name": "Cartofriches (Cerema)", "millesime": listed.millesime}, features)


def _points(t: Territory, source: dict[str, Any], features: list[dict[str, Any]]) -> HttpResponse:
    doc = {"type": "FeatureCollection", "territory": _describe(t), "source": source,
           "features": features}  # fmt: skip
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return HttpResponse(body, content_type="application/geo+json")


@router.get(
    "/etablissements",
    summary="Établissements d'hébergement d'un territoire (GeoJSON de points, FINESS)",
    url_name="etablissements",
    tags=["cartes"],
    openapi_extra=errors(400, 401, 403, 404, 503),
)
def etablissements(
    request: HttpRequest,
    territory: str = declared(
        Query(..., description="Territoire : COM:62498, EPCI:246200364, DEP:62…"),
        TERRITORY_PATTERN,
        TERRITORY_EXAMPLES,
    ),
) -> HttpResponse:
    """CHRS, CADA, CPH, pensions de famille, résidences sociales, FJT et LHSS (catégories
    FINESS) ; un établissement non localisé (projection inconnue) n'a pas de point."""
    t = _territory(territory)
    listed = figures.etablissements(t, reader_of(request.user))
    if listed.restricted:
        _check(catalog()[figures.ETABLISSEMENTS_INDICATOR], request, [t])
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]},
            "properties": {
                "nofinesset": e.nofinesset,
                "nom": e.nom,
                "type": e.type,
                "categorie": e.categorie,
                "places": e.places,
                "commune": e.commune,
                "commune_nom": e.commune_nom,
            },
        }
        for e in listed.located
    ]
    source = {"name": "FINESS (DREES)", "millesime": listed.millesime,
              "non_localises": listed.unlocated}  # fmt: skip
    return _points(t, source, features)
