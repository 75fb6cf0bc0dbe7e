"""INSEE populations légales: population municipale, comptée à part and totale per commune.

File `donnees_communes.csv` of INSEE's national archive (checked on the millésimes 2019, 2021
and 2023, /work/shared/data/real/SOURCES.md §12): UTF-8, ";", plain integers; the 2021 file
has CRLF line ends. Two layouts:
- 2019: `CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT`, where COM is the
  commune *name* and there is no 5-character code: it is the first two characters of CODDEP
  plus the three of CODCOM (01 + 001 -> 01001; 974 + 422 -> 97422; 2A + 004 -> 2A004).
- 2021 onwards: `REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;Commune;PMUN;PCAP;PTOT`, COM = code.
Paris, Lyon and Marseille come only as their arrondissements municipaux (75101.., 69381..,
13201..; no 75056 row): kept as such, COG harmonisation adds them up into their city.
Mayotte is absent. The files carry no year: the millésime comes from the file name
(`..._millesime2021.csv`) or --millesime. A millésime N is the population at 1 January N,
published at the end of N+2 on the COG of 1 January N+2 (34,970 rows of the 2021 file =
COG 2023 communes minus PLM plus their 45 arrondissements).

PMUN is the resident population (each person counted once); PCAP (students, boarders...)
are also in the PMUN of another commune, so only PMUN is summed into parents. Variables:
PMUN, PCAP, PTOT. Absent commune: missing (not 0: every inhabited commune is listed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandera.polars as pa
import polars as pl

from observatoire.sources.base import (
    Batch,
    Field,
    SourceInfo,
    check_unique,
    detect_layout,
    melt_values,
    parse,
    read_rows,
    require_millesime,
    validate,
)
from observatoire.sources.schema import PEOPLE

VARIABLES = {
    "PMUN": "Population municipale (habitants)",
    "PCAP": "Population comptée à part (habitants)",
    "PTOT": "Population totale (habitants)",
}
_COUNTS = [Field(v, "int", nullable=False, bounds=PEOPLE) for v in VARIABLES]
_LAYOUTS: dict[str, Sequence[str]] = {
    "depuis_2021": ("DEP", "CODCOM", "COM", "Commune", "PMUN", "PCAP", "PTOT"),
    "2019": ("CODDEP", "CODCOM", "COM", "PMUN", "PCAP", "PTOT"),
}
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
# The COG a millésime N file is written on: that of 1 January N+2 (row counts, SOURCES.md).
_COG_DELAY = 2


def _with_code(raw: pl.DataFrame, layout: str) -> pl.DataFrame:
    """The 2019 layout has no commune code: built from CODDEP and CODCOM, as INSEE does."""
    if layout != "2019":
        return raw
    dep = raw["CODDEP"].str.strip_chars().str.slice(0, 2)
    com = raw["CODCOM"].str.strip_chars().str.zfill(3)
    return raw.drop("COM").with_columns((dep + com).alias("COM"))


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8",))
    layout = detect_layout(raw, _LAYOUTS, path.name)
    typed = parse(
        _with_code(raw, layout), [Field("COM", "commune", nullable=False), *_COUNTS], path.name
    )
    check_unique(typed, ["COM"], path.name)
    schema = pa.DataFrameSchema(
        {v: pa.Column(int, pa.Check.ge(0), nullable=False) for v in VARIABLES}
    )
    typed = validate(typed, schema, path.name)
    found = _YEAR_IN_NAME.search(path.name)
    year = require_millesime(millesime, int(found.group(1)) if found else None, path.name)
    obs = melt_values(
        typed, level="COM", code="COM", year=year, variables={v: v for v in VARIABLES}
    )
    return Batch(
        millesime=year,
        part="communes",
        geo_vintage=year + _COG_DELAY,
        layout=layout,
        tables={"observations": obs},
        row_count=typed.height,
        notes=[
            f"population au 1er janvier {year}, communes du COG {year + _COG_DELAY}",
            "Paris, Lyon et Marseille par arrondissements municipaux",
        ],
    )


SOURCE = SourceInfo(
    name="populations_legales",
    label="Populations légales (INSEE)",
    producer="INSEE, recensement de la population",
    url="https://www.insee.fr/fr/information/2008354",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Population municipale, population comptée à part et population totale de chaque "
        "commune au 1er janvier du millésime (publiées fin N+2, sur le COG de N+2). Paris, "
        "Lyon et Marseille par arrondissements municipaux."
    ),
    read=read,
)
