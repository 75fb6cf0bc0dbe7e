"""GET /api/v1/map/values: the values of a map without its geometry.

The geometry of communes, départements and régions is a static vector tile file
(observatoire.geo.tiles, cached once by the browser); a map asks here only for the codes,
values, statuses and class indices of its territories, and joins them on the tiles' `code`.
The Pas-de-Calais commune map is ~30 KB of values instead of ~1 MB of GeoJSON per request.

A territory without any value (status `missing`) is left out: the browser draws every code
absent from the payload as "non disponible", so a France commune map with values on a few
départements stays small. Diffusion is honoured as by /api/v1/map (same checks).
"""

from __future__ import annotations

import json
import weakref
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from observatoire import figures, geo
from observatoire.figures import Cube
from observatoire.indicators.catalog import catalog
from observatoire.openapi import errors
from observatoire.portal import classes as classing
from observatoire.portal import exports
from observatoire.portal.api_maps import _main_source, _map_scope, _readable_values
from observatoire.status import Status

router = Router(tags=["cartes"])

# The payloads of public indicators, per cube (a rebuilt cube is a new object, so its
# payloads start afresh): the same for every caller, and a map is asked for again and again
# (bench.maps: 75 ms to compute the Pas-de-Calais, mostly building 887 territories).
_PUBLIC: weakref.WeakKeyDictionary[Cube, dict[tuple[Any, ...], bytes]] = weakref.WeakKeyDictionary()
_KEEP = 64

_DOC = (
    "Valeurs d'une carte, sans géométrie : `codes`, `values`, `statuses` et `class` "
    "(listes parallèles, une entrée par territoire ayant une valeur ou un statut autre que "
    "« missing » ; un code absent est non disponible) et les bornes `breaks`. Les contours "
    "sont les tuiles vectorielles statiques du portail (couches communes, departements, "
    "regions ; propriété `code`). Mêmes droits que /map : une valeur restreinte n'est "
    "servie qu'à qui peut la lire."
)


@router.get(
    "/values",
    summary="Valeurs d'une carte (sans géométrie)",
    description=_DOC,
    openapi_extra=errors(400, 401, 403, 404, 422, 503),
)
def map_values(
    request: HttpRequest,
    indicator: str = Query(..., description="Code de l'indicateur (voir /indicators)."),
    level: Literal["COM", "EPCI", "DEP", "REG"] = Query(
        ..., description="Niveau des territoires cartographiés : COM, EPCI, DEP ou REG."
    ),
    within: str = Query(..., description="Territoire englobant : FR, REG:32, DEP:62…"),
    year: int | None = Query(
        None, description="Année des données (défaut : la plus récente ayant des valeurs)."
    ),
    method: Literal["quantiles", "jenks"] = Query(
        "quantiles", description="Classification : quantiles ou seuils naturels (Jenks)."
    ),
    classes: int = Query(5, ge=2, le=9, description="Nombre de classes, de 2 à 9."),
) -> HttpResponse:
    known = catalog().get(indicator)
    public = known is not None and known.diffusion == "public"
    key = (indicator, level, within, year, method, classes)
    cached = _PUBLIC.setdefault(figures.cube(), {}) if public else {}
    if key in cached:
        return HttpResponse(cached[key], content_type="application/json")
    ind, scope, lvl, kids = _map_scope(request, indicator, level, within)
    year, found = _readable_values(request, ind, kids, scope, year)
    shown = {code: exports.shown(v) for code, v in found.items()}
    bounds = classing.breaks([x for x in shown.values() if x is not None], method, classes)
    codes: list[str] = []
    values: list[float | None] = []
    statuses: list[str] = []
    klass: list[int | None] = []
    for code, v in found.items():
        if v.status == Status.MISSING and shown[code] is None:
            continue
        codes.append(code)
        values.append(shown[code])
        statuses.append(str(v.status))
        klass.append(classing.classify(shown[code], bounds))
    try:
        bbox: list[float] | None = list(geo.bounds(scope, referential=figures.referential()))
    except geo.GeoError:
        bbox = None
    doc: dict[str, Any] = {
        "indicator": {"code": ind.code, "label": ind.label, "unit": ind.unit},
        "level": lvl.value,
        "year": year,
        "within": {"id": scope.id, "name": figures.referential().name(scope)},
        "method": method,
        "breaks": bounds,
        "source": _main_source(found),
        "bbox": bbox,
        "count": len(kids),
        "codes": codes,
        "values": values,
        "statuses": statuses,
        "class": klass,
    }
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if public:
        if len(cached) >= _KEEP:  # oldest first: dicts keep their insertion order
            del cached[next(iter(cached))]
        cached[key] = body
    return HttpResponse(body, content_type="application/json")
