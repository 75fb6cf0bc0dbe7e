"""INSEE census populations municipales, series 2013-2021, one column per millésime.

File `populations-municipales-2013-2021-communes.csv` (/work/shared/data/real/SOURCES.md §12:
a third-party republication of INSEE's "estimations de population" data.gouv.fr dataset,
dataforgoodfr/13_odis; the values are INSEE's). Quirks checked on the real file:
- UTF-8 with a BOM, CRLF, "," separator; columns `objectid, reg, dep, cv, codgeo, libgeo,
  p13_pop ... p21_pop` (read by name: `pNN_pop` is the millésime 20NN).
- `reg` holds pre-2016 région codes and `cv` a canton-ville code: neither is used.
- The geography is a union of several COG: each millésime N is written on the COG of
  1 January N+2, as the populations légales are (53274 Vimarcé, merged in 2021, is empty
  from p19; 76601 Saint-Lucien, created in 2019, is empty before p17). An empty cell means
  the code did not exist in that year's geography: no observation (not 0, not missing).
- 14666 Sannerville (part of Troarn from 2017 to 2019) has no row at all: Calvados has no
  sum for the years its COG lists Sannerville (2013, 2014, 2018-2021), said per year.
- Paris, Lyon and Marseille come as arrondissements municipaux only, as in INSEE's files.
- p19 and p21 equal PMUN of the populations légales 2019 and 2021 for every common commune.

INSEE's warning: since the rolling census (2004), consecutive annual populations are not
meant to be compared; a change is read over at least five years (docs/methodes.md).
Variable: PMUN (habitants), level COM, one year per column, `geo_vintage` per row (N+2).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from observatoire.sources.base import (
    Batch,
    Field,
    Problem,
    SourceError,
    SourceInfo,
    check_unique,
    parse,
    read_rows,
    require_millesime,
    validate,
)
from observatoire.sources.schema import PEOPLE, ROW_GEO_VINTAGE, observations
from observatoire.status import Status

CODE = "codgeo"
_YEAR_COLUMN = re.compile(r"^p(\d{2})_pop$")
# Same convention as the populations légales: millésime N on the COG of 1 January N+2.
_COG_DELAY = 2


def _year_columns(raw: pl.DataFrame, file: str) -> dict[str, int]:
    found = {c: 2000 + int(m.group(1)) for c in raw.columns if (m := _YEAR_COLUMN.match(c))}
    missing = [c for c in (CODE,) if c not in raw.columns]
    if missing or not found:
        column = missing[0] if missing else "p21_pop"
        raise SourceError(
            [
                Problem(
                    file,
                    "colonne obligatoire absente de l'en-tête (codgeo et au moins une "
                    "colonne pNN_pop attendues).",
                    line=1,
                    column=column,
                )
            ]
        )
    return found


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=",", encodings=("utf-8",))
    years = _year_columns(raw, path.name)
    fields = [
        Field(CODE, "commune", nullable=False),
        *[Field(c, "int", bounds=PEOPLE) for c in years],
    ]
    typed = parse(raw, fields, path.name)
    check_unique(typed, [CODE], path.name)
    schema = pa.DataFrameSchema({c: pa.Column(int, pa.Check.ge(0), nullable=True) for c in years})
    typed = validate(typed, schema, path.name)
    last = max(years.values())
    millesime = require_millesime(millesime, last, path.name)
    obs = observations(
        pl.concat(
            typed.filter(pl.col(column).is_not_null()).select(
                pl.lit("COM").alias("level"),
                pl.col(CODE).alias("code"),
                pl.lit(year).alias("year"),
                pl.lit("PMUN").alias("variable"),
                pl.col(column).cast(pl.Float64).alias("value"),
                pl.lit(Status.OK).alias("status"),
                pl.lit(year + _COG_DELAY).alias(ROW_GEO_VINTAGE),
            )
            for column, year in sorted(years.items(), key=lambda kv: kv[1])
        ).sort("code", "year")
    )
    first = min(years.values())
    return Batch(
        millesime=millesime,
        part="communes",
        geo_vintage=last + _COG_DELAY,
        layout="series",
        tables={"observations": obs},
        row_count=typed.height,
        notes=[
            f"populations municipales {first}-{last}, millésime N sur le COG de N+2",
            "à comparer sur au moins cinq ans (recensement par roulement)",
        ],
    )


SOURCE = SourceInfo(
    name="populations_series",
    label="Populations municipales 2013-2021 (INSEE, série)",
    producer="INSEE, recensement de la population",
    url="https://www.data.gouv.fr/fr/datasets/estimations-de-population/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Série des populations municipales du recensement par commune, millésimes 2013 à "
        "2021 (chaque millésime sur le COG de N+2). Les évolutions se lisent sur au moins "
        "cinq ans."
    ),
    read=read,
)
