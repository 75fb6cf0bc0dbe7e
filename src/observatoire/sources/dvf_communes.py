"""DVF aggregates by commune and year: "Indicateurs immobiliers par commune et par année
(prix et volumes)" (data.gouv.fr), houses and flats sold, derived from DVF.

One row per commune and year: sales count (houses + flats), mean price, mean price per m²,
mean surface. Comma separator, UTF-8, "NA" = missing (SOURCES.md §3). Two layouts:

- "index_r" (files dvf2020..dvf2023 seen in circulation): a leading unnamed R row-index
  column `""`, then `INSEE_COM, Annee, Nb_mutations, NbMaisons, NbApparts, propmaison,
  propappart, PrixMoyen, Prixm2Moyen, SurfaceMoy`; codes and years quoted, full-precision
  values (Caen 14118 2023: Prixm2Moyen 3046.82446264074);
- "arrondi" (dvf2024): `INSEE_COM, annee, nb_mutations, NbMaisons, NbApparts, PropMaison,
  PropAppart, PrixMoyen, Prixm2Moyen, SurfaceMoy`, nothing quoted, every value rounded to
  an integer (Caen 2024: 3045).

Shares of houses and flats are NOT emitted: in the 2024 file PropMaison and PropAppart are
swapped (PropAppart = 100 x NbMaisons / nb_mutations on all 29,831 communes; 22,671 rows
have houses but PropMaison = 0), and both are derivable as NB_MAISONS / NB_MUTATIONS.

Emitted (level COM, year = the file's Annee/annee column, the year of the sales):
NB_MUTATIONS (dwelling sales), NB_MAISONS, NB_APPARTS, PRIX_MOYEN (€), PRIX_M2_MOYEN
(€/m², mean of the sales' price per m²: aggregate it weighted by NB_MUTATIONS),
SURFACE_MOYENNE (m²). Nb_mutations = NbMaisons + NbApparts on every row (checked).

Each file has one row with INSEE_COM = "NA" (sales the producer could not place in a
commune: 8,695 in 2020, 8,530 in 2023, 7,922 in 2024): dropped, and counted in the notes.

Absence: the smallest count is 1 (no threshold, no secrecy), and the communes missing from
a file are small (in the 5 demo départements, median 141 inhabitants in 2023): an absent
commune had no dwelling sale recorded in DVF that year -> 0 sales, prices undefined. But
DVF has recording gaps: Flines-lez-Raches (59239, 5,600 inhabitants) is absent in 2020 and
has 1 sale in 2021 against 51 in 2023. Alsace-Moselle (57, 67, 68: livre foncier, not in
DVF) and all overseas départements are absent from every file: there absence = unknown.
Paris, Lyon and Marseille come as whole cities (75056, 69123, 13055), no arrondissement;
if a file carried both, the arrondissement rows would be dropped here (double count).

Geography, checked against the INSEE events file (v_mvt_commune_2026): the 2020-2023
files ("index_r") are all on COG 2022 (they hold 6 to 10 of the codes merged away on
1 January 2023, none of the 10 merged on 1 January 2022); the 2024 file ("arrondi") is on
COG 2024 (every code is in COG 2024; codes created on 1 January 2024 present, codes merged
on 1 January 2025 still there): that layout is taken to follow its data year.
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    Problem,
    SourceError,
    SourceInfo,
    check_unique,
    detect_layout,
    melt_values,
    parse,
    read_rows,
    validate,
)
from observatoire.sources.schema import DWELLINGS, PRICE, PRICE_M2, SURFACE

VARIABLES = {
    "NB_MUTATIONS": "Ventes de logements (maisons et appartements)",
    "NB_MAISONS": "Ventes de maisons",
    "NB_APPARTS": "Ventes d'appartements",
    "PRIX_MOYEN": "Prix moyen d'une vente de logement (€)",
    "PRIX_M2_MOYEN": "Prix moyen au m² des ventes de logements (€/m²)",
    "SURFACE_MOYENNE": "Surface moyenne des logements vendus (m²)",
}

# layout -> {file column: variable}, plus its year column.
_COLUMNS = {
    "index_r": {
        "Nb_mutations": "NB_MUTATIONS",
        "NbMaisons": "NB_MAISONS",
        "NbApparts": "NB_APPARTS",
        "PrixMoyen": "PRIX_MOYEN",
        "Prixm2Moyen": "PRIX_M2_MOYEN",
        "SurfaceMoy": "SURFACE_MOYENNE",
    },
    "arrondi": {
        "nb_mutations": "NB_MUTATIONS",
        "NbMaisons": "NB_MAISONS",
        "NbApparts": "NB_APPARTS",
        "PrixMoyen": "PRIX_MOYEN",
        "Prixm2Moyen": "PRIX_M2_MOYEN",
        "SurfaceMoy": "SURFACE_MOYENNE",
    },
}
_YEAR = {"index_r": "Annee", "arrondi": "annee"}
_GEO_VINTAGE_INDEX_R = 2022
_CODE = "INSEE_COM"
_COUNTS = ("NB_MUTATIONS", "NB_MAISONS", "NB_APPARTS")
_BOUNDS = dict.fromkeys(_COUNTS, DWELLINGS) | {
    "PRIX_MOYEN": PRICE,
    "PRIX_M2_MOYEN": PRICE_M2,
    "SURFACE_MOYENNE": SURFACE,
}
# City code -> prefix of its arrondissements municipaux.
_PLM = {"75056": "751", "13055": "132", "69123": "6938"}
ABSENT_NOTE = (
    "commune absente = aucune vente de logement enregistrée dans DVF cette année-là "
    "(0 vente, prix non définis) ; Alsace-Moselle (57, 67, 68) et outre-mer absents de "
    "tous les fichiers : donnée inconnue"
)


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    keep = {_CODE, *_YEAR.values(), *(c for cols in _COLUMNS.values() for c in cols)}
    raw = read_rows(path, sep=",", keep=keep)
    # The year column tells the layouts apart; the other columns are then required one
    # by one, so that a missing one is named.
    layout = detect_layout(raw, {name: (_CODE, year) for name, year in _YEAR.items()}, path.name)
    columns, year_column = _COLUMNS[layout], _YEAR[layout]
    fields = [
        Field(_CODE, "commune"),
        Field(year_column, "int", nullable=False),
        *(
            Field(c, "int" if v in _COUNTS else "float", bounds=_BOUNDS[v])
            for c, v in columns.items()
        ),
    ]
    typed = parse(raw, fields, path.name)
    # The producer's "sales without a commune" row: INSEE_COM = NA.
    unplaced = typed.filter(pl.col(_CODE).is_null())
    bad_codes = raw.filter(pl.col(LINE).is_in(unplaced[LINE].to_list()))
    problems = [
        Problem(path.name, "code commune INSEE obligatoire.", line, _CODE, value)
        for line, value in zip(bad_codes[LINE], bad_codes[_CODE], strict=True)
        if value.strip() != "NA"
    ]
    if problems:
        raise SourceError(problems)
    typed = typed.filter(pl.col(_CODE).is_not_null())
    check_unique(typed, [_CODE, year_column], path.name)
    schema = pa.DataFrameSchema(
        {
            c: pa.Column(int if v in _COUNTS else float, pa.Check.ge(0), nullable=True)
            for c, v in columns.items()
        }
    )
    typed = validate(typed, schema, path.name)
    _check_counts(typed, columns, path.name)
    years = sorted(typed[year_column].unique().to_list())
    if not years:
        raise SourceError([Problem(path.name, "aucune commune dans le fichier.")])
    latest = years[-1]
    if millesime is not None and millesime != latest:
        raise SourceError(
            [
                Problem(
                    path.name,
                    f"le millésime demandé ({millesime}) ne correspond pas à l'année des "
                    f"ventes du fichier ({', '.join(map(str, years))}).",
                    column=year_column,
                )
            ]
        )
    typed, dropped = _drop_arrondissements(typed)
    obs = pl.concat(
        melt_values(
            typed.filter(pl.col(year_column) == year),
            level="COM",
            code=_CODE,
            year=year,
            variables=columns,
        )
        for year in years
    )
    notes = [ABSENT_NOTE]
    if unplaced.height:
        n = int(unplaced[next(c for c, v in columns.items() if v == "NB_MUTATIONS")].sum())
        notes.append(f"ligne INSEE_COM = NA écartée : {n} ventes non rattachées à une commune")
    if layout == "arrondi":
        notes.append("valeurs arrondies à l'unité par le producteur")
    notes.append("PropMaison/PropAppart non repris (inversées dans le fichier 2024)")
    if dropped:
        notes.append(f"{dropped} lignes d'arrondissements ignorées (ville déjà présente)")
    return Batch(
        millesime=latest,
        part="COM",
        geo_vintage=_GEO_VINTAGE_INDEX_R if layout == "index_r" else latest,
        layout=layout,
        tables={"observations": obs},
        row_count=typed.height,
        notes=notes,
    )


def _check_counts(typed: pl.DataFrame, columns: dict[str, str], file: str) -> None:
    """Sales = houses + flats on every row: a mismatch means shifted or mislabelled columns."""
    by_variable = {v: c for c, v in columns.items()}
    total, houses, flats = (pl.col(by_variable[v]) for v in _COUNTS)
    wrong = typed.filter(total != houses + flats)
    if wrong.height:
        raise SourceError(
            [
                Problem(
                    file,
                    f"le nombre de ventes ({row[by_variable['NB_MUTATIONS']]}) n'est pas la "
                    f"somme des maisons ({row[by_variable['NB_MAISONS']]}) et des "
                    f"appartements ({row[by_variable['NB_APPARTS']]}).",
                    int(row[LINE]),
                    by_variable["NB_MUTATIONS"],
                    str(row[by_variable["NB_MUTATIONS"]]),
                )
                for row in wrong.iter_rows(named=True)
            ]
        )


def _drop_arrondissements(typed: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop arrondissement rows of a city whose own row is also present (double count)."""
    codes = set(typed[_CODE].to_list())
    prefixes = [p for city, p in _PLM.items() if city in codes]
    if not prefixes:
        return typed, 0
    kept = typed.filter(~pl.any_horizontal([pl.col(_CODE).str.starts_with(p) for p in prefixes]))
    return kept, typed.height - kept.height


SOURCE = SourceInfo(
    name="dvf_communes",
    label="Indicateurs immobiliers par commune et par année (DVF)",
    producer="data.gouv.fr, d'après DVF (DGFiP)",
    url="https://www.data.gouv.fr/fr/datasets/?q=indicateurs+immobiliers+par+commune",
    licence="Licence Ouverte / Etalab 2.0 (données DVF ; licence de l'agrégat non vérifiée)",
    description=(
        "Nombre de ventes de maisons et d'appartements, prix moyen, prix moyen au m² et "
        "surface moyenne, par commune et par année de vente. Hors Alsace-Moselle et "
        "outre-mer."
    ),
    read=read,
)
