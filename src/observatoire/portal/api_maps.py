"""GET /api/v1/map: a choropleth map of an indicator over the sub-territories of a
territory (GeoJSON with values, statuses and class indices, or the same rows as a file),
and what the maps of the open API share: the scope of a map, its readable values, the
year shown and the source named in its credits (map_values.py serves the values alone)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.errors import HttpError

from observatoire import figures, geo
from observatoire.accounts.permissions import reader_of
from observatoire.figures import Value
from observatoire.indicators.catalog import Indicator
from observatoire.openapi import (
    INDICATOR_PATTERN,
    TERRITORY_EXAMPLES,
    TERRITORY_PATTERN,
    declared,
    errors,
)
from observatoire.portal import classes as classing
from observatoire.portal import exports
from observatoire.portal.api import _check, _downloaded, _file, _indicator, _territory
from observatoire.status import Status
from observatoire.territories import Level, Territory

router = Router(tags=["cartes"])


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


@router.get(
    "/map",
    summary="Carte d'un indicateur (GeoJSON) et ses classes",
    description=_MAP_DOC,
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
