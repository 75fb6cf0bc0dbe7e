"""Programmes of the Agence nationale de la cohésion des territoires (ANCT) per commune.

Seed `ngeo-anct-cog2023.csv` of Zéro Logement Vacant (MTES-MCT), built from the ANCT's
open data on the COG 2023 (checked on 35,039 communes; /work/shared/data/real/SOURCES.md
§9):
- UTF-8, ",", every field quoted when filled; columns `insee_com, lib_com` then one
  `id_<programme>` column per programme: the identifier of the commune's contract or
  site ("pvd-32-59-12", "acv-042"), empty when the commune is not in the programme,
  several identifiers separated by " ; " (Lille: "cite-037 ; cite-165").
- Programmes read (PROGRAMMES): Petites villes de demain, Action cœur de ville (first
  phase `id_acv` and second phase `id_acv2`), Territoires d'industrie, CRTE, France
  Services (identifier of a France Services structure located in the commune), Villages
  d'avenir, habitat inclusif, Cités éducatives. The other columns (id_ami, id_fabp,
  id_amm, id_cde, id_site) are not documented in the file and are not read.
- Codes of the COG 2023: moved to the current COG here, a commune nouvelle being in a
  programme when one of its former communes was (sources.attributes).

Table `observations`, level COM, year 2023: one 0/1 flag per programme (ANCT_PVD, ANCT_ACV,
ANCT_TI, ANCT_CRTE, ANCT_FS, ANCT_VA, ANCT_HABINCLUS, ANCT_CITE), summed into counts of
communes.
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

MILLESIME = 2023
GEO_VINTAGE = 2023
# variable -> (columns of the file, French label)
PROGRAMMES = {
    "ANCT_PVD": (("id_pvd",), "Petites villes de demain"),
    "ANCT_ACV": (("id_acv", "id_acv2"), "Action cœur de ville"),
    "ANCT_TI": (("id_ti",), "Territoires d'industrie"),
    "ANCT_CRTE": (("id_crte",), "Contrat de relance et de transition écologique (CRTE)"),
    "ANCT_FS": (("id_fs",), "France Services (structure dans la commune)"),
    "ANCT_VA": (("id_va",), "Villages d'avenir"),
    "ANCT_HABINCLUS": (("id_habinclus",), "Habitat inclusif"),
    "ANCT_CITE": (("id_cite",), "Cités éducatives"),
}
VARIABLES = {v: f"Commune du programme {label} (0/1)" for v, (_, label) in PROGRAMMES.items()}
COLUMNS = [c for columns, _ in PROGRAMMES.values() for c in columns]
FIELDS = [Field("insee_com", "commune", nullable=False), *[Field(c) for c in COLUMNS]]


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=",", encodings=("utf-8",), keep=["insee_com", *COLUMNS])
    detect_layout(raw, {"anct_cog2023": ("insee_com", *COLUMNS)}, path.name)
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["insee_com"], path.name)
    lines = dict(zip(typed["insee_com"], typed[LINE], strict=True))
    unknown = unknown_codes(typed["insee_com"], GEO_VINTAGE)
    if unknown:
        raise SourceError(
            [
                Problem(
                    path.name, f"commune inconnue du COG {GEO_VINTAGE}.", lines[c], "insee_com", c
                )
                for c in unknown
            ]
        )
    millesime = require_millesime(millesime, MILLESIME, path.name)
    parts = []
    for variable, (columns, _label) in PROGRAMMES.items():
        member = pl.any_horizontal(pl.col(c).is_not_null() for c in columns)
        flags = typed.select(
            pl.col("insee_com").alias("code"), member.cast(pl.Float64).alias("value")
        )
        parts.append(flag_rows(on_current_cog(flags, GEO_VINTAGE, keep="max"), variable))
    obs = commune_observations(parts, MILLESIME)
    return Batch(
        millesime=millesime,
        part="communes",
        geo_vintage=GEO_VINTAGE,
        layout="anct_cog2023",
        tables={"observations": obs},
        row_count=typed.height,
        notes=["appartenance aux programmes de l'ANCT sur le COG 2023, ramenée au COG courant"],
    )


SOURCE = SourceInfo(
    name="anct_programmes",
    label="Programmes de l'ANCT",
    producer="Agence nationale de la cohésion des territoires, via Zéro Logement Vacant",
    url="https://www.data.gouv.fr/fr/organizations/agence-nationale-de-la-cohesion-des-territoires/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Communes de chaque programme de l'ANCT (COG 2023) : Petites villes de demain, "
        "Action cœur de ville, Territoires d'industrie, CRTE, France Services, Villages "
        "d'avenir, habitat inclusif, Cités éducatives."
    ),
    read=read,
)
