"""Open API v1 (JSON, OpenAPI documented at /api/v1/docs). Errors are French JSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError

from observatoire.indicators.catalog import catalog
from observatoire.indicators.query import QueryError
from observatoire.portal import data
from observatoire.portal.views import readable
from observatoire.territories import Territory, TerritoryError

api = NinjaAPI(
    title="Observatoire de l'habitat — API ouverte",
    version="1",
    description="Indicateurs de l'habitat à toutes les échelles, avec source, millésime et statut.",
    urls_namespace="api-v1",
)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
    return JsonResponse({"erreur": str(exc)}, status=exc.status_code)


@api.exception_handler(QueryError)
def no_cube(request: HttpRequest, exc: QueryError) -> JsonResponse:
    return JsonResponse({"erreur": str(exc)}, status=503)


def _territory(raw: str) -> Territory:
    try:
        t = Territory.parse(raw)
    except TerritoryError as exc:
        raise HttpError(400, str(exc)) from None
    if not data.referential().exists(t):
        raise HttpError(404, f"Territoire « {t.id} » inconnu.")
    return t


def _describe(t: Territory) -> dict[str, Any]:
    return {"id": t.id, "level": t.level.value, "code": t.code, "name": data.referential().name(t)}


@api.get("/indicators", summary="Catalogue des indicateurs")
def indicators(request: HttpRequest) -> list[dict[str, Any]]:
    return [i.as_dict() for i in catalog().values() if readable(i, request)]


@api.get("/territories", summary="Recherche de territoires (nom ou code, sans accents)")
def territories(request: HttpRequest, q: str = "", limit: int = 20) -> list[dict[str, Any]]:
    if not q.strip():
        raise HttpError(400, "Paramètre « q » requis : un nom ou un code de territoire.")
    if not 1 <= limit <= 100:
        raise HttpError(400, "Paramètre « limit » entre 1 et 100.")
    return [_describe(t) for t in data.referential().search(q, limit=limit)]


@api.get(
    "/territories/{territory_id}", summary="Un territoire, ses référents et ses sous-territoires"
)
def territory(request: HttpRequest, territory_id: str) -> dict[str, Any]:
    t = _territory(territory_id)
    ref = data.referential()
    return {
        **_describe(t),
        "parents": [_describe(p) for p in ref.referents(t)],
        "children": [_describe(c) for c in ref.children(t)],
    }


@api.get("/values", summary="Série d'un indicateur pour un territoire")
def values(
    request: HttpRequest, indicator: str, territory: str, year: int | None = None
) -> dict[str, Any]:
    ind = catalog().get(indicator)
    if ind is None:
        raise HttpError(404, f"Indicateur « {indicator} » inconnu.")
    if not readable(ind, request):
        raise HttpError(401, "Indicateur à diffusion restreinte : connectez-vous.")
    t = _territory(territory)
    series = data.cube().series(ind.code, t)
    if year is not None:
        series = [v for v in series if v.year == year]
    rows = []
    for v in series:
        d = v.as_dict()
        rows.append({k: d[k] for k in ("year", "value", "status", "unit", "source", "note")})
    return {"indicator": ind.code, "label": ind.label, "territory": _describe(t), "values": rows}
