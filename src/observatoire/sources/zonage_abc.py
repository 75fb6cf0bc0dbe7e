"""Zonage A/B/C of the ministry in charge of housing (zonage 2014 revised in 2019).

File `zonage_abc` of the R package COGiter (DREAL Pays de la Loire, data from the ministry's
`zonageabc_communes2019.xls`), written to CSV (checked on `zonage-abc-2019-cogiter.csv`,
34,970 communes of the COG 2019; /work/shared/data/real/SOURCES.md §12):
- UTF-8, LF, ","; columns `DEPCOM` (5 characters, leading zeros kept) and `zonage_abc`,
  one of "Zone Abis", "Zone A", "Zone B1", "Zone B2", "Zone C" (the package prefixes the
  ministry's zone with "Zone "; the bare zone "B1" is accepted too).
- Codes are those of the COG 2019: moved to the current COG here (sources.attributes), a
  commune nouvelle made of communes of different zones taking the most restrictive one
  (A bis, then A, B1, B2, C): the zone that governs the strictest rent ceilings.
Not the 2023-2025 revisions of the zonage.

Table `observations`, level COM, year 2019: one 0/1 flag per zone (ZONE_ABIS, ZONE_A,
ZONE_B1, ZONE_B2, ZONE_C, summed into counts of communes) and ZONE_ABC_RANG (1 = A bis ...
5 = C, the category the explorer maps). A commune absent from the file has no known zone.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from observatoire.sources.attributes import flag_rows, on_current_cog, unknown_codes
from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    Problem,
    SourceError,
    SourceInfo,
    check_unique,
    commune_observations,
    detect_layout,
    parse,
    read_rows,
    require_millesime,
)

MILLESIME = 2019
GEO_VINTAGE = 2019
# Rank of each zone, most restrictive first; the file's labels and the bare zone names.
ZONES = {"Abis": 1, "A": 2, "B1": 3, "B2": 4, "C": 5}
LABELS = {1: "A bis", 2: "A", 3: "B1", 4: "B2", 5: "C"}
FLAGS = {1: "ZONE_ABIS", 2: "ZONE_A", 3: "ZONE_B1", 4: "ZONE_B2", 5: "ZONE_C"}
VARIABLES = {
    **{v: f"Commune en zone {LABELS[r]} (0/1)" for r, v in FLAGS.items()},
    "ZONE_ABC_RANG": "Zone A/B/C (1 = A bis, 2 = A, 3 = B1, 4 = B2, 5 = C)",
}
FIELDS = [Field("DEPCOM", "commune", nullable=False), Field("zonage_abc", nullable=False)]


def zone_rank(text: str) -> int | None:
    """ "Zone B1" or "B1" -> 3; "Zone A bis" / "Abis" -> 1; anything else -> None."""
    bare = text.strip().removeprefix("Zone ").replace(" ", "")
    return ZONES.get(bare) or ZONES.get(bare.capitalize())


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=",", encodings=("utf-8",))
    detect_layout(raw, {"cogiter_2019": ("DEPCOM", "zonage_abc")}, path.name)
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["DEPCOM"], path.name)
    ranks = [zone_rank(z) for z in typed["zonage_abc"].to_list()]
    problems = [
        Problem(
            path.name,
            "zone inconnue : attendu Zone Abis, Zone A, Zone B1, Zone B2 ou Zone C.",
            int(line),
            "zonage_abc",
            zone,
        )
        for line, zone, rank in zip(typed[LINE], typed["zonage_abc"], ranks, strict=True)
        if rank is None
    ]
    for code in unknown_codes(typed["DEPCOM"], GEO_VINTAGE):
        line = int(typed.filter(pl.col("DEPCOM") == code)[LINE][0])
        problems.append(
            Problem(
                path.name,
                f"commune inconnue du COG {GEO_VINTAGE}.",
                line,
                "DEPCOM",
                code,
            )
        )
    if problems:
        raise SourceError(problems)
    millesime = require_millesime(millesime, MILLESIME, path.name)
    frame = pl.DataFrame({"code": typed["DEPCOM"], "value": pl.Series(ranks, dtype=pl.Float64)})
    current = on_current_cog(frame, GEO_VINTAGE, keep="min")
    parts = [flag_rows(current, "ZONE_ABC_RANG")]
    parts += [
        flag_rows(
            current.with_columns((pl.col("value") == rank).cast(pl.Float64).alias("value")),
            variable,
        )
        for rank, variable in FLAGS.items()
    ]
    obs = commune_observations(parts, MILLESIME)
    return Batch(
        millesime=millesime,
        part="communes",
        geo_vintage=GEO_VINTAGE,
        layout="cogiter_2019",
        tables={"observations": obs},
        row_count=typed.height,
        notes=[
            "zonage 2014 révisé en 2019, sur le COG 2019, ramené au COG courant : une "
            "commune nouvelle prend la zone la plus tendue de ses anciennes communes",
        ],
    )


SOURCE = SourceInfo(
    name="zonage_abc",
    label="Zonage A/B/C",
    producer="Ministère chargé du logement (DHUP), via le paquet COGiter (DREAL Pays de la Loire)",
    url="https://www.ecologie.gouv.fr/politiques-publiques/zonage-abc",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Zone A bis, A, B1, B2 ou C de chaque commune (zonage 2014 révisé en 2019) : "
        "tension du marché du logement, plafonds des dispositifs (PTZ, Pinel, PLS...)."
    ),
    read=read,
)
