"""Observatoires locaux des loyers (OLL, réseau ANIL / DHUP): « Résultats nationaux des
observatoires locaux des loyers », files Base_OP_<year>_Nationale.csv.

Checked on the national files 2014 to 2022 (/work/shared/data/real/SOURCES.md §12):
- Latin-1, LF, ";" separator, decimal comma; one data year per file (`Data_year`).
  24 columns; in 2014 the count column is spelled `nombre_obsservations`.
- One row per observatory (`Observatory`, e.g. B5900), zone (`Zone_complementaire`: empty
  for the whole agglomeration, else "Ville centre", "Périphérie"...) and at most a
  combination of breakdowns (Type_habitat, epoque_construction_homogene,
  anciennete_locataire_homogene, nombre_pieces_homogene); the row with every breakdown
  empty is the zone's total. Rents are in €/m² of living area, charges excluded.
- Cells are empty where the sample is too small for the network's publication rule.
- The number of rooms is written "Ensemble 4P et plus" in 2014-2016 and 2018, "Ensemble
  4P+" from 2017: both mean 4 rooms or more.
- 2018: the 224 rows of the Arras observatory (B6200) come three times, twice with an empty
  `agglomeration`: rows identical but for that name are kept once; two different rows
  under one key (observatory, agglomeration, zone, breakdowns) are refused. One
  observatory may publish several agglomerations (B1300: Aix and Marseille).
- The 2022 file is an early, partial release (7 observatories).

The zones are not communes and the file carries no commune list. The perimeters used here
are those the ADIL du Nord et du Pas-de-Calais, which runs both observatories, states
(adilnord.fr/loyers.php): the Lille observatory covers the Métropole européenne de Lille
(EPCI 200093201), the Arras observatory the Communauté urbaine d'Arras (EPCI 200033579); the
Lille "Ville centre" zone is the city of Lille with its associated communes Hellemmes and
Lomme (commune 59350). So the agglomeration's values are attached to the EPCI and the
"Ville centre" values to Lille, as published, never re-aggregated; the "Périphérie" zone
(the other communes of the MEL) is not a territory of the referential and is not attached.
The zone is the MEL of the survey's year, named by today's EPCI code (the MEL took a new
SIREN, 245900410 -> 200093201, so the file's year has no such code): the EPCI rows carry
the current COG. The MEL grew in 2017 (CC des Weppes) and 2020 (CC de la Haute-Deûle): the
catalog says the series is not on a constant perimeter.
Other observatories (Douai B5901 in 2016...) have no documented perimeter here: read and
checked, not attached (the batch notes say so).

Table `observations`, year = Data_year, geography of that year: OLL_LOYER_MEDIAN,
OLL_LOYER_MOYEN, OLL_NB_OBSERVATIONS, OLL_LOYER_MEDIAN_APPARTEMENT,
OLL_LOYER_MEDIAN_MAISON, OLL_LOYER_MEDIAN_1P ... OLL_LOYER_MEDIAN_4P.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandera.polars as pa
import polars as pl

from observatoire.problems import Problem
from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    SourceError,
    SourceInfo,
    check_unique,
    detect_layout,
    observations,
    parse,
    read_rows,
    require_millesime,
    validate,
)
from observatoire.sources.schema import PEOPLE, PRICE_M2, ROW_GEO_VINTAGE
from observatoire.status import Status
from observatoire.territories.referential import COG_YEAR

OBSERVATORY = "Observatory"
YEAR = "Data_year"
ZONE = "Zone_complementaire"
TYPE = "Type_habitat"
EPOQUE = "epoque_construction_homogene"
ANCIENNETE = "anciennete_locataire_homogene"
PIECES = "nombre_pieces_homogene"
BREAKDOWNS = (TYPE, EPOQUE, ANCIENNETE, PIECES)
AGGLOMERATION = "agglomeration"
# One observatory may publish several agglomerations (B1300: Aix and Marseille).
KEY = [OBSERVATORY, YEAR, AGGLOMERATION, ZONE, *BREAKDOWNS]
COUNT = "nombre_observations"
COUNT_2014 = "nombre_obsservations"
RENTS = ("loyer_median", "loyer_moyen")
# (observatory, zone) -> territory (level, code); see the module docstring for the source.
ATTACHED = {
    ("B5900", ""): ("EPCI", "200093201"),
    ("B5900", "Ville centre"): ("COM", "59350"),
    ("B6200", ""): ("EPCI", "200033579"),
}
ZONE_NAMES = {
    ("B5900", ""): "Agglomération de Lille (Métropole européenne de Lille)",
    ("B5900", "Ville centre"): "Agglomération de Lille, zone « Ville centre » (Lille)",
    ("B6200", ""): "Agglomération d'Arras (Communauté urbaine d'Arras)",
}
# (column, breakdown column, breakdown value) -> variable
VARIABLES = {
    ("loyer_median", None, None): "OLL_LOYER_MEDIAN",
    ("loyer_moyen", None, None): "OLL_LOYER_MOYEN",
    (COUNT, None, None): "OLL_NB_OBSERVATIONS",
    ("loyer_median", TYPE, "Appartement"): "OLL_LOYER_MEDIAN_APPARTEMENT",
    ("loyer_median", TYPE, "Maison"): "OLL_LOYER_MEDIAN_MAISON",
    ("loyer_median", PIECES, "Ensemble 1P"): "OLL_LOYER_MEDIAN_1P",
    ("loyer_median", PIECES, "Ensemble 2P"): "OLL_LOYER_MEDIAN_2P",
    ("loyer_median", PIECES, "Ensemble 3P"): "OLL_LOYER_MEDIAN_3P",
    ("loyer_median", PIECES, "Ensemble 4P+"): "OLL_LOYER_MEDIAN_4P",
}
FIELDS = [
    Field(OBSERVATORY, "text", nullable=False),
    Field(YEAR, "int", nullable=False),
    *[Field(name, "text") for name in (AGGLOMERATION, ZONE, *BREAKDOWNS)],
    *[Field(name, "float", bounds=PRICE_M2) for name in RENTS],
    Field(COUNT, "int", bounds=PEOPLE),
]
_LAYOUTS: dict[str, Sequence[str]] = {
    "depuis_2015": (OBSERVATORY, YEAR, ZONE, *BREAKDOWNS, *RENTS, COUNT),
    "2014": (OBSERVATORY, YEAR, ZONE, *BREAKDOWNS, *RENTS, COUNT_2014),
}


def _normalised(raw: pl.DataFrame) -> pl.DataFrame:
    """One spelling per label ("4P et plus" -> "4P+"), one name for the count column,
    identical repeated rows (Arras 2018) kept once."""
    raw = raw.rename({COUNT_2014: COUNT}) if COUNT_2014 in raw.columns else raw
    raw = raw.with_columns(
        pl.col(c).str.strip_chars().str.replace(r" et plus$", "+") for c in (ZONE, *BREAKDOWNS)
    )
    values = [c for c in raw.columns if c not in (LINE, AGGLOMERATION)]
    return raw.unique(subset=values, keep="first", maintain_order=True)


def _check_one_year(typed: pl.DataFrame, file: str) -> int:
    years = typed[YEAR].unique().sort().to_list()
    if len(years) == 1:
        return int(years[0])
    first = typed.filter(pl.col(YEAR) != typed[YEAR][0]).row(0, named=True)
    raise SourceError(
        [
            Problem(
                file,
                f"une seule année de données par fichier attendue ({typed[YEAR][0]} en "
                "première ligne).",
                int(first[LINE]),
                YEAR,
                str(first[YEAR]),
            )
        ]
    )


def _observations(typed: pl.DataFrame, year: int) -> pl.DataFrame:
    parts = []
    others = {name: pl.col(name) == "" for name in BREAKDOWNS}
    for (column, by, label), variable in VARIABLES.items():
        rows = pl.lit(True)
        for name, empty in others.items():
            rows = rows & ((pl.col(name) == label) if name == by else empty)
        for (observatory, zone), (level, code) in ATTACHED.items():
            picked = typed.filter(
                rows & (pl.col(OBSERVATORY) == observatory) & (pl.col(ZONE) == zone)
            )
            value = pl.col(column).cast(pl.Float64)
            parts.append(
                picked.select(
                    pl.lit(level).alias("level"),
                    pl.lit(code).alias("code"),
                    pl.lit(year).alias("year"),
                    pl.lit(variable).alias("variable"),
                    value.alias("value"),
                    pl.when(value.is_null())
                    .then(pl.lit(Status.MISSING))
                    .otherwise(pl.lit(Status.OK))
                    .alias("status"),
                    pl.lit(year if level == "COM" else COG_YEAR).alias(ROW_GEO_VINTAGE),
                )
            )
    return observations(pl.concat(parts).sort("level", "code", "variable"))


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    # The producer writes Latin-1; a copy re-saved in UTF-8 reads the same.
    raw = read_rows(path, sep=";", encodings=("utf-8", "cp1252"))
    layout = detect_layout(raw, _LAYOUTS, path.name)
    raw = _normalised(raw)
    typed = parse(raw, FIELDS, path.name).with_columns(
        pl.col(c).fill_null("") for c in (AGGLOMERATION, ZONE, *BREAKDOWNS)
    )
    check_unique(typed, KEY, path.name)
    schema = pa.DataFrameSchema(
        {
            YEAR: pa.Column(int, pa.Check.in_range(2000, 2100)),
            **{c: pa.Column(float, pa.Check.gt(0), nullable=True) for c in RENTS},
            COUNT: pa.Column(int, pa.Check.ge(0), nullable=True),
        }
    )
    typed = validate(typed, schema, path.name)
    year = _check_one_year(typed, path.name)
    millesime = require_millesime(millesime, year, path.name)
    obs = _observations(typed, year)
    found = sorted({(o, z) for o, z in typed.select(OBSERVATORY, ZONE).iter_rows()})
    attached = [ZONE_NAMES[k] for k in found if k in ATTACHED]
    observatories = typed[OBSERVATORY].n_unique()
    return Batch(
        millesime=millesime,
        part="agglomerations",
        geo_vintage=year,
        layout=layout,
        tables={"observations": obs},
        row_count=typed.height,
        notes=[
            f"{observatories} observatoires, données {year} ; zones rattachées à un "
            f"territoire : {', '.join(attached) or 'aucune'}",
            "les autres zones n'ont pas de périmètre communal documenté : non rattachées",
        ],
        perimeter=(
            "valeur publiée par l'observatoire local des loyers pour sa zone : MEL pour "
            "l'agglomération de Lille, ville de Lille pour la zone « Ville centre », CU "
            "d'Arras pour l'agglomération d'Arras"
        ),
    )


SOURCE = SourceInfo(
    name="oll",
    label="Observatoires locaux des loyers",
    producer="Réseau des observatoires locaux des loyers (ANIL, ministère chargé du logement)",
    url=(
        "https://www.data.gouv.fr/fr/datasets/"
        "resultats-nationaux-des-observatoires-locaux-des-loyers/"
    ),
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Loyers du parc locatif privé (hors charges, €/m²) par agglomération et zone "
        "d'observation : loyer médian, loyer moyen, nombre d'observations, par type de "
        "logement et nombre de pièces, 2014-2022 (Lille : MEL ; Arras : CU d'Arras)."
    ),
    read=read,
    not_derivable=(
        "valeur publiée par l'observatoire local des loyers pour sa zone d'observation "
        "seulement (MEL, CU d'Arras, ville de Lille) : une médiane ne se recalcule pas à "
        "partir d'autres territoires"
    ),
)
