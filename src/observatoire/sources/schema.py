"""What every national source declares and emits: its official columns (`Field`), the
`Batch` a reader returns, the `SourceError` that gathers every problem of a file, and the
tidy `observations` table, the contract with the indicator engine (level, code, year,
variable, value, status: see OBSERVATION_COLUMNS). Reading a file is in
observatoire.sources.base."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import polars as pl

from observatoire.problems import Problem, render
from observatoire.status import OBSERVED, Status

LINE = "_line"
"""Column added to every raw frame: the physical line of the record in the file (1-based)."""

COVERAGE_TABLE = "couverture"
"""Optional table of a records source (DVF): year, code_commune, dep, dep_complet: the
communes the file covers, and whether their département is whole in the file (its absent
communes then count as 0 records). Without it, only communes with a record are covered."""

OBSERVATION_COLUMNS = {
    "level": pl.Utf8,  # COM, EPCI, DEP, REG, FR
    "code": pl.Utf8,
    "year": pl.Int32,  # the data's own year (RP 2021 -> 2021)
    "variable": pl.Utf8,  # e.g. "P21_LOGVAC" -> declared names, see each module
    "value": pl.Float64,  # null when secret or missing
    "status": pl.Utf8,  # ok | secret | missing | estimated
}
# Optional: the COG year of this row's code when it differs from the batch's (a producer
# that leaves some communes on an older geography; see sources/insee_rp.py).
ROW_GEO_VINTAGE = "geo_vintage"


class SourceError(Exception):
    """One or more problems in an input file. Nothing has been stored."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        return render(self.problems, "dans le fichier", "rien n'a été importé")


Kind = Literal["commune", "code", "text", "int", "float", "date", "bool"]


@dataclass(frozen=True)
class Magnitude:
    """The largest plausible size of a number: beyond it (NaN and infinities always are)
    the value is an export or typing accident ("1e300" dwellings, a 40-digit price),
    refused with its line before it reaches a sum. Signs and ranges are the pandera
    schemas' job, so that they are reported with the other failed checks."""

    limit: float
    unit: str = ""

    def contains(self, value: float) -> bool:
        return abs(value) <= self.limit  # False for NaN

    def sql(self, column: str) -> str:
        """SQL condition true when the raw text `column` is not a number within the limit
        (DuckDB orders NaN above every number)."""
        return f"NOT coalesce(abs(TRY_CAST({column} AS DOUBLE)) <= {self.limit!r}, false)"

    def refuses(self, text: str) -> bool:
        """The Python twin of `sql`."""
        try:
            return not self.contains(float(text))
        except ValueError:
            return True

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        limit = f"{self.limit:,.0f}".replace(",", "\u202f")
        return f"nombre fini d'au plus {limit}{unit} (en valeur absolue)"


# Far above any real value, so that only accidents are refused: France has 37.8 million
# dwellings and 68 million inhabitants (INSEE RP 2021); the dearest DVF mutations are
# about 2 billion euros.
DWELLINGS = Magnitude(50_000_000, "logements")
PEOPLE = Magnitude(100_000_000, "personnes, ménages ou unités de consommation")
INCOME = Magnitude(10_000_000, "€")
PRICE = Magnitude(10_000_000_000, "€")
PRICE_M2 = Magnitude(1_000_000, "€/m²")
SURFACE = Magnitude(1_000_000_000, "m²")
ANY_NUMBER = Magnitude(1e12)
"""Every int or float Field without its own bounds: finite, and no 40-digit number."""


@dataclass(frozen=True)
class Field:
    """An official column. `kind` drives the cleaning of producer quirks:

    - commune: INSEE code as 5-character text; lost leading zeros are restored
      ("1001" -> "01001", Corsica "2A004" kept).
    - int / float: decimal comma, space or non-breaking-space thousands separators.
    - `missing` markers become null with status missing; `secret` markers become null
      with status secret (a `<name>__secret` boolean column is added).
    - int / float values beyond `bounds` (NaN and infinities always are) are refused.
    """

    name: str
    kind: Kind = "text"
    required: bool = True
    nullable: bool = True
    secret: tuple[str, ...] = ()
    missing: tuple[str, ...] = ("", "NA", "N/A")
    label: str = ""
    bounds: Magnitude = ANY_NUMBER


@dataclass
class Batch:
    """What a reader returns: tables to store, plus what it learned about the file."""

    millesime: int
    part: str = "default"  # which slice of the source this file replaces (e.g. a level)
    geo_vintage: int | None = None  # COG year the codes are expressed in
    layout: str = ""
    tables: dict[str, pl.DataFrame | duckdb.DuckDBPyRelation] = field(default_factory=dict)
    row_count: int = 0
    notes: list[str] = field(default_factory=list)
    # What the file's territories cover when narrower than their name, shown beside each
    # of its values (FILO2019_DISP_METROPOLE: the "France" row is France métropolitaine).
    perimeter: str = ""


@dataclass(frozen=True)
class SourceInfo:
    name: str  # CLI name, e.g. "insee_rp_logement"
    label: str  # French label
    producer: str
    url: str
    licence: str
    description: str
    read: Callable[..., Batch]
    # Levels above the commune the producer publishes its own files for: where one is not
    # imported, a value is "not loaded", not "not published" (Filosofi: EPCI to France).
    published_levels: tuple[str, ...] = ()
    # Why a published commune value has no parent value, when the source knows better than
    # "not published at this scale" (SRU: the file has no résidences principales).
    not_derivable: str = ""
    # Where a user gets the file when the source is not loaded (sources that are not open
    # data, or not in the demo): shown beside "source non chargée".
    how_to_obtain: str = ""
    # False for a source published above the commune only (département estimates): a
    # commune is then "unavailable" with `not_derivable`, not "missing".
    communes: bool = True


def commune_observations(parts: list[pl.DataFrame], year: int) -> pl.DataFrame:
    """Per-commune variable frames of one year (code, variable, value, status) as
    observations, in a stable order."""
    return observations(
        pl.concat(parts)
        .with_columns(pl.lit("COM").alias("level"), pl.lit(year).alias("year"))
        .sort("code", "variable")
    )


def observations(rows: pl.DataFrame) -> pl.DataFrame:
    """Normalise a frame to the observation contract (types, column order, status check)."""
    columns = dict(OBSERVATION_COLUMNS)
    if ROW_GEO_VINTAGE in rows.columns:
        columns[ROW_GEO_VINTAGE] = pl.Int32
    frame = rows.select([pl.col(name).cast(dtype) for name, dtype in columns.items()])
    bad = frame.filter(~pl.col("status").is_in(list(OBSERVED)))
    if bad.height:
        raise ValueError(f"statut inconnu : {bad['status'][0]}")
    # Readers refuse non-finite inputs (Field.bounds); one here is a reader's own bug.
    infinite = frame.filter(pl.col("value").is_not_null() & ~pl.col("value").is_finite())
    if infinite.height:
        raise ValueError(f"valeur non finie : {infinite.row(0)}")
    return frame


def melt_values(
    typed: pl.DataFrame,
    *,
    level: str | pl.Expr,
    code: str,
    year: int,
    variables: dict[str, str],
) -> pl.DataFrame:
    """Wide typed frame -> observations. `variables` maps column -> variable name.

    Status is `secret` where the column's secret flag is set, `missing` where the value
    is null otherwise, `ok` elsewhere.
    """
    parts = []
    level_expr = pl.lit(level) if isinstance(level, str) else level
    for column, variable in variables.items():
        secret_flag = f"{column}__secret"
        secret = pl.col(secret_flag) if secret_flag in typed.columns else pl.lit(False)
        value = pl.col(column).cast(pl.Float64)
        status = (
            pl.when(secret)
            .then(pl.lit(Status.SECRET))
            .when(value.is_null())
            .then(pl.lit(Status.MISSING))
            .otherwise(pl.lit(Status.OK))
        )
        parts.append(
            typed.select(
                level_expr.alias("level"),
                pl.col(code).alias("code"),
                pl.lit(year).alias("year"),
                pl.lit(variable).alias("variable"),
                value.alias("value"),
                status.alias("status"),
            )
        )
    return observations(pl.concat(parts))
