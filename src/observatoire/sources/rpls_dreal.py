"""RPLS tables rebuilt by the ministry's R packages, read for `observatoire.sources.rpls`.

Kept apart from rpls.py (whose docstring states every quirk and its source) so that each
module stays short:
- `dreal_indicateurs`: DREAL Pays de la Loire, rrrpls `indicateurs_rpls_AAAA` (long format,
  EPCI, départements, régions, France);
- `dreal_detail`: rrrpls `rpls_par_date_AAAA` (commune x characteristics, `n` dwellings);
- `savoirfr_agrege`: MTES savoirfR `rpls_aggrege_large` (wide format, every level).
The territory-code helpers shared with the SDES reader are in rpls_codes.py.
"""

from __future__ import annotations

import re

import polars as pl

from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    Problem,
    SourceError,
    check_columns,
    check_unique,
    departement_of,
    melt_values,
    observations,
    parse,
)
from observatoire.sources.rpls_codes import (
    LEVELS,
    NO_EPCI,
    drop_double_arrondissements,
    zone_codes,
)
from observatoire.sources.schema import DWELLINGS
from observatoire.status import Status

RATES = ("TX_VAC", "TX_MOB")  # in %, bounded by 100

# rrrpls (Variable, Indicateur) -> variable; the other indicators (DPE GES...) are not kept.
INDICATEURS = {
    ("parc_hlm", "Nombre de logements sociaux"): "NB_LS",
    ("typeconst", "Logements collectifs"): "NB_LS_COLLECTIFS",
    ("typeconst", "Logements individuels"): "NB_LS_INDIVIDUELS",
    ("qpv", "En QPV"): "NB_LS_QPV",
    ("dpeenergie_aggrege", "DPE énergie classe A, B ou C"): "NB_LS_DPE_ABC",
    ("dpeenergie_aggrege", "DPE énergie classe D"): "NB_LS_DPE_D",
    ("dpeenergie_aggrege", "DPE énergie classe E, F ou G"): "NB_LS_DPE_EFG",
    ("dpeenergie_aggrege", "DPE énergie inconnu"): "NB_LS_DPE_INCONNU",
    # "moins de 2 pièces" counts the 1- AND 2-room dwellings: the three classes add up to
    # parc_hlm, and equal nbpiece 1 + 2 of rpls_par_date (checked on the Pas-de-Calais).
    ("nbpiece_aggrege", "moins de 2 pièces"): "NB_LS_1_2P",
    ("nbpiece_aggrege", "3 et 4 pièces"): "NB_LS_3_4P",
    ("nbpiece_aggrege", "5 pièces et plus"): "NB_LS_5P_PLUS",
    ("loyerprinc", "Loyer total"): "LOYER_TOTAL",
    ("surfhab", "Surface habitable"): "SURF_HAB",
    ("loyer_m2", "Loyer au m2"): "LOYER_M2",
    ("taux_vacance", "Taux de vacance"): "TX_VAC",
    ("taux_mobilite", "Taux de mobilité"): "TX_MOB",
    ("nbrp", "Nombre de résidences principales"): "RP",
}
WHOLE_STOCK = "Ensemble du parc"
_R_MISSING = ("", "NA", "NaN", "nan", "Inf", "inf", "-Inf", "-inf")

# rpls_par_date dimensions: allowed values, and the breakdowns summed per commune.
_DETAIL_VALUES = {
    "dpeenergie": ("A", "B", "C", "D", "E", "F", "G", "Inconnu"),
    "dpeserre": ("A", "B", "C", "D", "E", "F", "G", "Inconnu"),
    "nbpiece": ("1", "2", "3", "4", "5 et plus"),
    "typeconst": ("Logements collectifs", "Logements individuels"),
    "qpv": ("En QPV", "Hors QPV"),
}
_DETAIL_SUMS = {
    "NB_LS_QPV": ("qpv", ("En QPV",)),
    "NB_LS_COLLECTIFS": ("typeconst", ("Logements collectifs",)),
    "NB_LS_INDIVIDUELS": ("typeconst", ("Logements individuels",)),
    "NB_LS_DPE_ABC": ("dpeenergie", ("A", "B", "C")),
    "NB_LS_DPE_D": ("dpeenergie", ("D",)),
    "NB_LS_DPE_EFG": ("dpeenergie", ("E", "F", "G")),
    "NB_LS_DPE_INCONNU": ("dpeenergie", ("Inconnu",)),
    "NB_LS_1_2P": ("nbpiece", ("1", "2")),
    "NB_LS_3_4P": ("nbpiece", ("3", "4")),
    "NB_LS_5P_PLUS": ("nbpiece", ("5 et plus",)),
}

# Construction years below this are typing errors (1097 in the Pas-de-Calais detail of
# RPLS 2019: 27 dwellings): counted with the unknown years, not as "before 1975".
_FIRST_PLAUSIBLE_YEAR = 1800
_BEFORE_1975 = 1975
_CONSTRUCT = ("NB_LS_AVANT_1975", "NB_LS_CONSTRUCT_CONNU")

# savoirfR column -> variable (the `_pourcent` and "parc de moins de 5 ans" columns are not kept).
_AGREGE = {
    "Parc_HLM": "NB_LS",
    "Parc_en_qpv": "NB_LS_QPV",
    "Logements_collectifs": "NB_LS_COLLECTIFS",
    "Logements_individuels": "NB_LS_INDIVIDUELS",
    "DPE_energie_classe_ABC": "NB_LS_DPE_ABC",
    "DPE_energie_classe_D": "NB_LS_DPE_D",
    "DPE_energie_classe_EFG": "NB_LS_DPE_EFG",
    "DPE_energie_classe_NA": "NB_LS_DPE_INCONNU",
    "moins_de_2_pieces": "NB_LS_1_2P",
    "3_et_4_pieces": "NB_LS_3_4P",
    "5_pieces_et_plus": "NB_LS_5P_PLUS",
    "Loyer_total": "LOYER_TOTAL",
    "Surface_totale": "SURF_HAB",
}


def check_values(long: pl.DataFrame, file: str) -> None:
    """Counts, rents and surfaces are >= 0; rates are within 0-100 %. `long` holds _line,
    column, variable, value."""
    rate = pl.col("variable").is_in(list(RATES))
    bad = long.filter((pl.col("value") < 0) | (rate & (pl.col("value") > 100)))
    if bad.height:
        raise SourceError(
            [
                Problem(file, "valeur hors bornes (nombre négatif, ou taux supérieur à 100 %).",
                        r[LINE], r["column"], f"{r['value']:g}")
                for r in bad.iter_rows(named=True)
            ]
        )  # fmt: skip


def _status(value: pl.Expr) -> pl.Expr:
    return pl.when(value.is_null()).then(pl.lit(Status.MISSING)).otherwise(pl.lit(Status.OK))


def _year_column(columns: list[str], pattern: str, file: str, what: str) -> int:
    years = sorted({int(m.group(1)) for c in columns if (m := re.match(pattern, c))})
    if len(years) != 1:
        raise SourceError([Problem(file, f"{what} : colonne introuvable ou ambiguë.", line=1)])
    return years[0]


def _check_millesime(millesime: int | None, found: int, file: str, column: str) -> int:
    if millesime is not None and millesime != found:
        raise SourceError(
            [Problem(file, f"le millésime demandé ({millesime}) ne correspond pas aux colonnes "
                     f"du fichier ({column} : RPLS au 1er janvier {found}).", line=1)]
        )  # fmt: skip
    return found


# --------------------------------------------------------------------------- indicateurs


def read_indicateurs(raw: pl.DataFrame, file: str, millesime: int | None) -> Batch:
    prev = _year_column(raw.columns, r"^Valeur_(\d{4})$", file, "Valeur_AAAA (année précédente)")
    found = _check_millesime(millesime, prev + 1, file, f"Valeur_{prev}")
    texts = ("TypeZone", "CodeZone", "Variable", "Indicateur", "SousEnsemble")
    fields = [Field(name, nullable=False) for name in texts]
    values = ("Valeur", "Pourcent", f"Valeur_{prev}", f"Pourcent_{prev}")
    # R wrote x/0 as "inf" (density of Mayotte, whose census RP is 0 here) and 0/0 as empty.
    fields += [Field(name, "float", missing=_R_MISSING) for name in values]
    check_columns(raw, fields, file)
    kept = raw.filter(pl.col("SousEnsemble").str.strip_chars() == WHOLE_STOCK)
    if not kept.height:
        raise SourceError(
            [Problem(file, f"aucune ligne « {WHOLE_STOCK} ».", line=1, column="SousEnsemble")]
        )
    mapping = pl.DataFrame(
        {
            "Variable": [k[0] for k in INDICATEURS],
            "Indicateur": [k[1] for k in INDICATEURS],
            "variable": list(INDICATEURS.values()),
        }
    )
    kept = kept.with_columns(pl.col("Variable", "Indicateur").str.strip_chars())
    kept = kept.join(mapping, on=["Variable", "Indicateur"], how="inner").sort(LINE)
    if "NB_LS" not in set(kept["variable"].to_list()):
        raise SourceError(
            [Problem(file, "indicateur « Nombre de logements sociaux » (parc_hlm) absent.",
                     line=1, column="Indicateur")]
        )  # fmt: skip
    typed = parse(kept, fields, file).with_columns(kept["variable"])
    check_unique(typed, ["TypeZone", "CodeZone", "Variable", "Indicateur"], file)
    typed = zone_codes(
        typed, file, {lv: "CodeZone" for lv in LEVELS.values()}, ("EPCI", "DEP", "REG", "FR")
    )
    typed, notes = _france(typed)
    long = pl.concat(
        [
            typed.select(LINE, pl.lit(column).alias("column"), "level", "code",
                         pl.lit(year, pl.Int32).alias("year"), "variable",
                         pl.col(column).alias("value"))
            for column, year in (("Valeur", found), (f"Valeur_{prev}", prev))
        ]
        + [
            typed.filter(pl.col("variable") == "NB_LS").select(
                LINE, pl.lit(column).alias("column"), "level", "code",
                pl.lit(year, pl.Int32).alias("year"), pl.lit("DENSITE").alias("variable"),
                pl.col(column).alias("value"))
            for column, year in (("Pourcent", found), (f"Pourcent_{prev}", prev))
        ]
    )  # fmt: skip
    check_values(long, file)
    no_rp = (pl.col("variable") == "RP") & (pl.col("value") == 0)
    if long.filter(no_rp).height:
        # Mayotte: no census RP in the DREAL base (0), so its density came out as "inf".
        zones = sorted(set(long.filter(no_rp)["code"].to_list()))
        long = long.with_columns(pl.when(no_rp).then(None).otherwise("value").alias("value"))
        notes.append(
            f"résidences principales publiées à 0 (Mayotte, hors base du recensement) pour "
            f"{len(zones)} territoires : enregistrées comme manquantes, densité non définie."
        )
    obs = observations(long.with_columns(_status(pl.col("value")).alias("status")))
    counts = typed.group_by("level").agg(pl.col("code").n_unique()).sort("level").rows()
    notes += [
        "niveaux supra-communaux seulement, valeurs publiées à chaque échelle : "
        + ", ".join(f"{level} {n}" for level, n in counts) + " territoires.",
        f"sous-ensemble « {WHOLE_STOCK} » seul retenu (« Parc de moins de 5 ans » écarté) ; "
        f"Valeur = RPLS au 1er janvier {found}, Valeur_{prev} = au 1er janvier {prev}.",
        "indicateurs calculés par la DREAL Pays de la Loire depuis le fichier détaillé RPLS "
        "(pas une publication du SDES) ; RP = résidences principales du recensement.",
    ]  # fmt: skip
    return Batch(
        millesime=found, part="SUPRA", geo_vintage=found, layout="dreal_indicateurs",
        tables={"observations": obs}, row_count=typed.height, notes=notes,
    )  # fmt: skip


def _france(typed: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """FRMETRODROM (France métropolitaine et DROM) is France; FRMETRO is then dropped."""
    fr = pl.col("level") == "FR"
    codes = set(typed.filter(fr)["code"].to_list())
    if not codes:
        return typed, []
    whole = "FRMETRODROM" if "FRMETRODROM" in codes else sorted(codes)[0]
    note = (
        "France = France métropolitaine et DROM (FRMETRODROM) ; FRMETRO (métropole seule) écarté."
        if whole == "FRMETRODROM"
        else f"France = « {whole} » (France métropolitaine seule) ; pas de ligne FRMETRODROM."
    )
    typed = typed.filter(~fr | (pl.col("code") == whole))
    return typed.with_columns(pl.when(fr).then(pl.lit("FR")).otherwise("code").alias("code")), [
        note
    ]


# --------------------------------------------------------------------------- detail


def read_detail(raw: pl.DataFrame, file: str, year: int) -> Batch:
    fields = [Field("DEPCOM", "commune", nullable=False), Field("construct", "int")]
    fields += [Field(name, nullable=False) for name in _DETAIL_VALUES]
    fields += [Field("n", "int", nullable=False, bounds=DWELLINGS)]
    typed = parse(raw, fields, file)
    problems = []
    for column, allowed in _DETAIL_VALUES.items():
        bad = typed.filter(~pl.col(column).is_in(list(allowed)))
        problems += [
            Problem(file, f"valeur inconnue (attendu : {', '.join(allowed)}).", line, column, v)
            for line, v in bad.select(LINE, column).iter_rows()
        ]
    problems += [
        Problem(file, "nombre de logements négatif.", line, "n", str(v))
        for line, v in typed.filter(pl.col("n") < 0).select(LINE, "n").iter_rows()
    ]
    if problems:
        raise SourceError(problems)
    check_unique(typed, ["DEPCOM", "construct", *_DETAIL_VALUES], file)
    plausible = pl.col("construct").is_between(_FIRST_PLAUSIBLE_YEAR, year)
    agg = (
        typed.group_by("DEPCOM")
        .agg(
            pl.col("n").sum().alias("NB_LS"),
            *[
                pl.col("n").filter(pl.col(col).is_in(list(vals))).sum().alias(variable)
                for variable, (col, vals) in _DETAIL_SUMS.items()
            ],
            pl.col("n").filter(plausible).sum().alias("NB_LS_CONSTRUCT_CONNU"),
            pl.col("n")
            .filter(plausible & (pl.col("construct") < _BEFORE_1975))
            .sum()
            .alias("NB_LS_AVANT_1975"),
        )
        .sort("DEPCOM")
    )
    agg, notes = drop_double_arrondissements(agg, "DEPCOM")
    variables = {"NB_LS": "NB_LS"} | {v: v for v in _DETAIL_SUMS} | {v: v for v in _CONSTRUCT}
    obs = melt_values(agg, level="COM", code="DEPCOM", year=year, variables=variables)
    deps = sorted({departement_of(c) for c in agg["DEPCOM"].to_list()})
    notes += [
        f"départements couverts : {', '.join(deps)} ; commune absente d'un département couvert "
        "= 0 logement social ; les autres départements ne sont pas couverts.",
        f"logements comptés par commune depuis le détail ({typed.height} lignes, somme de n).",
    ]
    return Batch(
        millesime=year, part="COM-detail", geo_vintage=year, layout="dreal_detail",
        tables={"observations": obs}, row_count=typed.height, notes=notes,
    )  # fmt: skip


# --------------------------------------------------------------------------- savoirfR


def read_agrege(raw: pl.DataFrame, file: str, millesime: int | None) -> Batch:
    prev = _year_column(raw.columns, r"^Parc_HLM_(\d{4})$", file, "Parc_HLM_AAAA")
    found = _check_millesime(millesime, prev + 1, file, f"Parc_HLM_{prev}")
    geo = _year_column(raw.columns, r"^depcom(\d{4})$", file, "depcomAAAA (géographie)")
    code_columns = {"COM": f"depcom{geo}", "EPCI": f"epci_{geo}", "DEP": f"Dep_{geo}",
                    "REG": f"Reg_{geo}"}  # fmt: skip
    fields = [Field("TypeZone", nullable=False)] + [Field(c) for c in code_columns.values()]
    columns = {**_AGREGE, f"Parc_HLM_{prev}": "NB_LS"}
    fields += [Field(c, "float", nullable=c != "Parc_HLM") for c in columns]
    typed = parse(raw, fields, file)
    typed = zone_codes(typed, file, code_columns, tuple(LEVELS.values()))
    outside = pl.col("code") == NO_EPCI
    notes = []
    if typed.filter(outside).height:
        notes.append(
            f"{typed.filter(outside).height} lignes EPCI « Sans objet » ({NO_EPCI}, communes "
            "hors EPCI) écartées."
        )
        typed = typed.filter(~outside)
    check_unique(typed, ["level", "code"], file)
    coms, notes_arr = drop_double_arrondissements(typed.filter(pl.col("level") == "COM"), "code")
    typed = pl.concat([coms, typed.filter(pl.col("level") != "COM")])
    long = pl.concat(
        [
            typed.select(LINE, pl.lit(column).alias("column"), "level", "code",
                         pl.lit(prev if column.endswith(str(prev)) else found, pl.Int32)
                         .alias("year"),
                         pl.lit(variable).alias("variable"), pl.col(column).alias("value"))
            for column, variable in columns.items()
        ]
    )  # fmt: skip
    check_values(long, file)
    obs = observations(long.with_columns(_status(pl.col("value")).alias("status")))
    deps = sorted({departement_of(c) for c in coms["code"].to_list()})
    notes += [
        *notes_arr,
        f"communes des départements {', '.join(deps)} toutes listées (0 compris) : commune "
        "absente d'un département couvert = 0 logement social ; autres départements non "
        "couverts au niveau communal.",
        f"Parc_HLM = RPLS au 1er janvier {found}, Parc_HLM_{prev} = au 1er janvier {prev} ; "
        f"codes sur la géographie {geo}.",
    ]
    if typed.filter(pl.col("level") == "FR").height:
        notes.append("France = France métropolitaine (hors DROM) dans ce fichier.")
    return Batch(
        millesime=found, part="COM-SUPRA-agrege", geo_vintage=geo, layout="savoirfr_agrege",
        tables={"observations": obs}, row_count=typed.height, notes=notes,
    )  # fmt: skip
