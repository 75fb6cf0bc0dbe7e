"""Carte des loyers 2018 (Ministère chargé du logement, estimates by the UMR CESAER):
predicted advertised rent per m² of a reference apartment, per commune.

File `indicateurs-loyers-appartements.csv` of the data.gouv.fr dataset « "Carte des
loyers" - Indicateurs de loyers d'annonce par commune en 2018 » (checked on the national
file, 35,441 communes, /work/shared/data/real/SOURCES.md §12). Quirks:
- UTF-8, ";" separator, decimal comma. Columns: id_zone; INSEE; LIBGEO; DEP; REG; EPCI;
  TYPPRED; loypredm2; lwr.IPm2; upr.IPm2; R2adj; NBobs_maille; NBobs_commune.
- `INSEE` and `DEP` lost their leading zero (1001 for 01001): the `commune` field kind
  restores it. Commune geography of 1 January 2017.
- The value is a prediction (rent charges included, Q3 2018, flat of 49 m², ads of
  leboncoin, SeLoger and pap.fr 2015-2019), not an observed median. `TYPPRED` says at which
  level the model was fitted: `commune` (enough ads in the commune), `epci` or `maille`
  (a group of neighbouring, similar communes): the commune then carries its group's
  prediction. `lwr.IPm2` / `upr.IPm2` bound the 95 % prediction interval.
- The producer's guide (« Guide d'utilisation des données carte des loyers », DHUP,
  décembre 2020) advises caution when the adjusted R² is below 0.5 or the prediction rests
  on fewer than 30 observations (`NBobs_maille`, the ads of the level of prediction): such
  a rent is stored with the status `estimated` (662 communes in France, 15 in départements
  14, 46, 53, 59, 62).
- The producer publishes the indicator per commune only and documents no aggregation (a
  prediction for a reference flat is not an average of the communes' rents): values above
  the commune are "non disponible" (SourceInfo.not_derivable).

Table `observations`, level COM, year 2018: LOYER_M2, LOYER_M2_BAS, LOYER_M2_HAUT (€/m²),
LOYER_NBOBS_COMMUNE (ads of the commune itself).
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from observatoire.sources.base import (
    Batch,
    Field,
    SourceInfo,
    check_unique,
    commune_observations,
    detect_layout,
    parse,
    read_rows,
    require_millesime,
    validate,
)
from observatoire.sources.schema import PRICE_M2, Magnitude
from observatoire.status import Status

MILLESIME = 2018
GEO_VINTAGE = 2017
# The guide's caution thresholds (adjusted R², observations at the level of prediction).
R2_MIN = 0.5
NBOBS_MIN = 30
RENT = PRICE_M2
ADS = Magnitude(100_000_000, "annonces")
VARIABLES = {
    "loypredm2": "LOYER_M2",
    "lwr.IPm2": "LOYER_M2_BAS",
    "upr.IPm2": "LOYER_M2_HAUT",
    "NBobs_commune": "LOYER_NBOBS_COMMUNE",
}
FIELDS = [
    Field("INSEE", "commune", nullable=False),
    Field("TYPPRED", "text", nullable=False),
    Field("loypredm2", "float", nullable=False, bounds=RENT),
    Field("lwr.IPm2", "float", nullable=False, bounds=RENT),
    Field("upr.IPm2", "float", nullable=False, bounds=RENT),
    Field("R2adj", "float", nullable=False),
    Field("NBobs_maille", "int", nullable=False, bounds=ADS),
    Field("NBobs_commune", "int", nullable=False, bounds=ADS),
]
LEVELS = ["commune", "epci", "maille"]


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8",))
    detect_layout(raw, {"carte_2018": ("INSEE", "TYPPRED", "loypredm2", "R2adj")}, path.name)
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["INSEE"], path.name)
    rent = pa.Column(float, pa.Check.gt(0))
    count = pa.Column(int, pa.Check.ge(0))
    schema = pa.DataFrameSchema(
        {
            "TYPPRED": pa.Column(str, pa.Check.isin(LEVELS)),
            "loypredm2": rent,
            "lwr.IPm2": rent,
            "upr.IPm2": rent,
            "R2adj": pa.Column(float, pa.Check.in_range(-1, 1)),
            "NBobs_maille": count,
            "NBobs_commune": count,
        }
    )
    typed = validate(typed, schema, path.name)
    millesime = require_millesime(millesime, MILLESIME, path.name)
    weak = (pl.col("R2adj") < R2_MIN) | (pl.col("NBobs_maille") < NBOBS_MIN)
    parts = [
        typed.select(
            pl.col("INSEE").alias("code"),
            pl.lit(variable).alias("variable"),
            pl.col(column).cast(pl.Float64).alias("value"),
            (
                pl.when(weak).then(pl.lit(Status.ESTIMATED)).otherwise(pl.lit(Status.OK))
                if variable == "LOYER_M2"
                else pl.lit(Status.OK)
            ).alias("status"),
        )
        for column, variable in VARIABLES.items()
    ]
    obs = commune_observations(parts, MILLESIME)
    n_weak = typed.filter(weak).height
    return Batch(
        millesime=millesime,
        part="appartements",
        geo_vintage=GEO_VINTAGE,
        layout="carte_2018",
        tables={"observations": obs},
        row_count=typed.height,
        notes=[
            "loyer d'annonce prédit au m² (appartement type, charges comprises, 3e trimestre "
            "2018), publié à la commune seulement",
            f"{n_weak} prédictions fragiles (R² ajusté < {R2_MIN} ou moins de {NBOBS_MIN} "
            "observations) : statut « estimé »",
        ],
    )


SOURCE = SourceInfo(
    name="carte_loyers",
    label="Carte des loyers 2018 (appartements)",
    producer="Ministère chargé du logement (DHUP), estimations UMR 1041 CESAER",
    url=(
        "https://www.data.gouv.fr/fr/datasets/"
        "carte-des-loyers-indicateurs-de-loyers-dannonce-par-commune-en-2018/"
    ),
    licence=(
        "Licence Ouverte / Etalab 2.0 ; citer « Estimations UMR 1041 CESAER (AgroSup "
        "Dijon-INRAE) à partir des données SeLoger, leboncoin, pap.fr »"
    ),
    description=(
        "Loyer d'annonce prédit par m², charges comprises, d'un appartement type du parc "
        "privé (49 m²) au 3e trimestre 2018, par commune, avec son intervalle de prédiction "
        "à 95 % et le nombre d'annonces de la commune (géographie 2017)."
    ),
    read=read,
    not_derivable=(
        "indicateur publié à la commune seulement : c'est la prédiction d'un modèle pour un "
        "appartement type, pas une moyenne de loyers ; le producteur ne documente aucune "
        "agrégation (une moyenne de loyers prédits serait fausse)"
    ),
)
