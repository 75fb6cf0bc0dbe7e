"""Sitadel: "Liste des autorisations d'urbanisme créant des logements" (SDES), by commune.

One line per authorisation (PC, DP, rarely PA) creating dwellings, authorised since 2013,
with its state and real dates. Quirks (checked on the January 2026 edition):
- ";" separator, UTF-8, TWO header lines: line 1 holds the long French labels, line 2 the
  variable codes, data from line 3 (a file whose first line already holds the codes is also
  read). 100 columns; only the dozen used here are typed, but every line must have as many
  fields as the header. Quoted strings, ISO dates, "true"/"false"; unquoted numbers.
- Some addresses carry mojibake ("ALLAÃ\\x82Â\\x89E"): address columns are not read.
- ETAT_DAU: 2 autorisé, 4 annulé, 5 commencé, 6 terminé. An annulled permit may have had its
  works opened before the annulment: it is excluded from both counts below.
- The key is TYPE_DAU + NUM_DAU: a PC and a DP may share a number (0315552500300 in the
  Toulouse extract); a key present twice is an error (it would be counted twice).

Variables (dwellings, counts summed per commune COMM x calendar year, annulled excluded):
- LOGEMENTS_AUTORISES: NB_LGT_TOT_CREES by year of DATE_REELLE_AUTORISATION ("date réelle
  d'autorisation (PC) ou de non-opposition (DP) initiale"); breakdowns by the same date:
  _INDIVIDUELS NB_LGT_IND_CREES, _COLLECTIFS NB_LGT_COL_CREES (includes dwellings in
  residences: TOT = IND + COL), _RESIDENCE NB_LGT_RES (résidences services, étudiants,
  seniors, sociales...), _LOCATIF_SOCIAL NB_LGT_PRET_LOC_SOCIAL ("logements locatifs
  sociaux"), _ACCESSION_SOCIALE NB_LGT_ACC_SOC_HORS_PTZ ("logements aidés hors PTZ"),
  _PTZ NB_LGT_PTZ. An empty breakdown cell counts 0.
- By type of construction (Sitadel's own "type de logement" breakdown, same date):
  _INDIV_PURS NB_LGT_INDIV_PURS (individuel pur), _INDIV_GROUPES NB_LGT_INDIV_GROUPES
  (individuel groupé), _COL_HORS_RES NB_LGT_COL_HORS_RES (collectif hors résidence) and
  _RESIDENCE above. Each comes from its own column, never by difference: in the real
  Toulouse file, 7 of 3,710 permits have IND != PURS + GROUPES (and COL != RES + HORS_RES).
- LOGEMENTS_COMMENCES: NB_LGT_TOT_CREES by year of DATE_REELLE_DOC (declared opening of
  works), and by type: LOGEMENTS_COMMENCES_INDIV_PURS, _INDIV_GROUPES, _COL_HORS_RES,
  _RESIDENCE (same columns as above, by the date of opening). Works open 0 to 3 years after authorisation (Toulouse: 18 % the same year, 61 %
  the next, 16 % and 4 % after 2 and 3 years) and the list starts with the authorisations
  of 2013, so starts are only emitted from the first authorisation year + 3 on (2016):
  earlier years would miss the works of permits authorised before 2013.
These are counts of the list in date réelle, not SDES's published series (which are
re-estimated each month). Recent years move: late declarations of opening are frequent.

Year = calendar year of the date. Millésime = the edition ("2026-01" in the file name ->
2026; otherwise the month after the latest DPC_DERN). Absence: a commune of a département
present in the file with no authorisation in a year = 0 (explicit rows are emitted for every
commune-year having an authorisation or a start, all variables, zeros included); a
département absent from the file = not loaded. Arrondissement codes (Paris, Lyon,
Marseille), if any, are distinct permits: kept, the engine maps them to their city. Codes
are taken as on the COG of the year before the edition (assumption: not documented).
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
    departements_part,
    first_line,
    observations,
    parse,
    read_rows,
    validate,
)
from observatoire.sources.schema import DWELLINGS
from observatoire.status import Status

AUTORISES = {
    "LOGEMENTS_AUTORISES": "NB_LGT_TOT_CREES",
    "LOGEMENTS_AUTORISES_INDIVIDUELS": "NB_LGT_IND_CREES",
    "LOGEMENTS_AUTORISES_COLLECTIFS": "NB_LGT_COL_CREES",
    "LOGEMENTS_AUTORISES_RESIDENCE": "NB_LGT_RES",
    "LOGEMENTS_AUTORISES_LOCATIF_SOCIAL": "NB_LGT_PRET_LOC_SOCIAL",
    "LOGEMENTS_AUTORISES_ACCESSION_SOCIALE": "NB_LGT_ACC_SOC_HORS_PTZ",
    "LOGEMENTS_AUTORISES_PTZ": "NB_LGT_PTZ",
    "LOGEMENTS_AUTORISES_INDIV_PURS": "NB_LGT_INDIV_PURS",
    "LOGEMENTS_AUTORISES_INDIV_GROUPES": "NB_LGT_INDIV_GROUPES",
    "LOGEMENTS_AUTORISES_COL_HORS_RES": "NB_LGT_COL_HORS_RES",
}
COMMENCES = {
    "LOGEMENTS_COMMENCES": "NB_LGT_TOT_CREES",
    "LOGEMENTS_COMMENCES_INDIV_PURS": "NB_LGT_INDIV_PURS",
    "LOGEMENTS_COMMENCES_INDIV_GROUPES": "NB_LGT_INDIV_GROUPES",
    "LOGEMENTS_COMMENCES_COL_HORS_RES": "NB_LGT_COL_HORS_RES",
    "LOGEMENTS_COMMENCES_RESIDENCE": "NB_LGT_RES",
}
VARIABLES = {
    "LOGEMENTS_AUTORISES": "Logements autorisés (date réelle d'autorisation, hors annulés)",
    "LOGEMENTS_AUTORISES_INDIVIDUELS": "dont individuels",
    "LOGEMENTS_AUTORISES_COLLECTIFS": "dont collectifs (y compris en résidence)",
    "LOGEMENTS_AUTORISES_RESIDENCE": "dont en résidence",
    "LOGEMENTS_AUTORISES_LOCATIF_SOCIAL": "dont locatifs sociaux",
    "LOGEMENTS_AUTORISES_ACCESSION_SOCIALE": "dont aidés hors PTZ (accession sociale)",
    "LOGEMENTS_AUTORISES_PTZ": "dont financés par un PTZ",
    "LOGEMENTS_COMMENCES": (
        "Logements commencés (date réelle d'ouverture de chantier, hors annulés)"
    ),
    "LOGEMENTS_AUTORISES_INDIV_PURS": "dont individuels purs",
    "LOGEMENTS_AUTORISES_INDIV_GROUPES": "dont individuels groupés",
    "LOGEMENTS_AUTORISES_COL_HORS_RES": "dont collectifs hors résidence",
    "LOGEMENTS_COMMENCES_INDIV_PURS": "commencés, dont individuels purs",
    "LOGEMENTS_COMMENCES_INDIV_GROUPES": "commencés, dont individuels groupés",
    "LOGEMENTS_COMMENCES_COL_HORS_RES": "commencés, dont collectifs hors résidence",
    "LOGEMENTS_COMMENCES_RESIDENCE": "commencés, dont en résidence",
}
ETATS = {2: "autorisé", 4: "annulé", 5: "commencé", 6: "terminé"}
ANNULE = 4
START_LAG = 3  # years after the first authorisation year before starts are complete
TOTAL = "NB_LGT_TOT_CREES"
AUT_DATE, DOC_DATE = "DATE_REELLE_AUTORISATION", "DATE_REELLE_DOC"
_EDITION = re.compile(r"(20\d{2})-(0[1-9]|1[0-2])(?!\d)")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

FIELDS = [
    Field("COMM", "commune", nullable=False),
    Field("DEP_CODE", "code", nullable=False),
    Field("TYPE_DAU", "text", nullable=False),
    Field("NUM_DAU", "text", nullable=False),
    Field("ETAT_DAU", "int", nullable=False),
    Field(AUT_DATE, "date", nullable=False),
    Field(DOC_DATE, "date"),
    Field("DPC_DERN", "text"),
    Field(TOTAL, "int", nullable=False, bounds=DWELLINGS),
    *[Field(col, "int", bounds=DWELLINGS) for col in AUTORISES.values() if col != TOTAL],
]


def _header_line(path: Path) -> int:
    """2 for the producer's file (labels, then codes); 1 if the codes come first."""
    return 1 if TOTAL.encode() in first_line(path) else 2


def _edition(path: Path, typed: pl.DataFrame) -> int | None:
    m = _EDITION.search(path.name)
    if m:
        return int(m.group(1))
    months = [m for v in typed["DPC_DERN"].drop_nulls().to_list() if (m := _MONTH.match(v))]
    if not months:
        return None
    year, month = max((int(m.group(1)), int(m.group(2))) for m in months)
    return year + 1 if month == 12 else year


def _sum_by_year(frame: pl.DataFrame, date: str, columns: dict[str, str]) -> pl.DataFrame:
    return (
        frame.filter(pl.col(date).is_not_null())
        .group_by(pl.col("COMM").alias("code"), pl.col(date).dt.year().cast(pl.Int32).alias("year"))
        .agg([pl.col(col).fill_null(0).sum().alias(var) for var, col in columns.items()])
    )


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(
        path,
        sep=";",
        encodings=("utf-8",),
        header_line=_header_line(path),
        keep={f.name for f in FIELDS},
    )
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["TYPE_DAU", "NUM_DAU"], path.name)
    counts = {col: pa.Column(int, pa.Check.ge(0), nullable=True) for col in AUTORISES.values()}
    schema = pa.DataFrameSchema({"ETAT_DAU": pa.Column(int, pa.Check.isin(list(ETATS))), **counts})
    typed = validate(typed, schema, path.name)
    millesime = millesime or _edition(path, typed)
    if millesime is None:
        raise SourceError(
            [Problem(path.name, "millésime introuvable dans le fichier : précisez --millesime.")]
        )
    valid = typed.filter(pl.col("ETAT_DAU") != ANNULE)
    authorised = _sum_by_year(valid, AUT_DATE, AUTORISES)
    first_start = int(typed.select(pl.col(AUT_DATE).dt.year().min()).item())
    started = _sum_by_year(valid, DOC_DATE, COMMENCES)
    wide = authorised.join(started, on=["code", "year"], how="full", coalesce=True)
    variables = [*AUTORISES, *COMMENCES]
    wide = wide.with_columns([pl.col(v).fill_null(0) for v in variables])
    long = wide.unpivot(index=["code", "year"], on=variables, variable_name="variable").filter(
        ~pl.col("variable").is_in(list(COMMENCES)) | (pl.col("year") >= first_start + START_LAG)
    )
    obs = observations(
        long.with_columns(pl.lit("COM").alias("level"), pl.lit(Status.OK).alias("status")).sort(
            "code", "year", "variable"
        )
    )
    deps = sorted(set(typed["DEP_CODE"].to_list()))
    annulled = typed.height - valid.height
    return Batch(
        millesime=millesime,
        part=departements_part(deps),
        geo_vintage=millesime - 1,
        layout="liste_dau_logements",
        tables={"observations": obs},
        row_count=typed.height,
        notes=[
            "commune absente d'un département présent = 0 logement autorisé ou commencé",
            f"départements couverts : {', '.join(deps)}",
            f"{annulled} autorisations annulées (ETAT_DAU = 4) exclues",
            f"logements commencés à partir de {first_start + START_LAG} seulement "
            f"(autorisations listées depuis {first_start})",
        ],
    )


SOURCE = SourceInfo(
    name="sitadel",
    label="Autorisations d'urbanisme créant des logements (Sitadel)",
    producer="SDES (ministère chargé du logement)",
    url="https://www.statistiques.developpement-durable.gouv.fr/"
    "liste-des-permis-de-construire-et-autres-autorisations-durbanisme",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Logements autorisés (date réelle d'autorisation) et commencés (date réelle "
        "d'ouverture de chantier), hors autorisations annulées, par commune et par année, "
        "avec le détail individuel, collectif, résidence, locatif social, accession aidée, PTZ."
    ),
    read=read,
)
