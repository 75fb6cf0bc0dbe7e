"""LOVAC: private-stock dwellings, vacant and vacant for more than two years, by commune.

Producer: DGALN (plan national de lutte contre les logements vacants), built by the Cerema
from the DGFiP 1767BISCOM file crossed with the Fichiers fonciers. Two layouts:

- "opendata": the official `Lovac_opendata_Communes.csv` (data.gouv.fr, dataset
  61816c6e23197bb34835228e). Latin-1/cp1252, ";", "s" = secret statistique, space thousands
  separators. `CODGEO_25, LIBGEO_25` then, per LOVAC millésime YY (2020..edition):
  `pp_vacant_YY`, `pp_vacant_plus_2ans_YY`, `ff_pp_total_YY` (private stock; absent for the
  edition's own millésime, e.g. no `ff_pp_total_25` in the 2025 edition). Some editions spell
  the stock `pp_total_YY`; both are accepted. The `_25` of CODGEO_25 names the edition and its
  geography (COG 2025). No real file of this layout could be obtained here: the test fixture
  rebuilds its documented header around real values.
- "derive_cerema": `tauxvacance_communes_2021.csv` (CEREMA/cartofriches, shinyapp): Latin-1,
  ";", "5 922" space thousands separators, decimal comma, comm_insee without its leading zero;
  `comm_insee, NOM_COM, Nb_log_pp_2022, Prop_logvac_pp_2A_010121` = private stock and share (%)
  of it vacant for more than two years. The count of long-term vacant dwellings is rebuilt as
  share / 100 x stock: the share is rounded to 0.1 point (up to +-0.05 % of the stock, e.g.
  +-58 dwellings for Lille), so PP_VACANT_PLUS_2ANS has status "estimated" (PP_TOTAL is "ok").
  Its codes are on COG 2021: 24089, merged on 1 January 2022, is still there, and none of the
  389 communes merged on 1 January 2019 is.

Year: a LOVAC millésime N describes the fiscal situation at 1 January N-1. The Cerema's own
column names pair them: Nb_log_pp_2020 with Nb_logvac_pp_010119, Nb_log_pp_2021 with
Nb_logvac_pp_010120 (open file "au 01012020"), and its apps compute the share as
Nb_logvac_2A_010121 / Nb_log_pp_2022. So `pp_vacant_25` -> year 2024, `ff_pp_total_24` ->
2023, and the derived file (millésime 2022) -> 2021 for both variables.

Absence: LOVAC hides communes with fewer than 11 vacant dwellings (secret statistique): they
are absent from the derived file or empty there (2,298 rows, median population 540 against
1,380 for the filled ones), "s" in the open-data file. Absent commune = secret, never 0.
Paris, Lyon and Marseille come as arrondissements (75101.., 69381.., 13201..): kept as such;
if a file also carried the city row, the arrondissement rows would be dropped here.
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
    detect_layout,
    melt_values,
    observations,
    parse,
    read_rows,
    validate,
)
from observatoire.sources.schema import DWELLINGS
from observatoire.status import Status

VARIABLES = {
    "PP_TOTAL": "Logements du parc privé (logements, Fichiers fonciers)",
    "PP_VACANT": "Logements vacants du parc privé au 1er janvier (logements)",
    "PP_VACANT_PLUS_2ANS": "Logements du parc privé vacants depuis plus de 2 ans (logements)",
}
ENCODINGS = ("utf-8", "cp1252", "latin-1")
SECRET = ("s", "S")
ABSENT_NOTE = "commune absente = secret (moins de 11 logements vacants, secret statistique)"

# Official open-data column stems -> variable. Order matters: the longest stem first.
_OPEN_STEMS = {
    "pp_vacant_plus_2ans": "PP_VACANT_PLUS_2ANS",
    "pp_vacant_longue_duree": "PP_VACANT_PLUS_2ANS",  # seen in the région file
    "ff_pp_total": "PP_TOTAL",
    "pp_total": "PP_TOTAL",
    "pp_vacant": "PP_VACANT",
}
_OPEN_COLUMN = re.compile(rf"^({'|'.join(_OPEN_STEMS)})_(\d{{2}})$")
_CODGEO = re.compile(r"^CODGEO_(\d{2})$")
_DERIVED_STOCK = re.compile(r"^Nb_log_pp_(\d{4})$")
_DERIVED_SHARE = re.compile(r"^Prop_logvac_pp_2A_0101(\d{2})$")
# City code -> prefix of its arrondissements municipaux.
_PLM = {"75056": "751", "13055": "132", "69123": "6938"}


def _match(columns: list[str], pattern: re.Pattern[str]) -> list[re.Match[str]]:
    return [m for c in columns if (m := pattern.match(c))]


def _unknown_layout(raw: pl.DataFrame, file: str) -> SourceError:
    try:
        detect_layout(
            raw,
            {
                "opendata": ("CODGEO_AA", "pp_vacant_AA", "pp_vacant_plus_2ans_AA"),
                "derive_cerema": ("comm_insee", "Nb_log_pp_AAAA", "Prop_logvac_pp_2A_0101AA"),
            },
            file,
        )
    except SourceError as exc:
        return exc
    raise AssertionError("unreachable: the signatures above are never present")


def _check_millesime(asked: int | None, found: int, file: str) -> int:
    if asked is not None and asked != found:
        raise SourceError(
            [
                Problem(
                    file,
                    f"le millésime demandé ({asked}) ne correspond pas aux colonnes du fichier "
                    f"(millésime LOVAC {found}).",
                    line=1,
                )
            ]
        )
    return found


def _drop_arrondissements(typed: pl.DataFrame, code: str) -> tuple[pl.DataFrame, int]:
    """Drop arrondissement rows of a city whose own row is also present (double count)."""
    codes = set(typed[code].drop_nulls().to_list())
    prefixes = [p for city, p in _PLM.items() if city in codes]
    if not prefixes:
        return typed, 0
    drop = pl.any_horizontal([pl.col(code).str.starts_with(p) for p in prefixes])
    kept = typed.filter(~drop)
    return kept, typed.height - kept.height


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=ENCODINGS)
    columns = raw.columns
    if _match(columns, _CODGEO) and _match(columns, _OPEN_COLUMN):
        return _read_opendata(raw, path.name, millesime)
    if "comm_insee" in columns and _match(columns, _DERIVED_STOCK):
        return _read_derived(raw, path.name, millesime)
    raise _unknown_layout(raw, path.name)


def _read_derived(raw: pl.DataFrame, file: str, millesime: int | None) -> Batch:
    stock = _match(raw.columns, _DERIVED_STOCK)[0]
    shares = _match(raw.columns, _DERIVED_SHARE)
    if not shares:
        raise SourceError(
            [
                Problem(
                    file,
                    "colonne obligatoire absente de l'en-tête (part des logements vacants "
                    "depuis plus de 2 ans au 1er janvier).",
                    line=1,
                    column="Prop_logvac_pp_2A_0101AA",
                )
            ]
        )
    share = shares[0]
    found = _check_millesime(millesime, int(stock.group(1)), file)
    year = 2000 + int(share.group(1))
    if year != found - 1:
        raise SourceError(
            [
                Problem(
                    file,
                    f"colonnes incohérentes : le parc du millésime {found} devrait être associé "
                    f"à la vacance au 1er janvier {found - 1}.",
                    line=1,
                    column=share.group(0),
                )
            ]
        )
    n, p = stock.group(0), share.group(0)
    # Secret communes are either absent or left empty: an empty cell is a secret, not a gap.
    fields = [
        Field("comm_insee", "commune", nullable=False),
        Field(n, "int", secret=("", *SECRET), missing=("NA",), bounds=DWELLINGS),
        Field(p, "float", secret=("", *SECRET), missing=("NA",)),
    ]
    typed = parse(raw, fields, file)
    check_unique(typed, ["comm_insee"], file)
    schema = pa.DataFrameSchema(
        {
            n: pa.Column(int, pa.Check.ge(0), nullable=True),
            p: pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        }
    )
    typed = validate(typed, schema, file)
    typed, dropped = _drop_arrondissements(typed, "comm_insee")
    secret = pl.col(f"{n}__secret") | pl.col(f"{p}__secret")
    total = pl.col(n).cast(pl.Float64)
    obs = pl.concat(
        [
            melt_values(
                typed, level="COM", code="comm_insee", year=year, variables={n: "PP_TOTAL"}
            ),
            observations(
                typed.select(
                    pl.lit("COM").alias("level"),
                    pl.col("comm_insee").alias("code"),
                    pl.lit(year).alias("year"),
                    pl.lit("PP_VACANT_PLUS_2ANS").alias("variable"),
                    pl.when(secret).then(None).otherwise(pl.col(p) / 100 * total).alias("value"),
                    pl.when(secret)
                    .then(pl.lit(Status.SECRET))
                    .when(pl.col(p).is_null() | total.is_null())
                    .then(pl.lit(Status.MISSING))
                    .otherwise(pl.lit(Status.ESTIMATED))
                    .alias("status"),
                )
            ),
        ]
    )
    notes = [
        ABSENT_NOTE,
        "cellule vide = secret",
        f"année {year} = situation au 1er janvier {year} (LOVAC millésime {found})",
        "PP_VACANT_PLUS_2ANS reconstruit (part arrondie à 0,1 point x parc privé) : estimé",
    ]
    if dropped:
        notes.append(f"{dropped} lignes d'arrondissements ignorées (ville déjà présente)")
    return Batch(
        millesime=found,
        part="derive_cerema",
        geo_vintage=year,
        layout="derive_cerema",
        tables={"observations": obs},
        row_count=typed.height,
        notes=notes,
    )


def _read_opendata(raw: pl.DataFrame, file: str, millesime: int | None) -> Batch:
    codgeo = _match(raw.columns, _CODGEO)[0]
    code = codgeo.group(0)
    found = _check_millesime(millesime, 2000 + int(codgeo.group(1)), file)
    # {millésime: {column: variable}}; ff_pp_total wins over pp_total if both exist.
    by_millesime: dict[int, dict[str, str]] = {}
    for m in sorted(_match(raw.columns, _OPEN_COLUMN), key=lambda m: m.group(1) != "ff_pp_total"):
        variable = _OPEN_STEMS[m.group(1)]
        cols = by_millesime.setdefault(2000 + int(m.group(2)), {})
        if variable not in cols.values():
            cols[m.group(0)] = variable
    present = {v for cols in by_millesime.values() for v in cols.values()}
    missing = [v for v in ("PP_VACANT_PLUS_2ANS", "PP_TOTAL") if v not in present]
    if missing:
        stems = {"PP_VACANT_PLUS_2ANS": "pp_vacant_plus_2ans_AA", "PP_TOTAL": "ff_pp_total_AA"}
        raise SourceError(
            [
                Problem(file, "colonne obligatoire absente de l'en-tête.", line=1, column=stems[v])
                for v in missing
            ]
        )
    value_columns = sorted(c for cols in by_millesime.values() for c in cols)
    fields = [Field(code, "commune", nullable=False)]
    fields += [Field(c, "int", secret=SECRET, bounds=DWELLINGS) for c in value_columns]
    typed = parse(raw, fields, file)
    check_unique(typed, [code], file)
    schema = pa.DataFrameSchema(
        {c: pa.Column(int, pa.Check.ge(0), nullable=True) for c in value_columns}
    )
    typed = validate(typed, schema, file)
    typed, dropped = _drop_arrondissements(typed, code)
    parts = []
    for lovac_millesime, cols in sorted(by_millesime.items()):
        # A column the edition leaves entirely empty carries nothing, not "missing" everywhere.
        filled = {
            c: v
            for c, v in cols.items()
            if typed.select((pl.col(c).is_not_null() | pl.col(f"{c}__secret")).any()).item()
        }
        if filled:
            year = lovac_millesime - 1
            parts.append(melt_values(typed, level="COM", code=code, year=year, variables=filled))
    if not parts:
        raise SourceError([Problem(file, "aucune valeur renseignée dans le fichier.")])
    notes = [
        ABSENT_NOTE,
        "« s » = secret",
        "année = millésime LOVAC - 1 (situation au 1er janvier)",
    ]
    if dropped:
        notes.append(f"{dropped} lignes d'arrondissements ignorées (ville déjà présente)")
    return Batch(
        millesime=found,
        part="opendata",
        geo_vintage=found,
        layout="opendata",
        tables={"observations": pl.concat(parts)},
        row_count=typed.height,
        notes=notes,
    )


SOURCE = SourceInfo(
    name="lovac",
    label="Logements vacants du parc privé (LOVAC)",
    producer="DGALN, d'après DGFiP (1767BISCOM) et Fichiers fonciers ; traitement Cerema",
    url="https://www.data.gouv.fr/fr/datasets/61816c6e23197bb34835228e/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Logements du parc privé, vacants et vacants depuis plus de deux ans, par commune, au "
        "1er janvier de l'année précédant le millésime LOVAC. Communes de moins de 11 logements "
        "vacants masquées (secret statistique)."
    ),
    read=read,
)
