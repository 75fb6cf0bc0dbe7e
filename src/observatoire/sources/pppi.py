"""PPPI: parc privé potentiellement indigne, by commune (Anah, from DGFiP's FILOCOM).

Producer's documentation: Anah / DGALN, "Parc privé potentiellement indigne (PPPI)" as
handed to collectivités and State services under convention (the "CD-Rom PPPI" tables by
commune, then the Anah's yearly files): résidences principales privées of cadastral
category 6 occupied by a household below 70 % of the HLM income ceiling, or of category 7
and 8 below 150 %, counted from FILOCOM (DGFiP, fiscal situation at 1 January of the
millésime). FILOCOM's secrecy rule applies: a count below 11 is masked ("s") and may not
be published; the file is not open data (diffusion "restreint" in the catalog, and every
value below 11 is masked again by the engine with its secondary-secrecy audit).

No real file could be obtained here (SOURCES.md, "Still not found": "PPPI: nothing, not open
data"): the tests read small files written from the documented layout.
- ";" separator, Windows-1252 or UTF-8, one line per commune.
- `CODGEO` (INSEE commune code, 4 digits when it went through a spreadsheet), `LIBGEO`,
  `RP_PRIVEES` (résidences principales du parc privé), `PPPI` (of which potentially
  indigne); "s" = secret (fewer than 11), kept as secret, never 0.
- A PPPI count above the private résidences principales of its commune is refused.
- The file carries no year: --millesime, or a year in the file name (FILOCOM millésime).

Variables per commune, year = millésime: RP_PRIVEES, PPPI. Absence: a commune missing
from the file = secret (the producer drops the communes it cannot publish).
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
from observatoire.sources.schema import DWELLINGS

SECRET = ("s", "S", "secret")
VARIABLES = {
    "RP_PRIVEES": "Résidences principales du parc privé (FILOCOM)",
    "PPPI": "Logements du parc privé potentiellement indigne (PPPI)",
}
FIELDS = [
    Field("CODGEO", "commune", nullable=False),
    Field("LIBGEO", "text", required=False),
    Field("RP_PRIVEES", "int", secret=SECRET, bounds=DWELLINGS),
    Field("PPPI", "int", secret=SECRET, bounds=DWELLINGS),
]
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _refuse_values(typed: pl.DataFrame, file: str) -> None:
    checks = [
        ("RP_PRIVEES", typed["RP_PRIVEES"] < 0, "nombre positif ou nul attendu."),
        ("PPPI", typed["PPPI"] < 0, "nombre positif ou nul attendu."),
        (
            "PPPI",
            typed["PPPI"] > typed["RP_PRIVEES"],
            "plus de logements potentiellement indignes que de résidences principales privées.",
        ),
    ]
    problems = [
        Problem(file, message, int(line), column, str(value))
        for column, bad, message in checks
        for line, value in zip(
            typed[LINE].filter(bad.fill_null(False)),
            typed[column].filter(bad.fill_null(False)),
            strict=True,
        )
    ]
    if problems:
        raise SourceError(problems)


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
        layout="pppi-commune",
        tables={"observations": obs.sort("code", "variable")},
        row_count=typed.height,
        notes=[
            f"{secret} valeurs masquées par le producteur (moins de 11 logements)",
            "commune absente = secret (FILOCOM : moins de 11 logements)",
        ],
    )


SOURCE = SourceInfo(
    name="pppi",
    label="Parc privé potentiellement indigne (PPPI, Anah / FILOCOM)",
    producer="Anah, d'après FILOCOM (DGFiP)",
    url="https://www.anah.gouv.fr/",
    licence="Données sous convention, secret statistique FILOCOM (moins de 11 logements)",
    description=(
        "Résidences principales privées potentiellement indignes par commune (catégories "
        "cadastrales et revenus des occupants, FILOCOM), secret en dessous de 11 logements."
    ),
    read=read,
    how_to_obtain=(
        "Fichier PPPI par commune remis par l'Anah ou la DREAL sous convention (secret "
        "FILOCOM), enregistré en CSV (CODGEO;LIBGEO;RP_PRIVEES;PPPI), puis : observatoire "
        "import pppi FICHIER.csv --millesime ANNÉE"
    ),
)
