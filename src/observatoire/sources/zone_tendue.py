"""Zone tendue: communes where the taxe annuelle sur les logements vacants (TLV) applies.

List of the communes "appartenant à une zone d'urbanisation continue de plus de 50 000
habitants où existe un déséquilibre marqué entre l'offre et la demande de logements"
(article 232 of the CGI, décret n° 2013-392 as extended by the décret of August 2023), as
the seed `tlv_cities.csv` of Zéro Logement Vacant (MTES-MCT; checked on 3,697 communes of 69
départements; /work/shared/data/real/SOURCES.md §9):
- UTF-8 with BOM, CRLF, ";"; columns `CODE INSEE; DÉPARTEMENTS; COMMUNES`.
- Codes lost their leading zero ("1004"): restored. Names carry trailing spaces (unused).
- Codes are those of the COG 2023 (the décret's date): moved to the current COG here, a
  commune nouvelle being in zone tendue when one of its former communes was
  (sources.attributes).

Table `observations`, level COM, year 2023: ZONE_TENDUE (0/1). The list is national: a
commune absent from it is not in zone tendue (0), including the communes of départements
without any listed commune (Lot, Mayenne), as soon as the file is the national list (at
least NATIONAL_MIN_DEPARTEMENTS départements). An extract of a few départements gives 0 to
the absent communes of those départements only.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from observatoire.sources.attributes import (
    flag_rows,
    french_communes,
    on_current_cog,
    unknown_codes,
)
from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    Problem,
    SourceError,
    SourceInfo,
    check_unique,
    detect_layout,
    observations,
    parse,
    read_rows,
    require_millesime,
)
from observatoire.territories.referential import national

MILLESIME = 2023
GEO_VINTAGE = 2023
CODE = "CODE INSEE"
VARIABLES = {"ZONE_TENDUE": "Commune en zone tendue (taxe sur les logements vacants, 0/1)"}
NATIONAL_MIN_DEPARTEMENTS = 60
FIELDS = [Field(CODE, "commune", nullable=False), Field("DÉPARTEMENTS", nullable=False)]


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8",))
    detect_layout(raw, {"zlv_tlv_cities": (CODE, "DÉPARTEMENTS")}, path.name)
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, [CODE], path.name)
    unknown = unknown_codes(typed[CODE], GEO_VINTAGE)
    if unknown:
        lines = dict(zip(typed[CODE], typed[LINE], strict=True))
        raise SourceError(
            [
                Problem(path.name, f"commune inconnue du COG {GEO_VINTAGE}.", lines[c], CODE, c)
                for c in unknown
            ]
        )
    millesime = require_millesime(millesime, MILLESIME, path.name)
    listed = on_current_cog(
        typed.select(pl.col(CODE).alias("code"), pl.lit(1.0).alias("value")),
        GEO_VINTAGE,
        keep="max",
    )
    ref = national()
    departements = {ref.commune_dep.get(c) for c in listed["code"].to_list()}
    national_list = typed["DÉPARTEMENTS"].n_unique() >= NATIONAL_MIN_DEPARTEMENTS
    others = [c for c in french_communes() if national_list or ref.commune_dep[c] in departements]
    absent = pl.DataFrame({"code": others, "value": 0.0}).join(listed, on="code", how="anti")
    current = pl.concat([listed, absent]).sort("code")
    obs = observations(
        flag_rows(current, "ZONE_TENDUE").with_columns(
            pl.lit("COM").alias("level"), pl.lit(MILLESIME).alias("year")
        )
    )
    scope = "liste nationale" if national_list else f"{len(departements)} département(s)"
    return Batch(
        millesime=millesime,
        part="communes",
        geo_vintage=GEO_VINTAGE,
        layout="zlv_tlv_cities",
        tables={"observations": obs},
        row_count=typed.height,
        notes=[f"{listed.height} communes en zone tendue ({scope}) ; les autres : 0"],
    )


SOURCE = SourceInfo(
    name="zone_tendue",
    label="Zone tendue (TLV)",
    producer="Ministère chargé du logement, via Zéro Logement Vacant (MTES-MCT)",
    url="https://github.com/MTES-MCT/zero-logement-vacant",
    licence="Licence Ouverte / Etalab 2.0 (décret publié) ; dépôt sous licence MIT",
    description=(
        "Communes en zone tendue où s'applique la taxe annuelle sur les logements vacants "
        "(article 232 du CGI, décret d'août 2023)."
    ),
    read=read,
)
