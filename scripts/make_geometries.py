"""Regenerate the contours shipped in src/observatoire/geo/data/ (run once; output committed).

Reads the IGN Admin Express 2018 contours as simplified by gregoiredavid/france-geojson
(../shared/data/real/geo/france-geojson, not available at run time; see
src/observatoire/geo/data/SOURCES.md) and writes gzipped GeoJSON, WGS84, 5 decimals:

- communes-<dep>.geojson.gz: the communes of COG 2026 of the target départements. The
  source is COG 2018: communes merged since are dissolved into their current commune through
  `vintages.passage(2018)`. A commune split (re-established) since 2018 has no boundary
  in the source: its former host keeps the 2018 contour, flagged `approximate`, and the
  restored commune gets a feature without geometry, flagged `geometry_missing`. No boundary
  is ever invented.
- epci.geojson.gz: the EPCI touching the target départements, dissolved from their member
  communes; those with members outside the target départements are flagged `partial`.
- departements-detail.geojson.gz: the target départements dissolved from the same commune
  mesh (their outline matches the commune borders exactly).
- departements.geojson.gz, regions.geojson.gz: metropolitan France from the national
  simplified files (each a consistent layer on its own; overseas are not in the source).
- index.json: coverage, flags, the 2018 codes of each dissolved commune, sizes.

Neighbouring communes share their borders in the source (a valid polygon coverage, checked
here); they are dissolved with coverage unions and, only if a layer is over budget,
simplified with `coverage_simplify` on the whole mesh at once, which keeps shared edges
shared (including across département borders).
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from observatoire.territories import Level, Territory
from observatoire.territories.referential import COG_YEAR, national
from observatoire.territories.vintages import passage

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real/geo/france-geojson")
OUT = Path(__file__).resolve().parent.parent / "src/observatoire/geo/data"
SOURCE_COG = 2018
DEPS = {
    "14": "14-calvados",
    "46": "46-lot",
    "53": "53-mayenne",
    "59": "59-nord",
    "62": "62-pas-de-calais",
}
BUDGET = 1_500_000  # bytes of compact JSON text for one département's commune layer
TOLERANCES = (0.0, 0.0002, 0.0005, 0.001, 0.002)  # degrees, coverage_simplify
ORIGIN = (
    "IGN Admin Express 2018 (COG 2018), simplifié par gregoiredavid/france-geojson "
    "(commit 1e9e6603cedeaad4c215c0b5c88043cffa88ac9b), Licence Ouverte"
)

REF = national()
SPLIT_ACROSS = (
    "Contour approché : une commune scindée depuis 2018 a laissé une partie de son territoire "
    "de part et d'autre de cette limite, sans limite connue."
)


def nom(level: Level, code: str) -> str:
    return REF.name(Territory(level, code))


def listing(codes: list[str]) -> str:
    names = [f"{nom(Level.COM, c)} ({c})" for c in sorted(codes)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """14174 Condé-en-Normandie touches itself at a point (invalid ring): make it valid."""
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def read_2018() -> tuple[dict[str, shapely.Geometry], dict[str, str]]:
    geoms: dict[str, shapely.Geometry] = {}
    names: dict[str, str] = {}
    for dep, folder in DEPS.items():
        path = SHARED / "departements" / folder / f"communes-{folder}.geojson"
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            code = f["properties"]["code"]
            geoms[code] = polygonal(shape(f["geometry"]))
            names[code] = f["properties"]["nom"]
            assert code[:2] == dep, code
    if not shapely.coverage_is_valid(list(geoms.values())):
        raise SystemExit("Les contours 2018 ne forment pas un pavage valide.")
    return geoms, names


def assign(
    geoms: dict[str, shapely.Geometry], names_2018: dict[str, str]
) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str], dict[str, list[str]]]:
    """2026 code -> its 2018 parts; notes of approximate and missing communes; splits."""
    table = passage(SOURCE_COG)
    targets: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for row in table.iter_rows(named=True):
        if row["old_code"] in geoms:
            targets[row["old_code"]].append((row["new_code"], row["weight"]))
    current = {c for c, d in REF.commune_dep.items() if d in DEPS}
    parts: dict[str, list[str]] = defaultdict(list)
    approximate: dict[str, str] = {}
    split_of: dict[str, str] = {}
    splits: dict[str, list[str]] = {}
    for old in geoms:
        dest = targets.get(old) or ([(old, 1.0)] if old in current else [])
        if not dest:
            raise SystemExit(f"{old} (COG 2018) introuvable dans la table de passage.")
        new_codes = sorted({c for c, _ in dest})
        if len(new_codes) == 1:
            parts[new_codes[0]].append(old)
            continue
        # Split since 2018: the source holds no boundary between the parts. The part that
        # kept the old code (else the most populated) keeps the whole 2018 contour.
        host = old if old in new_codes else max(dest, key=lambda d: d[1])[0]
        parts[host].append(old)
        others = [c for c in new_codes if c != host]
        splits[host] = others
        approximate[host] = (
            f"Contour COG {SOURCE_COG} de {names_2018[old]} ({old}), scindée depuis : "
            f"il couvre aussi {listing(others)}, faute de limite connue entre elles."
        )
        for c in others:
            split_of[c] = (
                f"Pas de contour : commune issue de la scission de {names_2018[old]} ({old}) "
                f"après {SOURCE_COG} ; son territoire est compris dans celui de "
                f"{listing([host])}."
            )
    for code in set(parts) - current:
        raise SystemExit(f"{code} (COG {COG_YEAR}) hors des départements {sorted(DEPS)}.")
    missing = {c: split_of.get(c, "Pas de contour dans la source.") for c in current - set(parts)}
    # A restored commune that also received another 2018 commune is only approximate.
    for c in set(split_of) & set(parts):
        approximate[c] = split_of[c].replace("Pas de contour", "Contour incomplet")
    return dict(parts), approximate, missing, splits


def containers_split(splits: dict[str, list[str]], of: dict[str, str]) -> set[str]:
    """EPCI or départements whose contour is wrong because a split crosses their border."""
    out: set[str] = set()
    for host, others in splits.items():
        sides = {of.get(c, "") for c in [host, *others]}
        if len(sides) > 1:
            out |= sides - {""}
    return out


def rounded(obj: Any) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(obj[0], 5), round(obj[1], 5)]
        return [rounded(o) for o in obj]
    return obj


def feature(level: Level, code: str, geom: shapely.Geometry | None, note: dict[str, str]) -> dict:
    props: dict[str, Any] = {"code": code, "nom": nom(level, code), "level": level.value}
    props["flags"] = sorted(note)
    if note:
        props["note"] = " ".join(note[k] for k in sorted(note))
    if geom is None:
        return {"type": "Feature", "properties": props, "geometry": None}
    geom = shapely.orient_polygons(geom)  # RFC 7946: exterior rings counterclockwise
    geometry = {"type": geom.geom_type, "coordinates": rounded(mapping(geom)["coordinates"])}
    bbox = [round(b, 5) for b in geom.bounds]
    return {"type": "Feature", "properties": props, "bbox": bbox, "geometry": geometry}


def text(features: list[dict], name: str) -> str:
    """Compact GeoJSON, one feature per line: observatoire.geo reads a feature without
    parsing the whole file."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    head = json.dumps(
        {"type": "FeatureCollection", "name": name}, ensure_ascii=False, separators=(",", ":")
    )
    return head[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def write(name: str, features: list[dict], sizes: dict[str, dict[str, int]]) -> None:
    body = text(features, name.removesuffix(".geojson.gz")).encode("utf-8")
    packed = gzip.compress(body, 9, mtime=0)
    (OUT / name).write_bytes(packed)
    sizes[name] = {"features": len(features), "json_bytes": len(body), "gzip_bytes": len(packed)}


def communes_2026(
    parts: dict[str, list[str]], geoms: dict[str, shapely.Geometry]
) -> tuple[dict[str, shapely.Geometry], float]:
    codes = sorted(parts)
    dissolved = [shapely.coverage_union_all([geoms[o] for o in parts[c]]) for c in codes]
    for tolerance in TOLERANCES:
        mesh = shapely.coverage_simplify(dissolved, tolerance) if tolerance else dissolved
        mesh = shapely.set_precision(mesh, 1e-5)
        out = dict(zip(codes, mesh, strict=True))
        worst = max(
            len(text([feature(Level.COM, c, g, {}) for c, g in out.items() if c[:2] == d], d))
            for d in DEPS
        )
        if worst < BUDGET:
            assert shapely.coverage_is_valid(list(out.values()))
            return out, tolerance
    raise SystemExit("Budget de taille impossible à tenir.")


def national_layer(path: Path, level: Level) -> list[dict]:
    out = []
    for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
        geom = shapely.set_precision(polygonal(shape(f["geometry"])), 1e-5)
        out.append(feature(level, f["properties"]["code"], geom, {}))
    return sorted(out, key=lambda f: f["properties"]["code"])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    geoms, names_2018 = read_2018()
    parts, approximate, missing, splits = assign(geoms, names_2018)
    mesh, tolerance = communes_2026(parts, geoms)
    sizes: dict[str, dict[str, int]] = {}

    for dep in DEPS:
        codes = sorted(c for c, d in REF.commune_dep.items() if d == dep)
        feats = []
        for c in codes:
            if c in missing:
                feats.append(feature(Level.COM, c, None, {"geometry_missing": missing[c]}))
            else:
                note = {"approximate": approximate[c]} if c in approximate else {}
                feats.append(feature(Level.COM, c, mesh[c], note))
        write(f"communes-{dep}.geojson.gz", feats, sizes)

    epcis = sorted({REF.commune_epci[c] for c in mesh if c in REF.commune_epci})
    epci_feats: list[dict] = []
    partial: dict[str, dict[str, Any]] = {}
    wrong_epci = containers_split(splits, REF.commune_epci)
    for e in epcis:
        members = REF.epci_members[e]
        inside = [c for c in members if c in mesh]
        note = {}
        outside = sorted({REF.commune_dep[c] for c in members if REF.commune_dep[c] not in DEPS})
        if outside:
            partial[e] = {
                "members": len(members),
                "members_outside": len(members) - len(inside),
                "outside_departements": outside,
            }
            note["partial"] = (
                f"Contour limité aux {len(inside)} communes sur {len(members)} situées dans "
                f"les départements {', '.join(DEPS)} ; manquent celles du ou des départements "
                f"{', '.join(outside)}."
            )
        if e in wrong_epci:
            note["approximate"] = SPLIT_ACROSS
        geom = shapely.coverage_union_all([mesh[c] for c in inside])
        epci_feats.append(feature(Level.EPCI, e, geom, note))
    write("epci.geojson.gz", epci_feats, sizes)

    wrong_dep = containers_split(splits, REF.commune_dep)
    dep_feats = [
        feature(
            Level.DEP,
            d,
            shapely.coverage_union_all([g for c, g in mesh.items() if REF.commune_dep[c] == d]),
            {"approximate": SPLIT_ACROSS} if d in wrong_dep else {},
        )
        for d in DEPS
    ]
    write("departements-detail.geojson.gz", dep_feats, sizes)
    write(
        "departements.geojson.gz",
        national_layer(SHARED / "departements-version-simplifiee.geojson", Level.DEP),
        sizes,
    )
    write(
        "regions.geojson.gz",
        national_layer(SHARED / "regions-version-simplifiee.geojson", Level.REG),
        sizes,
    )

    index = {
        "origin": ORIGIN,
        "source_cog": SOURCE_COG,
        "cog": COG_YEAR,
        "departements": list(DEPS),
        "simplification_tolerance": tolerance,
        "geometry_missing": dict(sorted(missing.items())),
        "approximate": dict(sorted(approximate.items())),
        "partial": partial,
        "approximate_containers": {"EPCI": sorted(wrong_epci), "DEP": sorted(wrong_dep)},
        "from_2018": {c: sorted(p) for c, p in sorted(parts.items()) if p != [c]},
        "files": sizes,
    }
    (OUT / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    for name, s in sizes.items():
        print(
            f"{name:32} {s['features']:4} entités {s['json_bytes']:>8} o {s['gzip_bytes']:>7} o gz"
        )


if __name__ == "__main__":
    main()
