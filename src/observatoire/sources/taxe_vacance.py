"""Taxes on vacant dwellings per commune: THLV (optional, voted by the commune or its EPCI)
or TLV (national tax, zone tendue).

Seed `taxe.csv` of Zéro Logement Vacant (MTES-MCT, same commit as `tlv_cities.csv`;
checked on 34,352 communes; /work/shared/data/real/SOURCES.md §9):
- UTF-8, ";"; columns `code_commune; type_taxe; taux`.
- Codes lost their leading zero: restored. `type_taxe` is "THLV", "TLV" or empty (no tax
  on vacant dwellings); `taux` is a fraction ("0.164909982705857" for Caen: 16.49 %),
  given for 2,256 of the 4,627 THLV communes, empty otherwise (rate not given, not 0) and
  always empty for TLV (its rate is national: 17 % the first year, 34 % after).
- The file states no year. Its codes are mostly those of the COG 2023 (27676, created on
  1 January 2023, is there), but 12 communes merged on 1 January 2022 or 2023 are still
  under their former codes (01039, 85053, 51637...): each code is read on the newest COG of
  2021-2023 that knows it. Millésime and year 2023 by default (--millesime otherwise).
  A commune nouvelle since then applies the THLV when one of its former communes did, at
  the highest of their rates (sources.attributes); a merged commune with two rates has
  its rate only when they agree.

Table `observations`, level COM, year 2023: THLV and TLV (0/1, summed into counts of
communes), THLV_TAUX (%, published per commune; missing when the file gives none).
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
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
    validate,
)

MILLESIME = 2023
GEO_VINTAGE = 2023
# Former codes the producer left (see above) are read on these older COGs.
COG_YEARS = (2023, 2022, 2021)
TYPES = ("THLV", "TLV")
VARIABLES = {
    "THLV": "Taxe d'habitation sur les logements vacants appliquée (0/1)",
    "TLV": "Taxe annuelle sur les logements vacants (zone tendue) applicable (0/1)",
    "THLV_TAUX": "Taux de la THLV (%)",
}
FIELDS = [
    Field("code_commune", "commune", nullable=False),
    Field("type_taxe"),
    Field("taux", "float"),
]


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8",))
    detect_layout(raw, {"zlv_taxe": ("code_commune", "type_taxe", "taux")}, path.name)
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["code_commune"], path.name)
    typed = validate(
        typed,
        pa.DataFrameSchema({"taux": pa.Column(float, pa.Check.in_range(0, 1), nullable=True)}),
        path.name,
    )
    problems = [
        Problem(
            path.name,
            "type de taxe inconnu : attendu THLV, TLV ou vide.",
            int(line),
            "type_taxe",
            kind,
        )
        for line, kind in zip(typed[LINE], typed["type_taxe"], strict=True)
        if kind is not None and kind not in TYPES
    ]
    problems += [
        Problem(path.name, "taux donné pour une commune sans THLV.", int(line), "taux", str(rate))
        for line, kind, rate in zip(typed[LINE], typed["type_taxe"], typed["taux"], strict=True)
        if rate is not None and kind != "THLV"
    ]
    lines = dict(zip(typed["code_commune"], typed[LINE], strict=True))
    problems += [
        Problem(path.name, f"commune inconnue du COG {GEO_VINTAGE}.", lines[c], "code_commune", c)
        for c in unknown_codes(typed["code_commune"], COG_YEARS)
    ]
    if problems:
        raise SourceError(problems)
    millesime = require_millesime(millesime, MILLESIME, path.name)
    code = pl.col("code_commune").alias("code")
    parts = []
    for kind in TYPES:
        flags = typed.select(
            code, (pl.col("type_taxe") == kind).fill_null(False).cast(pl.Float64).alias("value")
        )
        parts.append(flag_rows(on_current_cog(flags, COG_YEARS, keep="max"), kind))
    rates = typed.filter(pl.col("type_taxe") == "THLV").select(
        code, (pl.col("taux") * 100).alias("value")
    )
    passage_rates = on_current_cog(rates, COG_YEARS, keep="max")
    lowest = on_current_cog(rates, COG_YEARS, keep="min")
    agreed = passage_rates.join(lowest, on="code", suffix="_min").select(
        "code", pl.when(pl.col("value") == pl.col("value_min")).then(pl.col("value")).alias("value")
    )
    parts.append(flag_rows(agreed, "THLV_TAUX"))
    obs = commune_observations(parts, MILLESIME)
    return Batch(
        millesime=millesime,
        part="communes",
        geo_vintage=GEO_VINTAGE,
        layout="zlv_taxe",
        tables={"observations": obs},
        row_count=typed.height,
        notes=["taux de THLV publié à la commune seulement ; taux non donné : manquant"],
    )


SOURCE = SourceInfo(
    name="taxe_vacance",
    label="Taxes sur les logements vacants (THLV, TLV)",
    producer="DGFiP, via Zéro Logement Vacant (MTES-MCT)",
    url="https://github.com/MTES-MCT/zero-logement-vacant",
    licence="Licence Ouverte / Etalab 2.0 ; dépôt sous licence MIT",
    description=(
        "Taxe applicable aux logements vacants de chaque commune : taxe d'habitation sur "
        "les logements vacants (THLV, votée localement, avec son taux) ou taxe annuelle sur "
        "les logements vacants (TLV, zone tendue)."
    ),
    read=read,
    not_derivable="taux voté par chaque commune : il ne s'additionne ni ne se moyenne",
)
