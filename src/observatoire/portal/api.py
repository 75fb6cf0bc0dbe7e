"""Open API v1 (JSON, OpenAPI documented at /api/v1/docs). Errors are French JSON."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Path, Query
from ninja.errors import HttpError, ValidationError

from observatoire import figures
from observatoire.accounts import audit
from observatoire.figures import QueryError
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.openapi import (
    INDICATOR_PATTERN,
    TERRITORY_EXAMPLES,
    TERRITORY_PATTERN,
    declared,
    errors,
)
from observatoire.portal import exports
from observatoire.portal.api_docs import PortalApi, PortalSwagger
from observatoire.portal.views import readable, refusal
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
