"""SRU inventory (DHUP): "Communes et inventaire SRU", data.gouv.fr, edition 2025.

One line per commune in the scope of article 55 of the SRU law (art. L302-5 of the CCH),
23 columns. Quirks of the DHUP export (checked on `communes-et-inventaire-sru-2025.csv`,
2,196 communes of 94 départements):
- Windows-1252 (the levy's "€" is byte 0x80), ";" separator, LF; one header holds a
  space ("Nombre_lls_ Inventaire_au_01_01_2024"); commune names in upper case.
- Rates are text with a decimal comma and a percent sign ("26,10%"), targets "20%"/"25%".
  One rate is typed with a semicolon for the comma, quoted: "38;62%" (line 1168,
  Évin-Malmaison 62321): a semicolon inside a rate is read as the decimal comma.
  Two rates exceed 100 %: "2126,00%" (line 47, Gap 05061, 4,281 LLS: 21,26 % mistyped?)
  and "124,24%" (line 2105, Pointe-à-Pitre 97120). A share of the résidences principales
  above 100 % is not a rate that can be shown: status `missing` (RATE_MAX).
- Non-numeric markers, each mapped below (MARKERS) to the status `missing`, because the
  file gives no figure for them:
  - "Pas d'inventaire" (107 counts, 29 rates): no inventory was drawn up for the commune
    at 1 January 2024 (Lille 59350, newly subject or exempted communes);
  - ">25%" (82 rates): the rate is not computed, the commune is known to be above 25 %
    (Lille); it is never "déficitaire" in the file;
  - "NC" (1 count: "non communiqué") with "Hors SRU" (its rate): the commune is listed
    but its inventory is not in the SRU count.
- Flags are 0/1 (commune soumise au 01/01/2025, déficitaire, carencée, exemptée
  2023-2025); codes keep their leading zeros.
- The file gives the social dwellings (LLS) and the producer's rate, but not the
  résidences principales of the inventory: the rate of a parent cannot be recomputed as a
  ratio of sums from this file, and the deficit in dwellings is not published. It is
  estimated here for each déficitaire commune as target x LLS / rate - LLS (résidences
  principales recovered from the rate rounded to 0.01 point: off by at most
  target x 0.005 / rate x RP, under 2 dwellings for 20,000 RP at 15 %), status
  `estimated`; a commune that is not déficitaire has a deficit of 0.

Table `observations`, level COM, year 2024 (the inventory's date, 1 January 2024):
SRU_SOUMISE, SRU_DEFICITAIRE, SRU_CARENCEE, SRU_EXEMPTEE (0/1, summed into counts of
communes), SRU_LLS, SRU_TAUX (%), SRU_TAUX_CIBLE (%), SRU_DEFICIT (logements).
Absence: the file lists every commune in the SRU scope in France; a commune absent from it
is not subject (0). A national file leaves out the départements without any subject
commune (the Lot, 46): their communes are given explicitly as 0 on the shipped COG, so that
the départements count 0 communes instead of "not covered". An extract of a few
départements covers only those.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandera.polars as pa
import polars as pl

from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
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
from observatoire.sources.schema import DWELLINGS, ROW_GEO_VINTAGE
from observatoire.status import Status
from observatoire.territories.referential import COG_YEAR, in_france, national

MILLESIME = 2025
YEAR = 2024  # "Nombre_lls_ Inventaire_au_01_01_2024": the data's own date
# Codes are those of 1 January 2024: 69159 (69114 since 15/03/2024) and 49069 (49126 since
# 01/01/2025, INSEE mouvements) are still used.
GEO_VINTAGE = 2024
LLS = "Nombre_lls_ Inventaire_au_01_01_2024"
TAUX = "Taux_SRU_au_01_01_2024"
CIBLE = "Taux_cible_commune_2023_2025"
FLAGS = {
    "Commune_sru_au_01_01_2025": "SRU_SOUMISE",
    "commune_deficitaire": "SRU_DEFICITAIRE",
    "Commune_carencée": "SRU_CARENCEE",
    "Commune_exemptée_2023_2025": "SRU_EXEMPTEE",
}
MARKERS = {
    "Pas d'inventaire": "pas d'inventaire au 1er janvier 2024",
    ">25%": "taux non calculé, supérieur à 25 %",
    "NC": "non communiqué",
    "Hors SRU": "hors décompte SRU",
}
VARIABLES = {
    "SRU_SOUMISE": "Commune soumise à l'article 55 de la loi SRU au 01/01/2025 (0/1)",
    "SRU_DEFICITAIRE": "Commune déficitaire (0/1)",
    "SRU_CARENCEE": "Commune carencée (0/1)",
    "SRU_EXEMPTEE": "Commune exemptée 2023-2025 (0/1)",
    "SRU_LLS": "Logements locatifs sociaux au sens SRU, inventaire au 01/01/2024",
    "SRU_TAUX": "Taux de LLS au sens SRU au 01/01/2024 (%)",
    "SRU_TAUX_CIBLE": "Taux cible 2023-2025 (%)",
    "SRU_DEFICIT": "Déficit en logements sociaux (estimé, logements)",
}
RATE_MAX = 100.0
# A file covering at least this many départements is the national list (94 in 2025).
NATIONAL_MIN_DEPARTEMENTS = 80
_MISSING = ("", *MARKERS)
FIELDS = [
    Field("Code_INSEE_commune", "commune", nullable=False),
    Field("Code_Departement", "text", nullable=False),
    *[Field(name, "int", nullable=False) for name in FLAGS],
    Field(LLS, "int", missing=_MISSING, bounds=DWELLINGS),
    Field(TAUX, "float", missing=_MISSING),
    Field(CIBLE, "float", nullable=False),
]


def _without_percent(raw: pl.DataFrame) -> pl.DataFrame:
    """'26,10%' -> '26,10' ('38;62%' -> '38,62'); a marker (">25%") stays as written."""
    return raw.with_columns(
        pl.when(pl.col(c).str.strip_chars().is_in(list(MARKERS)))
        .then(pl.col(c))
        .otherwise(
            pl.col(c).str.strip_chars().str.strip_suffix("%").str.replace(";", ",", literal=True)
        )
        .alias(c)
        for c in (TAUX, CIBLE)
    )


def _parse(raw: pl.DataFrame, file: str) -> pl.DataFrame:
    """Typed columns; a refused rate is reported as written in the file ("<20%")."""
    try:
        return parse(_without_percent(raw), FIELDS, file)
    except SourceError as exc:
        written = {
            (int(line), column): value
            for column in (TAUX, CIBLE)
            for line, value in zip(raw[LINE], raw[column], strict=True)
        }
        raise SourceError(
            [
                replace(p, value=written.get((p.line or 0, p.column or ""), p.value))
                for p in exc.problems
            ]
        ) from None


def _absent_departements(codes: pl.Series) -> pl.DataFrame:
    """Communes (shipped COG) of the départements a national file has no line for."""
    ref = national()
    covered = {ref.commune_dep.get(c) for c in codes.to_list()}
    rows = [c for c, dep in ref.commune_dep.items() if in_france(dep) and dep not in covered]
    return pl.DataFrame({"code": rows}, schema={"code": pl.Utf8})


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("cp1252",))
    detect_layout(raw, {"inventaire_2025": ("Code_INSEE_commune", LLS, TAUX, CIBLE)}, path.name)
    typed = _parse(raw, path.name)
    check_unique(typed, ["Code_INSEE_commune"], path.name)
    flag = pa.Column(int, pa.Check.isin([0, 1]))
    schema = pa.DataFrameSchema(
        {
            **{name: flag for name in FLAGS},
            LLS: pa.Column(int, pa.Check.ge(0), nullable=True),
            TAUX: pa.Column(float, pa.Check.ge(0), nullable=True),
            CIBLE: pa.Column(float, pa.Check.in_range(0, 100)),
        }
    )
    typed = validate(typed, schema, path.name)
    millesime = require_millesime(millesime, MILLESIME, path.name)
    lls = pl.col(LLS).cast(pl.Float64)
    taux = pl.when(pl.col(TAUX) <= RATE_MAX).then(pl.col(TAUX))
    deficit = (
        pl.when(pl.col("commune_deficitaire") == 0)
        .then(0.0)
        .when(taux > 0)
        .then(pl.max_horizontal(pl.col(CIBLE) * lls / taux - lls, 0.0).round(0))
    )
    deficit_status = (
        pl.when(pl.col("commune_deficitaire") == 0)
        .then(pl.lit(Status.OK))
        .when(deficit.is_not_null())
        .then(pl.lit(Status.ESTIMATED))
        .otherwise(pl.lit(Status.MISSING))
    )
    values = {
        **{variable: pl.col(name).cast(pl.Float64) for name, variable in FLAGS.items()},
        "SRU_LLS": lls,
        "SRU_TAUX": taux,
        "SRU_TAUX_CIBLE": pl.col(CIBLE),
        "SRU_DEFICIT": deficit,
    }
    parts = [
        typed.select(
            pl.col("Code_INSEE_commune").alias("code"),
            pl.lit(variable).alias("variable"),
            expr.alias("value"),
            (
                deficit_status
                if variable == "SRU_DEFICIT"
                else pl.when(expr.is_null())
                .then(pl.lit(Status.MISSING))
                .otherwise(pl.lit(Status.OK))
            ).alias("status"),
            pl.lit(GEO_VINTAGE).alias(ROW_GEO_VINTAGE),
        )
        for variable, expr in values.items()
    ]
    departements = typed["Code_Departement"].n_unique()
    notes = [
        "taux, nombre de LLS et taux cible publiés à la commune seulement (le fichier ne "
        "donne pas les résidences principales)",
        "déficit estimé : taux cible x LLS / taux - LLS (communes déficitaires)",
    ]
    if departements >= NATIONAL_MIN_DEPARTEMENTS:
        absent = _absent_departements(typed["Code_INSEE_commune"])
        counts = ["SRU_SOUMISE", "SRU_DEFICITAIRE", "SRU_CARENCEE", "SRU_EXEMPTEE", "SRU_DEFICIT"]
        parts += [
            absent.select(
                "code",
                pl.lit(variable).alias("variable"),
                pl.lit(0.0).alias("value"),
                pl.lit(Status.OK).alias("status"),
                pl.lit(COG_YEAR).alias(ROW_GEO_VINTAGE),
            )
            for variable in counts
        ]
        notes.append(f"{absent.height} communes de départements sans commune soumise : 0")
    obs = commune_observations(parts, YEAR)
    return Batch(
        millesime=millesime,
        part="communes",
        geo_vintage=GEO_VINTAGE,
        layout="inventaire_2025",
        tables={"observations": obs},
        row_count=typed.height,
        notes=notes,
    )


SOURCE = SourceInfo(
    name="sru",
    label="Inventaire SRU (article 55)",
    producer="Ministère chargé du logement (DHUP)",
    url="https://www.data.gouv.fr/fr/datasets/communes-et-inventaire-sru/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Communes soumises à l'article 55 de la loi SRU : logements sociaux de l'inventaire "
        "au 1er janvier 2024, taux SRU, taux cible 2023-2025, communes déficitaires, "
        "carencées et exemptées."
    ),
    read=read,
    not_derivable=(
        "publié à la commune seulement : le fichier SRU ne donne pas les résidences "
        "principales, un rapport de sommes est impossible (et une moyenne de taux serait "
        "fausse)"
    ),
)
