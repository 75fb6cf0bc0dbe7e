"""SDES RPLS: "Répertoire des logements locatifs des bailleurs sociaux" (social housing stock).

RPLS describes the stock of the social landlords at 1 January of year N: millésime = year of
the observations = N (RPLS 2024 = stock at 1 January 2024). The millésime comes from the
year columns when there are some, else from the file name ("...rpls-2024..."), else
`millesime=` (always wins when the file itself holds no year). Five layouts, told apart by
their header (separator "," or ";", UTF-8 with or without BOM, or cp1252 of an Excel export):

- SDES commune sheet, "résultats" (`DEPCOM_ARM, nb_ls, densite, tx_vac, tx_mob`, e.g.
  dataforgoodfr/13_odis `lgt_soc_2024_extracted.csv`, sheet COMMUNE of "Résultats RPLS au
  1er janvier 2024"): NB_LS (dwellings), DENSITE (social dwellings per 100 résidences
  principales, as published), TX_VAC and TX_MOB (%, as published, 4 decimals). Part
  "COM-resultats". On the 19 rows with nb_ls = 0 the rates are published as 0.0 although
  they are 0/0: they are stored as missing, not as a 0 % rate.
- SDES commune sheet, "occupation" (`DEPCOM_ARM, LIBCOM_DEP, ..., nb_loues, nb_vacants,
  nb_vides, nb_asso, nb_occup_finan, nb_occup_temp, nb_ls`, UTF-8 with BOM, CRLF): the six
  occupancy counts are EMPTY = secret (5,451 communes of 10 dwellings or fewer in 2024);
  nb_ls is always filled. The six counts add up to nb_ls (checked: exact on every filled row
  of RPLS 2024), and 100 * nb_vacants / (nb_loues + nb_vacants) gives back the tx_vac of the
  résultats file. Part "COM-occupation". A sheet holding both groups is read as "résultats".
  Absence (both SDES layouts): the sheet lists the communes with at least one social
  dwelling (plus 19 at 0): a commune absent = 0 social dwelling. Paris, Marseille and Lyon
  come as their 45 arrondissements (75101.., 13201.., 69381.., LIBCOM "Paris"), with no city
  row: kept as COM rows (the engine maps them to their city); if a file also carried the
  city row, the arrondissement rows would be dropped here (double count). Geography: the
  COG of 1 January N (all 2024 codes exist in the COG 2020 to 2024).
- DREAL indicators (MaelTheuliere/rrrpls `indicateurs_rpls_2019`, converted from .rda):
  long format `TypeZone, Zone, CodeZone, Variable, Indicateur, Valeur, Pourcent,
  SousEnsemble, Valeur_2018, Pourcent_2018`, computed by the DREAL Pays de la Loire from the
  RPLS detail (not an SDES publication). Supra-communal only: Epci, Départements, Régions,
  France. Région codes collide with département codes (32 = Hauts-de-France and Gers): the
  level comes from TypeZone, never from the code. France: FRMETRODROM (métropole + DROM, the
  sum of the départements) is stored as "FR", FRMETRO is dropped. Only SousEnsemble
  "Ensemble du parc" is kept. Valeur = year N, Valeur_(N-1) = year N-1; kept indicators: see
  rpls_dreal.INDICATEURS (NB_LS, RP = résidences principales of the census used as
  denominator, LOYER_M2 in EUR/m2 of habitable surface per month, LOYER_TOTAL and SURF_HAB
  its numerator and denominator, TX_VAC, TX_MOB in %, breakdowns of NB_LS), plus DENSITE =
  the Pourcent of "Nombre de logements sociaux" (per 100 RP). Empty Valeur = missing (rates
  of the two Mayotte EPCI with 0 dwellings). Part "SUPRA"; EPCI on the 2019 geography.
- DREAL commune detail (rrrpls `rpls_par_date_2019`): `DEPCOM, construct, dpeenergie,
  dpeserre, nbpiece, typeconst, qpv, n`; n dwellings per combination, summed per commune
  into NB_LS and its breakdowns (NB_LS_QPV, NB_LS_INDIVIDUELS, NB_LS_COLLECTIFS,
  NB_LS_DPE_ABC/_D/_EFG/_INCONNU for the DPE energy class, NB_LS_1_2P/_3_4P/_5P_PLUS rooms).
  `construct` (construction year) has outliers (1097): years before 1800 or after N count
  as unknown; NB_LS_AVANT_1975 (built before 1975) over NB_LS_CONSTRUCT_CONNU (year known).
  Absence: within a département present in the file, a commune absent = 0 social dwelling;
  the other départements are not covered (the extract held here covers 14, 46, 53, 59, 62).
  Part "COM-detail"; geography of 1 January N.
- savoirfR "rpls_aggrege_large" (MTES-MCT/savoirfR, RPLS 2016, wide, 93 columns): every
  level in one file (TypeZone Communes/Epci/Départements/Régions/France); codes in
  depcom2017 / epci_2017 / Dep_2017 / Reg_2017 (geography 2017). NB_LS = Parc_HLM (year N)
  and Parc_HLM_2015 (N-1), plus the breakdowns above. The "Sans objet" EPCI rows
  (ZZZZZZZZZ) are dropped; France is metropolitan France only. Part "COM-SUPRA-agrege".

Sources: the data survey SOURCES.md §10-11 (RPLS); SDES, "Résultats RPLS au 1er janvier".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    first_line,
    melt_values,
    parse,
    read_rows,
    require_millesime,
    validate,
)
from observatoire.sources.rpls_codes import city_of, drop_double_arrondissements
from observatoire.sources.rpls_dreal import read_agrege, read_detail, read_indicateurs
from observatoire.sources.schema import DWELLINGS

VARIABLES = {
    "NB_LS": "Logements locatifs sociaux au 1er janvier (logements)",
    "DENSITE": "Logements sociaux pour 100 résidences principales (publié)",
    "TX_VAC": "Taux de vacance du parc social (%, publié)",
    "TX_MOB": "Taux de mobilité du parc social (%, publié)",
    "NB_LOUES": "Logements sociaux loués (logements)",
    "NB_VACANTS": "Logements sociaux vacants (logements)",
    "NB_VIDES": "Logements sociaux vides (logements)",
    "NB_ASSO": "Logements sociaux pris en charge par une association (logements)",
    "NB_OCCUP_FINAN": "Logements sociaux occupés avec ou sans contrepartie financière (logements)",
    "NB_OCCUP_TEMP": "Logements sociaux en occupation temporaire (logements)",
    "RP": "Résidences principales du recensement, dénominateur publié (logements)",
    "LOYER_M2": "Loyer mensuel moyen au m² de surface habitable (€/m², publié)",
    "LOYER_TOTAL": "Somme des loyers mensuels (€)",
    "SURF_HAB": "Somme des surfaces habitables (m²)",
    "NB_LS_QPV": "Logements sociaux en quartier prioritaire de la ville (logements)",
    "NB_LS_INDIVIDUELS": "Logements sociaux individuels (logements)",
    "NB_LS_COLLECTIFS": "Logements sociaux collectifs (logements)",
    "NB_LS_DPE_ABC": "Logements sociaux de DPE énergie A, B ou C (logements)",
    "NB_LS_DPE_D": "Logements sociaux de DPE énergie D (logements)",
    "NB_LS_DPE_EFG": "Logements sociaux de DPE énergie E, F ou G (logements)",
    "NB_LS_DPE_INCONNU": "Logements sociaux de DPE énergie inconnu (logements)",
    "NB_LS_1_2P": "Logements sociaux d'une ou deux pièces (logements)",
    "NB_LS_3_4P": "Logements sociaux de trois ou quatre pièces (logements)",
    "NB_LS_5P_PLUS": "Logements sociaux de cinq pièces et plus (logements)",
    "NB_LS_AVANT_1975": "Logements sociaux construits avant 1975 (logements)",
    "NB_LS_CONSTRUCT_CONNU": "Logements sociaux d'année de construction connue (logements)",
}
ENCODINGS = ("utf-8", "cp1252")
ABSENT_NOTE = (
    "commune absente = 0 logement social (le fichier ne liste que les communes ayant au moins "
    "un logement social)"
)
LAYOUTS: dict[str, Sequence[str]] = {
    "sdes_commune": ("DEPCOM_ARM", "nb_ls"),
    "dreal_indicateurs": ("TypeZone", "CodeZone", "Variable", "Indicateur", "Valeur"),
    "dreal_detail": ("DEPCOM", "dpeenergie", "typeconst", "qpv", "n"),
    "savoirfr_agrege": ("TypeZone", "Zone", "Parc_HLM"),
}
_RATES = {"densite": "DENSITE", "tx_vac": "TX_VAC", "tx_mob": "TX_MOB"}
_OCCUPATION = {
    "nb_loues": "NB_LOUES",
    "nb_vacants": "NB_VACANTS",
    "nb_vides": "NB_VIDES",
    "nb_asso": "NB_ASSO",
    "nb_occup_finan": "NB_OCCUP_FINAN",
    "nb_occup_temp": "NB_OCCUP_TEMP",
}
_NAME_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _separator(path: Path) -> str:
    """Separator "," as published, or ";" for a CSV saved by a French spreadsheet (then
    with decimal commas, which parse() handles): the header line tells."""
    head = first_line(path)  # b"" if unreadable: read_rows reports it
    if b"\x00" in head:
        # UTF-16 ("Unicode text" of Excel) or a binary file: cp1252 would decode it as junk.
        raise SourceError(
            [Problem(path.name, "encodage non pris en charge (UTF-16 ou fichier binaire) : "
                     "enregistrez le fichier en CSV UTF-8.", line=1)]
        )  # fmt: skip
    return ";" if head.count(b";") > head.count(b",") else ","


def _year_in_name(path: Path) -> int | None:
    years = set(_NAME_YEAR.findall(path.name))
    return int(years.pop()) if len(years) == 1 else None


def read(
    path: Path, millesime: int | None = None, geo_vintage: int | None = None, **_: object
) -> Batch:
    raw = read_rows(path, sep=_separator(path), encodings=ENCODINGS)
    layout = detect_layout(raw, LAYOUTS, path.name)
    if layout == "sdes_commune":
        year = require_millesime(millesime, _year_in_name(path), path.name)
        batch = _read_sdes(raw, path.name, year)
    elif layout == "dreal_indicateurs":
        batch = read_indicateurs(raw, path.name, millesime)
    elif layout == "dreal_detail":
        batch = read_detail(
            raw, path.name, require_millesime(millesime, _year_in_name(path), path.name)
        )
    else:
        batch = read_agrege(raw, path.name, millesime)
    if geo_vintage is not None:
        batch.geo_vintage = geo_vintage
    return batch


def _read_sdes(raw: pl.DataFrame, file: str, year: int) -> Batch:
    rates = {c: v for c, v in _RATES.items() if c in raw.columns}
    occupation = {c: v for c, v in _OCCUPATION.items() if c in raw.columns}
    if occupation and len(occupation) < len(_OCCUPATION):
        raise SourceError(
            [Problem(file, "colonne d'occupation absente de l'en-tête (les six vont ensemble).",
                     line=1, column=c) for c in _OCCUPATION if c not in occupation]
        )  # fmt: skip
    fields = [
        Field("DEPCOM_ARM", "commune", nullable=False),
        Field("nb_ls", "int", nullable=False, bounds=DWELLINGS),
    ]
    fields += [Field(c, "float") for c in rates]
    # Occupancy counts of the small communes are left EMPTY by the SDES: secret, not 0.
    fields += [
        Field(c, "int", secret=("",), missing=("NA", "nd"), bounds=DWELLINGS) for c in occupation
    ]
    typed = parse(raw, fields, file)
    checks = {
        c: pa.Column(int, pa.Check.ge(0), nullable=c != "nb_ls") for c in ["nb_ls", *occupation]
    }
    for c in rates:
        check = pa.Check.ge(0) if c == "densite" else pa.Check.in_range(0, 100)
        checks[c] = pa.Column(float, check, nullable=True)
    typed = validate(typed, pa.DataFrameSchema(checks), file)
    check_unique(typed, ["DEPCOM_ARM"], file)
    if occupation:
        _check_occupation_total(typed, file)
    typed, notes = drop_double_arrondissements(typed, "DEPCOM_ARM")
    zero = pl.col("nb_ls") == 0
    undefined = [c for c in ("tx_vac", "tx_mob") if c in rates]
    if undefined and typed.filter(zero).height:
        # 0/0: the SDES prints 0.0, which would read as "no vacancy".
        typed = typed.with_columns(
            [pl.when(zero).then(None).otherwise(pl.col(c)).alias(c) for c in undefined]
        )
        notes.append(
            f"{typed.filter(zero).height} communes à 0 logement social : taux de vacance et de "
            "mobilité non définis (publiés 0), enregistrés comme manquants."
        )
    variables = {"nb_ls": "NB_LS", **rates, **occupation}
    obs = melt_values(typed, level="COM", code="DEPCOM_ARM", year=year, variables=variables)
    notes.insert(0, ABSENT_NOTE)
    if occupation:
        secret = int(typed["nb_loues__secret"].sum())
        notes.append(
            f"comptes d'occupation vides = secret ({secret} communes) ; nb_ls toujours publié."
        )
    part = "COM-resultats" if rates or not occupation else "COM-occupation"
    arr = sum(city_of(c) is not None for c in typed["DEPCOM_ARM"].to_list())
    if arr:
        notes.append(
            f"{arr} arrondissements municipaux (Paris, Marseille, Lyon) à la place des villes."
        )
    return Batch(
        millesime=year,
        part=part,
        geo_vintage=year,
        layout="sdes_resultats" if part == "COM-resultats" else "sdes_occupation",
        tables={"observations": obs},
        row_count=typed.height,
        notes=notes,
    )


def _check_occupation_total(typed: pl.DataFrame, file: str) -> None:
    """loués + vacants + vides + associations + occupés financés + temporaires = nb_ls: a
    shifted column or a wrong file breaks it (exact on every filled row of RPLS 2024)."""
    total = pl.sum_horizontal([pl.col(c) for c in _OCCUPATION])
    filled = pl.all_horizontal([pl.col(c).is_not_null() for c in _OCCUPATION])
    bad = typed.filter(filled & (total != pl.col("nb_ls")))
    if bad.height:
        raise SourceError(
            [
                Problem(file, f"les six comptes d'occupation totalisent {t} logements, "
                        f"différent de nb_ls ({n}).", line, "nb_ls", str(n))
                for line, t, n in bad.select(LINE, total, "nb_ls").iter_rows()
            ]
        )  # fmt: skip


SOURCE = SourceInfo(
    name="rpls",
    label="Répertoire des logements locatifs des bailleurs sociaux (RPLS)",
    producer="SDES",
    url="https://www.data.gouv.fr/fr/datasets/5a1dd4e5c751df02b116a0d6/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Parc locatif social au 1er janvier : logements, densité pour 100 résidences "
        "principales, vacance, mobilité, occupation, loyers, par commune (SDES) et aux "
        "échelles supra-communales (indicateurs DREAL)."
    ),
    read=read,
)
