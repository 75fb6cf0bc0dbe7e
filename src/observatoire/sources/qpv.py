"""Quartiers prioritaires de la politique de la ville (QPV, géographie 2015) and their
population.

INSEE/ONPV file of demographic indicators per QPV (`DEMO_2022.csv`, checked on the 1,400
QPV of the 2015 geography, in force until 31 December 2023; /work/shared/data/real/
SOURCES.md §12):
- UTF-8 with BOM, CRLF, ";", 191 fields a line of which 157 empty trailing ones (no
  header name: ignored). Thousands separator U+202F ("4 383"), decimal comma.
- `CODGEO` is the QPV code "QP" + département on three characters + number (QP059074,
  QP02A001, QP971001); `LIBGEO` its name; `POP_MUN` its population (census 2018:
  `POP_COM` of Caen = its PMUN 2018).
- There is **no commune code**: `LIB_COM` gives the commune's name, or the names of all
  the communes of a QPV that straddles several, comma-separated ("Faches-Thumesnil,
  Lezennes, Lille, Loos"). Names are matched here within the QPV's département to the
  current COG (folded: case, accents, hyphens), or to a former name of the INSEE
  mouvements (Oullins and Pierre-Bénite: Oullins-Pierre-Bénite since 2024, then one
  commune), or, failing that, to a name unique in France (QP062040 "Cornuault" lists
  Ostricourt, a commune of the Nord); an unmatched or ambiguous name is refused with its
  line.
- Paris, Lyon and Marseille quartiers name their arrondissements ("Marseille 16e
  Arrondissement", "Paris 19e Arrondissement"): read as the city (75056, 69123, 13055); a
  quartier over several arrondissements of one city lies in one commune.
- The file gives a straddling QPV's population as a whole, never its split among its
  communes: it is not split by guess. Such a quartier is listed in the portrait of each
  of its communes with the population of the whole quartier, and counted in QPV_NOMBRE
  and QPV_POPULATION of none of them (those count the quartiers lying in one commune,
  exact at every level); QPV_INTERCOMMUNAUX counts the straddling quartiers a commune
  belongs to (not additive: a quartier of two communes of an EPCI would count twice).

Tables: `observations`, level COM, year 2018: QPV_NOMBRE, QPV_POPULATION,
QPV_INTERCOMMUNAUX; a national file gives 0 to every other French commune, an extract to
the other communes of its départements. `quartiers`: code_commune, code_qpv, nom,
population, communes (as written), intercommunal: one row per QPV and commune.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polars as pl

from observatoire.sources.attributes import french_communes, passage_from
from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    Problem,
    SourceError,
    SourceInfo,
    check_unique,
    departement_of,
    detect_layout,
    observations,
    parse,
    read_rows,
    require_millesime,
)
from observatoire.sources.schema import PEOPLE, ROW_GEO_VINTAGE
from observatoire.status import Status
from observatoire.territories import Level, Territory
from observatoire.territories.referential import COG_YEAR, fold, mouvements, national

MILLESIME = 2022  # the file's edition ("DEMO_2022")
YEAR = 2018  # the census the populations come from
VARIABLES = {
    "QPV_NOMBRE": "Quartiers prioritaires situés dans la seule commune",
    "QPV_POPULATION": "Population de ces quartiers (habitants, recensement 2018)",
    "QPV_INTERCOMMUNAUX": "Quartiers prioritaires partagés avec d'autres communes",
}
NATIONAL_MIN_DEPARTEMENTS = 80
FORMER_NAMES_COGS = (2023, 2021, 2019)
FIELDS = [
    Field("CODGEO", "code", nullable=False),
    Field("LIBGEO", nullable=False),
    Field("POP_MUN", "int", bounds=PEOPLE),
    Field("LIB_COM", nullable=False),
]


def departement(code: str) -> str | None:
    """QP059074 -> 59, QP02A001 -> 2A, QP971001 -> 971; None if not a QPV code."""
    if len(code) != 8 or not code.startswith("QP"):
        return None
    dep = code[2:5]
    return dep[1:] if dep.startswith("0") else dep


_ARRONDISSEMENT = re.compile(r"^(?P<city>.+?) \d+(?:er|e) arrondissement$")


@cache
def _communes_by_name() -> tuple[dict[tuple[str, str], list[str]], dict[str, list[str]]]:
    """(département, folded name) -> current codes, then folded name -> current codes in
    France; current names first, former names (INSEE mouvements) where no current commune
    has the name."""
    ref = national()
    by_dep: dict[tuple[str, str], list[str]] = {}
    for code, dep in ref.commune_dep.items():
        by_dep.setdefault((dep, fold(ref.name(Territory(Level.COM, code)))), []).append(code)
    # Former names since the file's time (its names are those of about 2022), each code
    # read on the newest COG that knows it.
    successors = passage_from(FORMER_NAMES_COGS).group_by("old_code").agg("new_code")
    current_of = dict(successors.iter_rows())
    former: dict[tuple[str, str], list[str]] = {}
    for m in mouvements():
        if m["TYPECOM_AV"] != "COM" or m["DATE_EFF"][:4] < str(min(FORMER_NAMES_COGS)):
            continue
        key = (departement_of(m["COM_AV"]), fold(m["LIBELLE_AV"]))
        if key not in by_dep:
            found = former.setdefault(key, [])
            found += [c for c in current_of.get(m["COM_AV"], []) if c not in found]
    by_dep |= former
    by_name: dict[str, list[str]] = {}
    for (_, name), codes in by_dep.items():
        by_name.setdefault(name, []).extend(c for c in codes if c not in by_name.get(name, []))
    return by_dep, by_name


def _folded(name: str) -> str:
    """Folded commune name; an arrondissement municipal gives its city's."""
    folded = fold(name)
    found = _ARRONDISSEMENT.match(folded)
    return found.group("city") if found else folded


def _locate(typed: pl.DataFrame, file: str) -> pl.DataFrame:
    """One row per (QPV, commune): code_commune, code_qpv, nom, population, communes,
    intercommunal, _line."""
    by_dep, by_name = _communes_by_name()
    rows, problems = [], []
    for r in typed.iter_rows(named=True):
        dep = departement(r["CODGEO"])
        if dep is None:
            problems.append(
                Problem(
                    file,
                    "code de quartier attendu (QP + département + numéro, ex. QP059074).",
                    r[LINE],
                    "CODGEO",
                    r["CODGEO"],
                )
            )
            continue
        listed = [n.strip() for n in r["LIB_COM"].split(",") if n.strip()]
        codes: list[str] = []
        for name in listed:
            found = by_dep.get((dep, _folded(name))) or by_name.get(_folded(name), [])
            if len(found) != 1:
                why = "commune introuvable" if not found else "nom de commune ambigu"
                problems.append(
                    Problem(
                        file,
                        f"{why} dans le département {dep} (COG {COG_YEAR}).",
                        r[LINE],
                        "LIB_COM",
                        name,
                    )
                )
                continue
            codes += [c for c in found if c not in codes]
        rows += [
            (c, r["CODGEO"], r["LIBGEO"], r["POP_MUN"], r["LIB_COM"], len(codes) > 1, r[LINE])
            for c in codes
        ]
    if problems:
        raise SourceError(problems)
    return pl.DataFrame(
        rows,
        schema={
            "code_commune": pl.Utf8,
            "code_qpv": pl.Utf8,
            "nom": pl.Utf8,
            "population": pl.Float64,
            "communes": pl.Utf8,
            "intercommunal": pl.Boolean,
            LINE: pl.Int64,
        },
        orient="row",
    )


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8",), keep=[f.name for f in FIELDS])
    detect_layout(raw, {"onpv_demo": ("CODGEO", "LIBGEO", "POP_MUN", "LIB_COM")}, path.name)
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["CODGEO"], path.name)
    millesime = require_millesime(millesime, MILLESIME, path.name)
    quartiers = _locate(typed, path.name)
    alone = quartiers.filter(~pl.col("intercommunal"))
    per_commune = quartiers.group_by("code_commune").agg(
        (~pl.col("intercommunal")).sum().cast(pl.Float64).alias("QPV_NOMBRE"),
        pl.when(~pl.col("intercommunal")).then(pl.col("population")).sum().alias("QPV_POPULATION"),
        pl.col("intercommunal").sum().cast(pl.Float64).alias("QPV_INTERCOMMUNAUX"),
        # A population the file leaves empty makes the commune's total missing, not lower.
        (~pl.col("intercommunal") & pl.col("population").is_null()).any().alias("_gap"),
    )
    ref = national()
    deps = {d for d in (departement(c) for c in typed["CODGEO"].to_list()) if d}
    national_file = len(deps) >= NATIONAL_MIN_DEPARTEMENTS
    others = [c for c in french_communes() if national_file or ref.commune_dep[c] in deps]
    zeros = pl.DataFrame({"code_commune": others}).join(per_commune, on="code_commune", how="anti")
    per_commune = pl.concat(
        [
            per_commune,
            zeros.with_columns(
                pl.lit(0.0).alias("QPV_NOMBRE"),
                pl.lit(0.0).alias("QPV_POPULATION"),
                pl.lit(0.0).alias("QPV_INTERCOMMUNAUX"),
                pl.lit(False).alias("_gap"),
            ),
        ]
    )
    parts = [
        per_commune.select(
            pl.col("code_commune").alias("code"),
            pl.lit(variable).alias("variable"),
            pl.when(pl.col("_gap") & (variable == "QPV_POPULATION"))
            .then(None)
            .otherwise(pl.col(variable))
            .alias("value"),
            pl.when(pl.col("_gap") & (variable == "QPV_POPULATION"))
            .then(pl.lit(Status.MISSING))
            .otherwise(pl.lit(Status.OK))
            .alias("status"),
        )
        for variable in VARIABLES
    ]
    obs = observations(
        pl.concat(parts)
        .with_columns(
            pl.lit("COM").alias("level"),
            pl.lit(YEAR).alias("year"),
            pl.lit(COG_YEAR).alias(ROW_GEO_VINTAGE),
        )
        .sort("code", "variable")
    )
    straddling = quartiers.filter(pl.col("intercommunal"))["code_qpv"].n_unique()
    return Batch(
        millesime=millesime,
        part="quartiers",
        geo_vintage=COG_YEAR,
        layout="onpv_demo",
        tables={"observations": obs, "quartiers": quartiers.drop(LINE)},
        row_count=typed.height,
        notes=[
            f"{alone.height} quartiers dans une seule commune, {straddling} quartiers "
            "intercommunaux (population non répartie entre leurs communes)",
            "communes retrouvées par leur nom dans le département du quartier",
        ],
    )


SOURCE = SourceInfo(
    name="qpv",
    label="Quartiers prioritaires de la politique de la ville (2015)",
    producer="INSEE, Observatoire national de la politique de la ville (ONPV)",
    url="https://www.insee.fr/fr/statistiques/6436476",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Quartiers prioritaires de la politique de la ville (géographie 2015, en vigueur "
        "jusqu'au 31 décembre 2023), leur commune et leur population (recensement 2018)."
    ),
    read=read,
)
