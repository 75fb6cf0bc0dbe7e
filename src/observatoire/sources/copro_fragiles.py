"""Copropriétés fragiles: the Anah / DGALN "outil d'aide au repérage des copropriétés
fragiles", counts by commune and family A to D.

Producer's documentation: study ordered by the DGALN and the Anah from the CETE
Nord-Picardie (2009, then Cerema updates, the latest on FILOCOM 2013; cerema.fr, « Éléments
de connaissance sur les copropriétés présentant des facteurs de fragilité »; Anah, « Un
nouvel outil d'aide au repérage local des copropriétés fragiles », 2013). Each copropriété
of FILOCOM (DGFiP) is scored on the occupants' socio-economic situation, the state of the
building, its position on the local market, the owners' capacity to pay for upkeep and the
presumption of « marchands de sommeil », against the private stock of its aire urbaine,
then classed in four families, A (lowest potential of fragility) to D (highest). The
databases are handed to the DREAL and DDT(M), and extracts to collectivités under
convention: not open data, diffusion "restreint". FILOCOM's secrecy rule applies: a count
below 11 is masked ("s").

No real file could be obtained here (the report and the databases are not public): the
tests read small files written from the documented content, saved as the commune table
the DDT hands out:
- ";" separator, Windows-1252 or UTF-8, one line per commune.
- `CODGEO` (INSEE commune code), `LIBGEO`, `NB_COPRO` (copropriétés evaluated),
  `NB_COPRO_A`, `NB_COPRO_B`, `NB_COPRO_C`, `NB_COPRO_D` (by family); "s" = secret (fewer
  than 11), kept as secret, never 0.
- A family above the total is refused; when every count of a line is published, the four
  families must add up to the total.
- The file carries no year: --millesime, or a year in the file name (FILOCOM millésime).

Variables per commune, year = millésime: NB_COPRO, NB_COPRO_A..D. Absence: a commune
missing from the file = secret (the producer leaves out the communes it cannot publish).
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
    communes_part,
    melt_values,
    parse,
    read_rows,
    require_millesime,
)
from observatoire.sources.schema import Magnitude

SECRET = ("s", "S", "secret")
FAMILIES = ("NB_COPRO_A", "NB_COPRO_B", "NB_COPRO_C", "NB_COPRO_D")
VARIABLES = {
    "NB_COPRO": "Copropriétés évaluées (FILOCOM)",
    "NB_COPRO_A": "Copropriétés de la famille A (plus faible potentiel de fragilité)",
    "NB_COPRO_B": "Copropriétés de la famille B",
    "NB_COPRO_C": "Copropriétés de la famille C",
    "NB_COPRO_D": "Copropriétés de la famille D (plus fort potentiel de fragilité)",
}
# 520,000 copropriétés evaluated in France (Anah, 2013): no commune holds a million.
_COUNT = Magnitude(1_000_000, "copropriétés")
FIELDS = [
    Field("CODGEO", "commune", nullable=False),
    Field("LIBGEO", "text", required=False),
    *(Field(v, "int", secret=SECRET, bounds=_COUNT) for v in VARIABLES),
]
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _problems(
    typed: pl.DataFrame, file: str, column: str, bad: pl.Series, message: str
) -> list[Problem]:
    bad = bad.fill_null(False)
    return [
        Problem(file, message, int(line), column, str(value))
        for line, value in zip(typed[LINE].filter(bad), typed[column].filter(bad), strict=True)
    ]


def _refuse_values(typed: pl.DataFrame, file: str) -> None:
    problems: list[Problem] = []
    for column in VARIABLES:
        problems += _problems(
            typed, file, column, typed[column] < 0, "nombre positif ou nul attendu."
        )
    for family in FAMILIES:
        problems += _problems(
            typed,
            file,
            family,
            typed[family] > typed["NB_COPRO"],
            f"plus de copropriétés de la famille {family[-1]} que de copropriétés évaluées.",
        )
    total = sum((typed[f] for f in FAMILIES), start=pl.Series([0] * typed.height))
    problems += _problems(
        typed,
        file,
        "NB_COPRO",
        total != typed["NB_COPRO"],
        "les familles A à D ne s'additionnent pas au nombre de copropriétés évaluées.",
    )
    if problems:
        raise SourceError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8", "cp1252"))
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["CODGEO"], path.name)
    _refuse_values(typed, path.name)
    m = _YEAR_IN_NAME.search(path.name)
    millesime = require_millesime(millesime, int(m.group(1)) if m else None, path.name)
    obs = melt_values(
        typed, level="COM", code="CODGEO", year=millesime, variables={v: v for v in VARIABLES}
    )
    secret = obs.filter(pl.col("status") == "secret").height
    return Batch(
        millesime=millesime,
        part=communes_part(typed["CODGEO"]),
        geo_vintage=millesime,
        layout="copro-fragiles-commune",
        tables={"observations": obs.sort("code", "variable")},
        row_count=typed.height,
        notes=[
            f"{secret} valeurs masquées par le producteur (moins de 11 copropriétés)",
            "commune absente = secret (FILOCOM : moins de 11)",
        ],
    )


SOURCE = SourceInfo(
    name="copro_fragiles",
    label="Copropriétés fragiles, familles A à D (Anah / DGALN, FILOCOM)",
    producer="Anah et DGALN, d'après FILOCOM (DGFiP), traitement Cerema",
    url="https://www.cerema.fr/fr/projets/elements-connaissance-coproprietes-presentant-facteurs",
    licence="Données sous convention, secret statistique FILOCOM (moins de 11)",
    description=(
        "Copropriétés évaluées par l'outil d'aide au repérage des copropriétés fragiles, par "
        "commune et par famille, de A (plus faible potentiel de fragilité) à D (plus fort), "
        "secret en dessous de 11."
    ),
    read=read,
    how_to_obtain=(
        "Base de l'outil d'aide au repérage des copropriétés fragiles, remise par la DREAL "
        "ou la DDT(M) sous convention (secret FILOCOM), enregistrée par commune en CSV "
        "(CODGEO;LIBGEO;NB_COPRO;NB_COPRO_A;NB_COPRO_B;NB_COPRO_C;NB_COPRO_D), puis : "
        "observatoire import copro_fragiles FICHIER.csv --millesime ANNÉE"
    ),
)
