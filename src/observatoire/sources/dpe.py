"""DPE: diagnostics de performance énergétique of existing dwellings (ADEME, DPE v2).

Producer's documentation: ADEME, dataset "DPE Logements existants (depuis juillet 2021)",
identifier `dpe03existant` (formerly `dpe-v2-logements-existants`), data.ademe.fr, with its
API "API DPE Logements" (data.gouv.fr dataservice `api-dpe-logements`) and its schema page
listing each column. One line per DPE delivered to the ADEME observatory since 1 July 2021
(method 3CL-2021); a DPE replaced by a later one of the same dwelling is dropped by ADEME.

Two spellings of the same columns are read:
- "libelles": the CSV export of the data.ademe.fr portal, ",", UTF-8 with BOM, 220 columns
  with pretty labels: `N°DPE, Date_établissement_DPE, Modèle_DPE, N°_DPE_remplacé,
  Etiquette_DPE, Type_bâtiment, Code_INSEE_(BAN)`... (checked on the real export of the
  sister dataset "DPE v2 logements neufs" of the Rhône, /work/shared/data/real/dpe: the
  shared columns are spelled the same);
- "api": the snake_case names of the API and of the current dataset: `numero_dpe,
  date_etablissement_dpe, modele_dpe, numero_dpe_remplace, etiquette_dpe, type_batiment,
  code_insee_ban`.
No real file of existing dwellings could be obtained here (SOURCES.md §12, "Still not
found"): the tests read small files written from this documented layout.

Quirks:
- Etiquette_DPE is one letter A..G; anything else is refused with its line.
- Type_bâtiment is maison, appartement or immeuble. An "immeuble" DPE describes a whole
  building, not one dwelling: it is not counted (a note gives how many were left out).
- Code_INSEE_(BAN) is empty when the address could not be geocoded: such DPE cannot be
  placed in a commune and are left out (counted in a note). Arrondissements (69388) are
  kept, the engine maps them to their city.
- A file of the "logements neufs" dataset (`Modèle_DPE` "DPE NEUF logement : RT2012") has
  the same columns: it is refused, its labels describe new buildings, not the stock.
- N°DPE is the key: a DPE present twice is an error. A DPE whose number appears in the
  `N°_DPE_remplacé` of another line of the file is superseded and left out.

Variables per commune x calendar year of Date_établissement_DPE: DPE_LOGEMENTS (DPE of
dwellings, maisons and appartements), DPE_FG (of which labelled F or G, "passoires").
Absence: a commune of a département present in the file without any DPE that year = 0.
The DPE are not a census of the stock: a dwelling gets one when it is sold or let (and
those let or sold are not the whole stock), so these counts describe the diagnosed
dwellings only. Millésime: --millesime, else the year of the latest DPE date. Codes are
taken as on the COG of the millésime (BAN geocoding is current).
"""

from __future__ import annotations

from collections.abc import Sequence
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
    detect_layout,
    observations,
    parse,
    read_rows,
    require_millesime,
)
from observatoire.status import Status

# canonical name -> column, per layout
LAYOUTS = {
    "libelles": {
        "numero": "N°DPE",
        "date": "Date_établissement_DPE",
        "modele": "Modèle_DPE",
        "remplace": "N°_DPE_remplacé",
        "etiquette": "Etiquette_DPE",
        "type": "Type_bâtiment",
        "commune": "Code_INSEE_(BAN)",
    },
    "api": {
        "numero": "numero_dpe",
        "date": "date_etablissement_dpe",
        "modele": "modele_dpe",
        "remplace": "numero_dpe_remplace",
        "etiquette": "etiquette_dpe",
        "type": "type_batiment",
        "commune": "code_insee_ban",
    },
}
SIGNATURES: dict[str, Sequence[str]] = {
    name: (cols["numero"], cols["etiquette"], cols["commune"]) for name, cols in LAYOUTS.items()
}
ETIQUETTES = ("A", "B", "C", "D", "E", "F", "G")
TYPES = {"maison": True, "appartement": True, "immeuble": False}
NEUF = "DPE NEUF"
VARIABLES = {
    "DPE_LOGEMENTS": "DPE de logements existants établis dans l'année (maisons et appartements)",
    "DPE_FG": "dont étiquette énergie F ou G (passoires énergétiques)",
}


def _fields(cols: dict[str, str]) -> list[Field]:
    return [
        Field(cols["numero"], "text", nullable=False),
        Field(cols["date"], "date", nullable=False),
        Field(cols["modele"], "text", required=False),
        Field(cols["remplace"], "text", required=False),
        Field(cols["etiquette"], "text", nullable=False),
        Field(cols["type"], "text", nullable=False),
        Field(cols["commune"], "commune"),
    ]


def _refuse_values(typed: pl.DataFrame, cols: dict[str, str], file: str) -> None:
    checks = [
        (
            cols["etiquette"],
            ~typed[cols["etiquette"]].is_in(list(ETIQUETTES)),
            "étiquette DPE attendue : une lettre de A à G.",
        ),
        (
            cols["type"],
            ~typed[cols["type"]].is_in(list(TYPES)),
            f"type de bâtiment inconnu (valeurs admises : {', '.join(TYPES)}).",
        ),
    ]
    if cols["modele"] in typed.columns:
        checks.append(
            (
                cols["modele"],
                typed[cols["modele"]].fill_null("").str.starts_with(NEUF),
                "DPE de logement neuf : ce fichier vient du jeu « DPE logements neufs » ; "
                "importez le jeu des logements existants (dpe03existant).",
            )
        )
    problems = [
        Problem(file, message, int(line), column, value)
        for column, bad, message in checks
        for line, value in zip(typed[LINE].filter(bad), typed[column].filter(bad), strict=True)
    ]
    if problems:
        raise SourceError(problems)


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(
        path,
        sep=",",
        encodings=("utf-8",),
        keep={c for cols in LAYOUTS.values() for c in cols.values()},
    )
    layout = detect_layout(raw, SIGNATURES, path.name)
    cols = LAYOUTS[layout]
    typed = parse(raw, _fields(cols), path.name)
    check_unique(typed, [cols["numero"]], path.name)
    _refuse_values(typed, cols, path.name)
    canonical = typed.rename({v: k for k, v in cols.items() if v in typed.columns})
    if "remplace" in canonical.columns:
        replaced = set(canonical["remplace"].drop_nulls().to_list())
        superseded = canonical.filter(pl.col("numero").is_in(list(replaced)))
        canonical = canonical.filter(~pl.col("numero").is_in(list(replaced)))
    else:
        superseded = canonical.clear()
    dwellings = canonical.filter(pl.col("type").replace_strict(TYPES, return_dtype=pl.Boolean))
    buildings = canonical.height - dwellings.height
    placed = dwellings.filter(pl.col("commune").is_not_null())
    unplaced = dwellings.height - placed.height
    if placed.is_empty():
        raise SourceError(
            [Problem(path.name, "aucun DPE de logement situé dans une commune : rien à compter.")]
        )
    guessed = int(placed.select(pl.col("date").dt.year().max()).item())
    millesime = require_millesime(millesime, guessed, path.name)
    counts = placed.group_by(
        pl.col("commune").alias("code"), pl.col("date").dt.year().cast(pl.Int32).alias("year")
    ).agg(
        pl.len().cast(pl.Float64).alias("DPE_LOGEMENTS"),
        pl.col("etiquette").is_in(["F", "G"]).sum().cast(pl.Float64).alias("DPE_FG"),
    )
    long = counts.unpivot(index=["code", "year"], variable_name="variable")
    obs = observations(
        long.with_columns(pl.lit("COM").alias("level"), pl.lit(Status.OK).alias("status")).sort(
            "code", "year", "variable"
        )
    )
    deps = sorted({departement_of(c) for c in placed["commune"].to_list()})
    return Batch(
        millesime=millesime,
        part=departements_part(deps),
        geo_vintage=millesime,
        layout=layout,
        tables={"observations": obs},
        row_count=typed.height,
        notes=[
            "commune absente d'un département présent = 0 DPE dans l'année",
            f"départements couverts : {', '.join(deps)}",
            f"{buildings} DPE d'immeuble (bâtiment entier) non comptés",
            f"{unplaced} DPE sans commune (adresse non géocodée) non comptés",
            f"{superseded.height} DPE remplacés par un DPE du fichier non comptés",
            "les DPE ne recensent pas le parc : seuls les logements diagnostiqués "
            "(vente, location) sont comptés",
        ],
    )


SOURCE = SourceInfo(
    name="dpe",
    label="Diagnostics de performance énergétique des logements existants (ADEME)",
    producer="ADEME",
    url="https://data.ademe.fr/datasets/dpe03existant",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "DPE de logements existants (maisons et appartements) établis depuis juillet 2021, "
        "par commune et année, dont étiquettes F et G. Les DPE ne recensent pas le parc."
    ),
    read=read,
    how_to_obtain=(
        "Fichier CSV « DPE Logements existants (depuis juillet 2021) » de l'ADEME, filtré "
        "sur le département (data.ademe.fr, jeu dpe03existant, bouton « Télécharger »), "
        "puis : observatoire import dpe FICHIER.csv"
    ),
)
