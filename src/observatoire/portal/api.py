"""Open API v1 (JSON, OpenAPI documented at /api/v1/docs). Errors are French JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Path, Query
from ninja.errors import HttpError, ValidationError

from observatoire import figures, geo
from observatoire.accounts import audit
from observatoire.accounts.permissions import reader_of
from observatoire.figures import QueryError, Value
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.openapi import (
    INDICATOR_PATTERN,
    TERRITORY_EXAMPLES,
    TERRITORY_PATTERN,
    declared,
    errors,
)
from observatoire.portal import classes as classing
from observatoire.portal import exports
from observatoire.portal.api_docs import PortalApi, PortalSwagger
from observatoire.portal.views import readable, refusal
from observatoire.status import Status
from observatoire.territories import Level, Territory, TerritoryError, search

api = PortalApi(
    title="Observatoire de l'habitat — API ouverte",
    version="1",
    description=PortalApi.DESCRIPTION,
    urls_namespace="api-v1",
    docs=PortalSwagger(),
    openapi_extra=PortalApi.EXTRA,
)


_SEARCHED: Any = {"pattern": r"\S"}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
    return JsonResponse({"erreur": str(exc)}, status=exc.status_code)


@api.exception_handler(QueryError)
def no_cube(request: HttpRequest, exc: QueryError) -> JsonResponse:
    return JsonResponse({"erreur": str(exc)}, status=503)


@api.exception_handler(ValidationError)
def bad_parameter(request: HttpRequest, exc: ValidationError) -> JsonResponse:
    """Pydantic's English messages become one French sentence per parameter."""
    messages = []
    for err in exc.errors:
        name = str(err.get("loc", ["", "?"])[-1])
        kind, ctx = err.get("type", ""), err.get("ctx") or {}
        if kind == "missing" or (
            kind in ("string_too_short", "string_pattern_mismatch")
            and not str(err.get("input", "")).strip()
        ):
            messages.append(f"Paramètre « {name} » requis{_HINTS.get(name, '.')}")
        elif kind == "literal_error":
            expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
            messages.append(f"Paramètre « {name} » invalide : valeurs possibles {expected}.")
        elif kind in ("greater_than_equal", "less_than_equal"):
            messages.append(f"Paramètre « {name} » hors bornes : {_BOUNDS.get(name, '')}".strip())
        elif kind.startswith("int_"):
            messages.append(f"Paramètre « {name} » invalide : nombre entier attendu.")
        else:
            messages.append(f"Paramètre « {name} » invalide.")
    return JsonResponse({"erreur": " ".join(messages)}, status=400)


_HINTS = {"q": " : un nom ou un code de territoire."}
_BOUNDS = {"classes": "entre 2 et 9 classes.", "limit": "entre 1 et 100."}


def _territory(raw: str) -> Territory:
    try:
        t = Territory.parse(raw)
    except TerritoryError as exc:
        raise HttpError(400, str(exc)) from None
    if not figures.exists(t):
        raise HttpError(404, f"Territoire « {t.id} » inconnu.")
    return t


def _indicator(code: str, request: HttpRequest) -> Indicator:
    ind = catalog().get(code)
    if ind is None:
        raise HttpError(404, f"Indicateur « {code} » inconnu.")
    _check(ind, request, [])
    return ind


def _check(ind: Indicator, request: HttpRequest, territories: list[Territory]) -> None:
    """401 for anonymous callers (sign in or send a token), 403 for callers whose
    rights do not cover every territory asked for (the one permission function)."""
    message = refusal(ind, request, territories)
    if message is None:
        return
    if not request.user.is_authenticated:
        raise HttpError(
            401, message + " Depuis un script : en-tête « Authorization: Token <clé> »."
        )
    raise HttpError(403, message)


def _describe(t: Territory) -> dict[str, Any]:
    return {
        "id": t.id,
        "level": t.level.value,
        "code": t.code,
        "name": figures.referential().name(t),
    }


@api.get("/indicators", summary="Catalogue des indicateurs", tags=["indicateurs"])
def indicators(request: HttpRequest) -> list[dict[str, Any]]:
    return [i.as_dict() for i in catalog().values() if readable(i, request)]


@api.get(
    "/territories",
    summary="Recherche de territoires (nom ou code, sans accents)",
    tags=["territoires"],
    openapi_extra=errors(400),
)
def territories(
    request: HttpRequest,
    q: str = Query(..., description="Nom, code postal ou code INSEE.", **_SEARCHED),
    limit: int = Query(20, ge=1, le=100, description="Nombre de résultats, de 1 à 100."),
) -> list[dict[str, Any]]:
    return [_describe(h.territory) for h in _search(q, limit).hits]


@api.get(
    "/suggestions",
    summary="Suggestions de territoires pendant la saisie (nom, code postal, code INSEE)",
    tags=["territoires"],
    openapi_extra=errors(400),
)
def suggestions(
    request: HttpRequest,
    q: str = Query(..., description="Début d'un nom, code postal ou code INSEE.", **_SEARCHED),
    limit: int = Query(8, ge=1, le=100, description="Nombre de suggestions, de 1 à 100."),
) -> list[dict[str, Any]]:
    """The search of the portal (territories.search), with what a list of suggestions
    shows: the label ("Saint-Omer (62)"), the kind of territory and the département."""
    ref = figures.referential()
    return [
        {
            **_describe(h.territory),
            "label": h.label,
            "kind": h.kind,
            "departement": ref.commune_dep.get(h.territory.code)
            if h.territory.level is Level.COM
            else None,
        }
        for h in _search(q, limit).hits
    ]


def _search(q: str, limit: int) -> search.Results:
    if not q.strip():
        raise HttpError(400, "Paramètre « q » requis : un nom ou un code de territoire.")
    if not 1 <= limit <= 100:
        raise HttpError(400, "Paramètre « limit » entre 1 et 100.")
    return search.search(figures.referential(), q, limit)


@api.get(
    "/territories/{territory_id}",
    summary="Un territoire, ses référents et ses sous-territoires",
    tags=["territoires"],
    openapi_extra=errors(400, 404),
)
def territory(
    request: HttpRequest,
    territory_id: str = declared(
        Path(..., description="Identifiant du territoire."),
        TERRITORY_PATTERN,
        TERRITORY_EXAMPLES,
    ),
) -> dict[str, Any]:
    t = _territory(territory_id)
    ref = figures.referential()
    return {
        **_describe(t),
        "parents": [_describe(p) for p in ref.referents(t)],
        "children": [_describe(c) for c in ref.children(t)],
    }


@api.get(
    "/values",
    summary="Série d'un indicateur pour un territoire",
    tags=["valeurs"],
    openapi_extra=errors(400, 401, 403, 404, 503),
)
def values(
    request: HttpRequest,
    indicator: str = declared(
        Query(..., description="Code de l'indicateur (voir /indicators)."),
        INDICATOR_PATTERN,
        ["taux_vacance"],
    ),
    territory: str = declared(
        Query(
            ...,
            description="Territoire, par exemple COM:62498 ou EPCI:246200364.",
        ),
        TERRITORY_PATTERN,
        TERRITORY_EXAMPLES,
    ),
    year: int | None = Query(None, description="Année des données (défaut : toutes)."),
    format: Literal["json", "csv", "tableur", "xlsx"] = Query(
        "json",
        description="json (défaut), ou fichier à télécharger : csv (« ; », UTF-8, point "
        "décimal), tableur (CSV pour un tableur français : BOM, « ; », virgule décimale), xlsx.",
    ),
) -> Any:
    ind = _indicator(indicator, request)
    t = _territory(territory)
    _check(ind, request, [t])
    series = figures.cube().series(ind.code, t)
    if year is not None:
        series = [v for v in series if v.year == year]
    if format != "json":
        rows = [exports.row(v) for v in series]
        extra = [("Territoire", f"{figures.referential().name(t)} ({t.id})")]
        return _file(ind, rows, extra, exports.filename(ind.code, t.id, year, ext=format), format)
    out = []
    for v in series:
        d = v.as_dict()
        out.append({k: d[k] for k in ("year", "value", "status", "unit", "source", "note")})
    return {"indicator": ind.code, "label": ind.label, "territory": _describe(t), "values": out}


# Which level may sit inside which (a grouping is a set of communes, like an EPCI).
_RANK = {Level.COM: 0, Level.EPCI: 1, Level.GRP: 1, Level.DEP: 2, Level.REG: 3, Level.FR: 4}
# Up to this many sub-territories, one query each is faster than reading a whole level.
_FEW = 150


def _values_by_year(
    ind: Indicator, kids: list[Territory], within: Territory
) -> dict[int, dict[str, Value] | None]:
    """{year: {code: Value}} for the sub-territories, per year the cube holds (None: not
    read yet, see _at)."""
    cube = figures.cube()
    if len(kids) <= _FEW:
        out: dict[int, dict[str, Value]] = {}
        for t in kids:
            for v in cube.series(ind.code, t):
                if v.year is not None:
                    out.setdefault(v.year, {})[t.code] = v
        return dict(out)
    # The cube holds a row for every level and every year of a source, so the years of
    # `within` are those of its sub-territories; a year is read only when needed (_at).
    return {v.year: None for v in cube.series(ind.code, within) if v.year is not None}


def _at(
    ind: Indicator, kids: list[Territory], year: int, found: dict[str, Value] | None
) -> dict[str, Value]:
    if found is None:
        level_values = figures.cube().values_at(
            ind.code, kids[0].level, year, codes=[t.code for t in kids]
        )
        found = {t.code: level_values[t.code] for t in kids if t.code in level_values}
    names = figures.referential().names
    return {
        t.code: found.get(t.code)
        or Value.empty(
            ind, t, names.get(t, t.code), year=year, status=Status.MISSING, note="pas de donnée"
        )
        for t in kids
    }


def _pick(
    ind: Indicator, kids: list[Territory], within: Territory, year: int | None
) -> tuple[int, dict[str, Value]]:
    """The year asked for, or the latest one with a visible value in `within`."""
    years = _values_by_year(ind, kids, within)
    if not years:
        raise HttpError(404, f"Aucune donnée pour « {ind.code} » : source non chargée.")
    if year is not None:
        if year not in years:
            known = ", ".join(str(y) for y in sorted(years))
            raise HttpError(404, f"Pas de donnée pour {year} (années disponibles : {known}).")
        return year, _at(ind, kids, year, years[year])
    latest = None
    for y in sorted(years, reverse=True):
        found = _at(ind, kids, y, years[y])
        latest = latest or (y, found)
        if any(exports.shown(v) is not None for v in found.values()):
            return y, found
    assert latest is not None
    return latest


def _main_source(found: dict[str, Value]) -> dict[str, Any]:
    """The source of most visible values (of any value when none is visible)."""
    # Counted on the values, named once (naming each of the ~35,000 communes of France
    # cost 0.4 s on the France map).
    pairs = Counter((v.source, v.millesime) for v in found.values() if exports.shown(v) is not None)
    pairs = pairs or Counter((v.source, v.millesime) for v in found.values() if v.source)
    if not pairs:
        return {"name": None, "millesime": None}
    source, millesime = pairs.most_common(1)[0][0]
    return {"name": exports.source_label(source), "millesime": millesime}


def _file(
    ind: Indicator, rows: list[dict[str, Any]], extra: list[tuple[str, str]], name: str, ext: str
) -> HttpResponse:
    _downloaded(ind, name)
    meta = exports.metadata(ind, rows, extra) if ext == "xlsx" else ()
    return exports.download(exports.to_file(rows, ext, meta), name, ext)


def _downloaded(ind: Indicator, name: str) -> None:
    """Downloads of non-public figures go to the audit log (who took what, when)."""
    if ind.diffusion != "public":
        audit.record(audit.Action.TELECHARGEMENT, name, {"indicateur": ind.code})


def _map_scope(
    request: HttpRequest, indicator: str, level: str, within: str
) -> tuple[Indicator, Territory, Level, list[Territory]]:
    """The indicator, the englobing territory, the level and the sub-territories of a map,
    once the caller may read the englobing territory (401/403 otherwise)."""
    ind = _indicator(indicator, request)
    scope = _territory(within)
    lvl = Level(level)
    if _RANK[lvl] >= _RANK[scope.level] or (scope.level is Level.GRP and lvl is not Level.COM):
        raise HttpError(
            400,
            f"Niveau {lvl.label} non contenu dans {scope.id} ({scope.level.label}) : "
            "choisissez un niveau inférieur à celui du territoire englobant.",
        )
    kids = figures.referential().children(scope, lvl)
    if not kids:
        raise HttpError(404, f"Aucun territoire de niveau {lvl.label} dans {scope.id}.")
    # The territory asked for must be readable; a sub-territory that is not (an EPCI
    # straddling the edge of the scope) is served without its value (_readable_values).
    _check(ind, request, [scope])
    return ind, scope, lvl, kids


def _readable_values(
    request: HttpRequest, ind: Indicator, kids: list[Territory], scope: Territory, year: int | None
) -> tuple[int, dict[str, Value]]:
    year, found = _pick(ind, kids, scope, year)
    for t in reader_of(request.user).unreadable(ind.diffusion, kids):
        found[t.code] = figures.restricted(ind, t, year)
    return year, found


_MAP_DOC = (
    "Carte choroplèthe : une entité GeoJSON par sous-territoire de niveau `level` contenu dans "
    "`within`, avec `value`, `status` et `class` (indice de classe, null sans valeur). "
    "Les bornes `breaks` ([minimum, borne haute de chaque classe]) sont calculées sur les "
    "seules valeurs diffusables : une valeur secrète n'est jamais publiée ni prise en compte. "
    "Contours livrés : communes et EPCI des départements 14, 46, 53, 59 et 62, départements "
    "et régions de France métropolitaine (sinon 422) ; `format=csv` ou `xlsx` fonctionne "
    "partout."
)


@api.get(
    "/map",
    summary="Carte d'un indicateur (GeoJSON) et ses classes",
    description=_MAP_DOC,
    tags=["cartes"],
    openapi_extra=errors(400, 401, 403, 404, 422, 503),
)
def choropleth(
    request: HttpRequest,
    indicator: str = declared(
        Query(..., description="Code de l'indicateur (voir /indicators)."),
        INDICATOR_PATTERN,
        ["taux_vacance"],
    ),
    level: Literal["COM", "EPCI", "DEP", "REG"] = Query(
        ..., description="Niveau des territoires cartographiés : COM, EPCI, DEP ou REG."
    ),
    within: str = declared(
        Query(
            ...,
            description="Territoire englobant, d'un niveau supérieur : EPCI:246200364, DEP:62…",
        ),
        TERRITORY_PATTERN,
        TERRITORY_EXAMPLES,
    ),
    year: int | None = Query(
        None, description="Année des données (défaut : la plus récente ayant des valeurs)."
    ),
    method: Literal["quantiles", "jenks"] = Query(
        "quantiles", description="Classification : quantiles ou seuils naturels (Jenks)."
    ),
    classes: int = Query(5, ge=2, le=9, description="Nombre de classes, de 2 à 9."),
    format: Literal["json", "csv", "tableur", "xlsx", "geojson"] = Query(
        "json",
        description="json (défaut), ou fichier à télécharger : csv, tableur (CSV pour un "
        "tableur français : BOM, virgule décimale), xlsx, geojson.",
    ),
) -> Any:
    ind, scope, lvl, kids = _map_scope(request, indicator, level, within)
    ref = figures.referential()
    shapes = None
    if format in ("json", "geojson"):
        try:  # before the figures: a map without contours fails fast
            shapes = geo.features(lvl, scope, referential=ref, private=False)
        except geo.GeoError as exc:
            raise HttpError(422, str(exc)) from None
    year, found = _readable_values(request, ind, kids, scope, year)
    name = exports.filename(ind.code, exports.level_word(lvl.value), scope.id, year, ext=format)
    if shapes is None:
        rows = [exports.row(found[t.code]) for t in kids]
        extra = [
            ("Territoire", f"{ref.name(scope)} ({scope.id})"),
            ("Niveau", exports.level_word(lvl.value)),
            ("Année", str(year)),
        ]
        return _file(ind, rows, extra, name, format)
    visible = [x for x in (exports.shown(v) for v in found.values()) if x is not None]
    bounds = classing.breaks(visible, method, classes)
    features = []
    for feature in shapes["features"]:
        v = found[feature["properties"]["code"]]
        value = exports.shown(v)
        feature["properties"] = {
            "code": v.territory.code,
            "name": v.name,
            "value": value,
            "status": v.status,
            "class": classing.classify(value, bounds),
        }
        features.append(feature)
    doc = {
        "type": "FeatureCollection",
        "indicator": {"code": ind.code, "label": ind.label, "unit": ind.unit},
        "level": lvl.value,
        "year": year,
        "within": {"id": scope.id, "name": ref.name(scope)},
        "method": method,
        "classes": max(len(bounds) - 1, 0),
        "breaks": bounds,
        "source": _main_source(found),
        "bbox": shapes.get("bbox"),
        "features": features,
    }
    # Compact separators: the 887 communes of the Pas-de-Calais stay under 1 MB.
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if format == "geojson":
        _downloaded(ind, name)
        return exports.download(body, name, "geojson")
    return HttpResponse(body, content_type="application/geo+json")


@api.get(
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


@api.get(
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
