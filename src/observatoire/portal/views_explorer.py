"""Explorer (one indicator over the sub-territories of a territory: map, legend, sortable
table, downloads) and comparison (up to six territories side by side) pages.

Figures come only through `observatoire.figures`. The map is drawn by the browser from the open
API (/api/v1/map, which also classifies the values); the page itself always carries the
same values as a server-rendered table, so nothing depends on JavaScript or WebGL."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from observatoire import figures, geo
from observatoire.accounts.audit import current_request
from observatoire.accounts.permissions import reader_of
from observatoire.figures import Cube, QueryError, Value
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.portal import comparison, tables
from observatoire.portal.views import readable, refusal
from observatoire.portrait import charts
from observatoire.territories import Level, Territory, TerritoryError, search
from observatoire.territories.referential import Referential

LEVELS = {
    Level.COM: "Communes",
    Level.EPCI: "Intercommunalités (EPCI)",
    Level.DEP: "Départements",
}
METHODS = {"quantiles": "Quantiles (effectifs égaux)", "jenks": "Seuils naturels (Jenks)"}
CLASSES = 5
DEFAULT_INDICATOR = "taux_vacance"
DEFAULT_WITHIN = "EPCI:246200364"
MAX_COMPARED = 6
# The figures a housing policy (PLH, PDH) starts from; taux_pauvrete drops out for
# anonymous users when it is restricted.
KEY_INDICATORS = (
    "log_total",
    "taux_vacance",
    "part_residences_secondaires",
    "taux_lls",
    "revenu_median",
    "taux_pauvrete",
    "dvf_prix_m2_moyen",
)
# Which level may sit inside which: a grouping is a set of communes, like an EPCI.
_RANK = {Level.COM: 0, Level.EPCI: 1, Level.GRP: 1, Level.DEP: 2, Level.REG: 3, Level.FR: 4}
# The sub-territories mapped on a portrait (levels the map endpoint serves).
SUBLEVEL = {Level.EPCI: Level.COM, Level.GRP: Level.COM, Level.DEP: Level.EPCI}
DOWNLOADS = (
    ("csv", "CSV"),
    ("tableur", "CSV pour tableur (virgule décimale)"),
    ("xlsx", "Excel (XLSX)"),
    ("geojson", "GeoJSON"),
)


class ParamError(ValueError):
    """A request parameter a page cannot use: French message and HTTP status."""

    def __init__(
        self,
        message: str,
        status: int = 400,
        suggestions: list[tuple[str, str]] | None = None,
        field: str = "",
    ):
        super().__init__(message)
        self.status = status
        # (label, territory id) to offer as links in place of the `field` value typed.
        self.suggestions = suggestions or []
        self.field = field


# ------------------------------------------------------------------ parameters
def readable_items(request: HttpRequest) -> list[Indicator]:
    """The indicators the user may read somewhere (those to offer in a list)."""
    return [i for i in catalog().values() if readable(i, request)]


def check_readable(request: HttpRequest, ind: Indicator, territories: list[Territory]) -> None:
    """ParamError unless the user may read `ind` about every one of `territories` (none:
    anywhere at all): 401 for anonymous users (sent to sign in), 403 for the others."""
    message = refusal(ind, request, territories)
    if message is not None:
        raise ParamError(message, 403 if request.user.is_authenticated else 401)


def pick_indicator(
    request: HttpRequest, code: str, territories: list[Territory] | None = None
) -> Indicator:
    ind = catalog().get(code)
    if ind is None:
        raise ParamError(f"Indicateur « {code} » inconnu : choisissez-en un dans la liste.")
    check_readable(request, ind, territories or [])
    return ind


def pick_territory(raw: str, ref: Referential) -> Territory:
    """A territory id (COM:62498, EPCI:246200364...) or a name written as the suggestions
    write it ("Pas-de-Calais", "CA de Lens - Liévin", "Saint-Omer (62)"); anything else
    gets suggestions, not a guess (« Lens » is a commune and the name of an EPCI)."""
    if not raw:
        raise ParamError(
            f"Indiquez un territoire par son nom ou son identifiant, par exemple {DEFAULT_WITHIN}."
        )
    try:
        t: Territory | None = Territory.parse(raw)
    except TerritoryError:
        t = None
    if t is not None and ref.exists(t):
        return t
    results = search.search(ref, raw, limit=5)
    typed = search.words_of(raw)
    named = [h for h in results.hits if search.words_of(h.label) == typed]
    if t is None and len(named) == 1:
        return named[0].territory
    hint = ""
    if results.hits:
        hint = (
            " Vouliez-vous dire : "
            + ", ".join(f"{h.name} ({h.territory.id})" for h in results.hits)
            + " ?"
        )
    reason = "est inconnu" if t is not None else "n'est pas un identifiant de territoire"
    raise ParamError(
        f"« {raw} » {reason} (forme attendue : un nom tel que proposé, ou COM:62498, "
        f"EPCI:246200364, DEP:62...).{hint}",
        suggestions=[(h.label, h.territory.id) for h in results.hits],
        field=raw,
    )


def pick_level(raw: str, within: Territory) -> Level:
    try:
        level = Level(raw)
    except ValueError:
        level = None
    if level not in LEVELS:
        raise ParamError(f"Niveau « {raw} » inconnu : communes (COM), EPCI ou départements (DEP).")
    assert level is not None
    if _RANK[level] >= _RANK[within.level]:
        raise ParamError(
            f"Un territoire de niveau {level.label} n'est pas contenu dans "
            f"{within.id} ({within.level.label}) : choisissez un niveau plus fin ou un "
            "territoire plus large."
        )
    return level


def pick_year(raw: str, years: list[int], default: int | None) -> int | None:
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError:
        raise ParamError(
            f"Année « {raw} » invalide : indiquez une année sur quatre chiffres."
        ) from None
    if year not in years:
        known = ", ".join(str(y) for y in years) or "aucune"
        raise ParamError(f"Pas de donnée pour {year} (années disponibles : {known}).")
    return year


def years_of(cube: Cube, code: str, t: Territory) -> tuple[list[int], int | None]:
    """The years the cube holds for an indicator, and the latest one with a figure."""
    years = sorted({v.year for v in cube.series(code, t) if v.year is not None})
    return years, cube.value(code, t).year


# ------------------------------------------------------------------ the choropleth block
TILE_LAYERS = {Level.COM: "communes", Level.DEP: "departements", Level.REG: "regions"}


def choropleth(
    ind: Indicator, level: Level, within: Territory, year: int, method: str
) -> dict[str, Any]:
    """Everything the shared map block (_choropleth.html) shows: the rows of the table, the
    API URLs of the map and the downloads, or why there is no map.

    The figures of `within` and of each sub-territory are checked against the rights of
    the user being served, whoever the caller is (a page, a template tag)."""
    ref = figures.referential()
    children = ref.children(within, level)
    request = current_request()
    if request is None:
        raise ParamError("Carte indisponible hors d'une requête.", 403)
    check_readable(request, ind, [within])
    # Sorted and paged on the names; only the page's values are read (a map of the
    # ~35,000 communes of France shows 50 rows: the map reads its values itself).
    rows: list[dict[str, Any]] = [{"territory": t, "name": ref.name(t)} for t in children]
    tables.sort_rows(rows)
    table = tables.table_page(rows, request)
    shown = table["rows"]
    values = figures.read_values(
        reader_of(request.user), ind, [r["territory"] for r in shown], year
    )
    for r in shown:
        v = values[r["territory"]]
        r["value"] = v
        r["sort"] = "" if v.value is None else repr(v.value)
    query = urlencode(
        {
            "indicator": ind.code,
            "level": level.value,
            "within": within.id,
            "year": year,
            "method": method,
            "classes": CLASSES,
        }
    )
    api = reverse("api-v1:api-root")
    # Communes, départements and régions of any territory but a grouping are drawn on the
    # vector tiles of France (geo.tiles) with a values-only payload; EPCI and groupings
    # keep the GeoJSON of /map.
    layer = TILE_LAYERS.get(level) if within.level is not Level.GRP else None
    geo_error = None
    bbox = ""
    if layer is not None:
        # In the page, so that the map frames its territory and loads its tiles while the
        # values are on their way.
        with contextlib.suppress(geo.GeoError):
            bbox = ",".join(f"{x:.5f}" for x in geo.bounds(within, referential=ref))
    if layer is None:
        try:
            # Only to know whether contours are shipped: the browser gets them from the API.
            geo.features(level, within, referential=ref)
        except geo.GeoError:
            geo_error = "Fond de carte non disponible pour ce territoire."
    return {
        "indicator": ind,
        "source": _credits(figures.main_source(ind, within, level, year)),
        "level": level,
        "level_label": level.plural,
        "within": within,
        "within_name": ref.name(within),
        # "communes du Pas-de-Calais", "de la CA de Lens - Liévin" (territories.articles).
        "within_of": figures.territory_of_name(within),
        "year": year,
        "method": method,
        "method_label": METHODS[method],
        "count": len(rows),
        "table": table,
        "map_url": f"{api}map?{query}",
        "values_url": f"{api}map/values?{query}" if layer else None,
        "tiles_url": static("portal/tiles/france.pmtiles") if layer else None,
        "tile_layer": layer,
        "bbox": bbox,
        "geo_error": geo_error,
        "downloads": [(label, f"{api}map?{query}&format={fmt}") for fmt, label in DOWNLOADS],
    }


def _credits(first: Value | None) -> str:
    """ "Source, millésime" of a map's credits, from one value of its main source."""
    if first is None or not first.source:
        return ""
    label = first.as_dict()["source"]["name"]
    return f"{label}, millésime {first.millesime}" if first.millesime else str(label)


# ------------------------------------------------------------------ pages
def suggestion_links(request: HttpRequest, exc: ParamError, name: str) -> list[tuple[str, str]]:
    """The same page with the ambiguous value of parameter `name` replaced by each
    suggested territory (links: no JavaScript needed)."""
    out = []
    for label, territory_id in exc.suggestions:
        params = [
            (k, territory_id if k == name and v.strip() == exc.field else v)
            for k, values in request.GET.lists()
            for v in values
        ]
        out.append((label, f"{request.path}?{urlencode(params)}"))
    return out


def _no_cube(request: HttpRequest, exc: QueryError) -> HttpResponse:
    return render(
        request,
        "portal/no_cube.html",
        {"title": "Données absentes", "message": str(exc)},
        status=503,
    )


def explorer(request: HttpRequest) -> HttpResponse:
    form = {
        "indicator": request.GET.get("indicator", "").strip() or DEFAULT_INDICATOR,
        "level": request.GET.get("level", "").strip() or Level.COM.value,
        "within": request.GET.get("within", "").strip() or DEFAULT_WITHIN,
        "year": request.GET.get("year", "").strip(),
        "method": request.GET.get("method", "").strip() or "quantiles",
    }
    context: dict[str, Any] = {
        "title": "Explorer un indicateur",
        "items": readable_items(request),
        "levels": [(lvl.value, label) for lvl, label in LEVELS.items()],
        "methods": list(METHODS.items()),
        "form": form,
        "years": [],
    }
    try:
        cube = figures.cube()
    except QueryError as exc:
        return _no_cube(request, exc)
    status = 200
    try:
        context.update(_explore(request, cube, form))
    except ParamError as exc:
        if exc.status == 401:
            return redirect_to_login(request.get_full_path())
        context["error"] = str(exc)
        context["suggestions"] = suggestion_links(request, exc, "within")
        context["title"] = "Paramètres à corriger — explorer un indicateur"
        status = exc.status
    return render(request, "portal/explorer.html", context, status=status)


def _explore(request: HttpRequest, cube: Cube, form: dict[str, str]) -> dict[str, Any]:
    ind = pick_indicator(request, form["indicator"])
    ref = figures.referential()
    within = pick_territory(form["within"], ref)
    level = pick_level(form["level"], within)
    check_readable(request, ind, [within])
    if form["method"] not in METHODS:
        raise ParamError(f"Méthode « {form['method']} » inconnue : quantiles ou jenks.")
    years, latest = years_of(cube, ind.code, within)
    year = pick_year(form["year"], years, latest)
    out: dict[str, Any] = {"years": years, "indicator": ind}
    if year is None:
        out["empty"] = f"Aucune donnée pour « {ind.label} » : la source n'est pas chargée."
        return out
    form["year"] = str(year)
    block = choropleth(ind, level, within, year, form["method"])
    out["map"] = block
    out["title"] = f"{ind.label}, {block['level_label']} {block['within_of']} ({year})"
    return out


def compare(request: HttpRequest) -> HttpResponse:
    raw = [x.strip() for x in request.GET.getlist("t") if x.strip()]
    chosen = [c.strip() for c in request.GET.getlist("indicator") if c.strip()]
    items = readable_items(request)
    default = [c for c in KEY_INDICATORS if any(i.code == c for i in items)]
    context: dict[str, Any] = {
        "title": "Comparer des territoires",
        "items": items,
        "slots": raw + [""] * max(0, MAX_COMPARED - len(raw)),
        "chosen": chosen or default,
        "max": MAX_COMPARED,
    }
    if not raw:
        return render(request, "portal/compare.html", context)
    try:
        cube = figures.cube()
    except QueryError as exc:
        return _no_cube(request, exc)
    try:
        context.update(_compare(request, cube, raw, chosen or default, explicit=bool(chosen)))
        fmt = request.GET.get("format", "").strip()
        if fmt:
            if fmt not in dict(comparison.FORMATS):
                raise ParamError(f"Format « {fmt} » inconnu : csv ou xlsx.")
            return comparison.download(context, fmt)
    except ParamError as exc:
        if exc.status == 401:
            return redirect_to_login(request.get_full_path())
        context["error"] = str(exc)
        context["suggestions"] = suggestion_links(request, exc, "t")
        context["title"] = "Paramètres à corriger — comparer des territoires"
        return render(request, "portal/compare.html", context, status=exc.status)
    context["downloads"] = comparison.links(request)
    return render(request, "portal/compare.html", context)


def _compare(
    request: HttpRequest, cube: Cube, raw: list[str], codes: list[str], explicit: bool
) -> dict[str, Any]:
    if len(raw) > MAX_COMPARED:
        raise ParamError(
            f"Vous pouvez comparer au plus {MAX_COMPARED} territoires ; vous en avez indiqué "
            f"{len(raw)}. Retirez-en {len(raw) - MAX_COMPARED} pour lancer la comparaison."
        )
    ref = figures.referential()
    territories: list[Territory] = []
    for r in raw:
        t = pick_territory(r, ref)
        if t not in territories:
            territories.append(t)
    reader = reader_of(request.user)
    indicators = []
    for c in dict.fromkeys(codes):
        try:
            # Chosen by the user: readable for one of the territories is enough, the cells
            # out of reach are marked "accès restreint" (issue #14 §5); readable for none of
            # them, the refusal stands. The default selection quietly leaves out what the
            # user may not read about all of them.
            ind = pick_indicator(request, c, None if explicit else territories)
            if explicit and not any(reader.can_read(ind.diffusion, t) for t in territories):
                ind = pick_indicator(request, c, territories)
            indicators.append(ind)
        except ParamError:
            if explicit:
                raise
    names = [ref.name(t) for t in territories]
    # Two territories may share a name (Paris the commune, Paris the département).
    labels = [
        n if names.count(n) == 1 else f"{n} ({t.id})"
        for n, t in zip(names, territories, strict=True)
    ]
    rows = []
    for i, ind in enumerate(indicators):
        # One year per indicator for all territories: the latest any of them has.
        # (only those the user may read: a restricted cell gives nothing away, not even a year)
        latest = [
            cube.value(ind.code, t).year for t in territories if reader.can_read(ind.diffusion, t)
        ]
        year = max((y for y in latest if y is not None), default=None)
        values = [figures.read_value(reader, ind, t, year) for t in territories]
        pairs = list(zip(labels, values, strict=True))
        rows.append(
            {
                "indicator": ind,
                "year": year,
                "values": values,
                "pairs": pairs,
                "spec": charts.bar_spec(ind, pairs, year),
                "cells": [comparison.cell(v) for v in values],
                "sources": comparison.sources(values),
                "spec_id": f"comparaison-{i}",
            }
        )
    title = "Comparaison : " + ", ".join(names)
    return {
        "territories": list(zip(territories, labels, strict=True)),
        "rows": rows,
        "title": title,
    }
