"""RNIC: Registre national d'immatriculation des copropriétés (Anah), open-data extract.

Producer's documentation: data.gouv.fr, dataset "Registre national d'immatriculation des
copropriétés" (Anah, teneur du registre), file `rnc-data-gouv-with-qpv.csv` published each
quarter, with its description of fields (one line per immatriculated syndicat de
copropriétaires; columns are the registry's labels in snake_case, cut at 64 characters).
No real file could be obtained here (SOURCES.md, "Still not found": only download code):
the tests read small files written from this documented layout.

Columns used (the file has about 60): `numero_d_immatriculation` (key, "AA1234567"),
`code_officiel_commune` (INSEE code of the reference address, added by Etalab's
geocoding), `type_de_syndic_benevole_professionnel_non_connu` ("professionnel",
"bénévole", "coopératif", "non connu"), `nombre_total_de_lots`,
`nombre_de_lots_a_usage_d_habitation`, `periode_de_construction` ("AVANT_1949",
"DE_1949_A_1960", "DE_1961_A_1974", "DE_1975_A_1993", "DE_1994_A_2000", "DE_2001_A_2010",
"A_COMPTER_DE_2011", "NON_CONNUE"), `code_qp` (quartier prioritaire of the address, empty
outside; the "with-qpv" of the file name).
Quirks:
- "," separator, UTF-8. Unknown text values are written "non connu" (type de syndic) or
  "NON_CONNUE" (période): they count in the number of copropriétés but not in the share
  with a professional syndic, whose denominator is the copropriétés of known syndic type.
- The registry no longer publishes arrêtés nor impayés (older extracts had
  `nombre_d_arretes_...` columns, now removed): "in difficulty" cannot be derived from
  this file; the Anah "copropriétés fragiles" (family D) are a separate, restricted file.
- `code_officiel_commune` is empty when the address could not be geocoded: such
  copropriétés are left out (counted in a note).
- A number present twice is an error.

Variables, per commune, year = millésime: COPRO (copropriétés immatriculées),
COPRO_LOTS_HABITATION (lots à usage d'habitation), COPRO_SYNDIC_PRO (with a professional
syndic), COPRO_SYNDIC_CONNU (of known syndic type), COPRO_QPV (in a QPV), COPRO_AVANT_1949
(built before 1949). Absence: a commune of a département present in the file without any
immatriculated copropriété = 0. Millésime: --millesime, else a year in the file name.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    Problem,
    SourceError,
    SourceInfo,
    check_unique,
    departement_of,
    departements_part,
    observations,
    parse,
    read_rows,
    require_millesime,
)
from observatoire.sources.schema import DWELLINGS
from observatoire.status import Status

NUMERO = "numero_d_immatriculation"
COMMUNE = "code_officiel_commune"
SYNDIC = "type_de_syndic_benevole_professionnel_non_connu"
LOTS = "nombre_total_de_lots"
LOTS_HAB = "nombre_de_lots_a_usage_d_habitation"
PERIODE = "periode_de_construction"
QP = "code_qp"
SYNDICS = ("professionnel", "bénévole", "coopératif", "non connu")
PERIODES = (
    "AVANT_1949",
    "DE_1949_A_1960",
    "DE_1961_A_1974",
    "DE_1975_A_1993",
    "DE_1994_A_2000",
    "DE_2001_A_2010",
    "A_COMPTER_DE_2011",
    "NON_CONNUE",
)
VARIABLES = {
    "COPRO": "Copropriétés immatriculées au registre (syndicats)",
    "COPRO_LOTS_HABITATION": "Lots à usage d'habitation des copropriétés immatriculées",
    "COPRO_SYNDIC_PRO": "dont copropriétés gérées par un syndic professionnel",
    "COPRO_SYNDIC_CONNU": "dont copropriétés de type de syndic connu",
    "COPRO_QPV": "dont copropriétés situées en quartier prioritaire (QPV)",
    "COPRO_AVANT_1949": "dont copropriétés construites avant 1949",
}
FIELDS = [
    Field(NUMERO, "text", nullable=False),
    Field(COMMUNE, "commune"),
    Field(SYNDIC, "text", nullable=False),
    Field(LOTS, "int", bounds=DWELLINGS),
    Field(LOTS_HAB, "int", nullable=False, bounds=DWELLINGS),
    Field(PERIODE, "text", nullable=False),
    Field(QP, "text"),
]
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _refuse_values(typed: pl.DataFrame, file: str) -> None:
    checks = [
        (SYNDIC, ~typed[SYNDIC].is_in(list(SYNDICS)), f"valeurs admises : {', '.join(SYNDICS)}."),
        (PERIODE, ~typed[PERIODE].is_in(list(PERIODES)), "période de construction inconnue."),
        (LOTS_HAB, typed[LOTS_HAB] < 0, "nombre de lots positif ou nul attendu."),
        (
            LOTS_HAB,
            typed[LOTS].is_not_null() & (typed[LOTS_HAB] > typed[LOTS]),
            "plus de lots d'habitation que de lots au total.",
        ),
    ]
    problems = [
        Problem(file, message, int(line), column, str(value))
        for column, bad, message in checks
        for line, value in zip(typed[LINE].filter(bad), typed[column].filter(bad), strict=True)
    ]
    if problems:
        raise SourceError(problems)


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=",", encodings=("utf-8",), keep={f.name for f in FIELDS})
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, [NUMERO], path.name)
    _refuse_values(typed, path.name)
    m = _YEAR_IN_NAME.search(path.name)
    millesime = require_millesime(millesime, int(m.group(1)) if m else None, path.name)
    placed = typed.filter(pl.col(COMMUNE).is_not_null())
    if placed.is_empty():
        raise SourceError([Problem(path.name, "aucune copropriété située dans une commune.")])
    counts = placed.group_by(pl.col(COMMUNE).alias("code")).agg(
        pl.len().alias("COPRO"),
        pl.col(LOTS_HAB).sum().alias("COPRO_LOTS_HABITATION"),
        (pl.col(SYNDIC) == "professionnel").sum().alias("COPRO_SYNDIC_PRO"),
        (pl.col(SYNDIC) != "non connu").sum().alias("COPRO_SYNDIC_CONNU"),
        pl.col(QP).is_not_null().sum().alias("COPRO_QPV"),
        (pl.col(PERIODE) == "AVANT_1949").sum().alias("COPRO_AVANT_1949"),
    )
    long = counts.unpivot(index="code", variable_name="variable").with_columns(
        pl.lit("COM").alias("level"),
        pl.lit(millesime).alias("year"),
        pl.col("value").cast(pl.Float64),
        pl.lit(Status.OK).alias("status"),
    )
    obs = observations(long.sort("code", "variable"))
    deps = sorted({departement_of(c) for c in placed[COMMUNE].to_list()})
    return Batch(
        millesime=millesime,
        part=departements_part(deps),
        geo_vintage=millesime,
        layout="rnc-data-gouv-with-qpv",
        tables={"observations": obs},
        row_count=typed.height,
        notes=[
            "commune absente d'un département présent = 0 copropriété immatriculée",
            f"départements couverts : {', '.join(deps)}",
            f"{typed.height - placed.height} copropriétés sans commune (adresse non "
            "géocodée) non comptées",
            "le registre ne publie ni impayés ni arrêtés : pas d'indicateur de difficulté",
        ],
    )


SOURCE = SourceInfo(
    name="rnic",
    label="Registre national d'immatriculation des copropriétés (RNIC)",
    producer="Anah (teneur du registre)",
    url="https://www.data.gouv.fr/fr/datasets/registre-national-dimmatriculation-des-coproprietes/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Copropriétés immatriculées par commune : nombre, lots d'habitation, type de syndic, "
        "situation en QPV, période de construction."
    ),
    read=read,
    how_to_obtain=(
        "Fichier « rnc-data-gouv-with-qpv.csv » du registre national d'immatriculation des "
        "copropriétés (data.gouv.fr, publié chaque trimestre), puis : observatoire import "
        "rnic FICHIER.csv --millesime ANNÉE"
    ),
)
