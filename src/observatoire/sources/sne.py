"""SNE: demandes de logement social en cours and attributions (infocentre du Système
national d'enregistrement), by commune or EPCI of the demand's first choice.

Producer's documentation: "Infocentre du Système National d'Enregistrement - Guide de
lecture des restitutions", version 5, février 2020 (METL/SG/SNUM/PNM/DPNM2/GPL/PMPL):
the pre-set tables of the "Statistiques" rubric, among which TAB03 (demandes en cours,
hors associations, at the end of the period, by ancienneté, composition familiale,
revenus, typologie demandée...) and the tables of demandes satisfaites (attributions
radiées pour attribution in the period, with their délai d'attente). The infocentre is
open to the DREAL/DDT and to partners under convention only: the values are served to
signed-in partners ("partenaires", the catalog's default for this source).

No real export could be obtained here (SOURCES.md, "Still not found": only Île-de-France
material): the reader follows the guide's table and column titles, written as one CSV
export per territory level, and the tests read small files written from that layout.
Check the column titles on the first real export.
- ";" separator, Windows-1252 (the infocentre's CSV exports) or UTF-8.
- Territory column: `Code commune` (INSEE code, commune of the first choice) or
  `Code EPCI` (SIREN); `Libellé` follows.
- `Demandes en cours` (at 31 December of the year), `Attributions` (demandes satisfaites
  in the year), `Délai médian d'attribution (mois)` (published by the infocentre for the
  demandes satisfaites; empty where it is not published: never derived here).
- Secrecy: the infocentre masks small counts with "s" (secret): kept as secret, never 0.
- The file carries no year: `--millesime` or a year in the file name; year = millésime.

Variables: DEMANDES, ATTRIBUTIONS (counts, summed), DELAI_MEDIAN (months, published only).
Absence: a commune absent from a commune export = no demande (0); an EPCI export is the
producer's own EPCI values (used where the communes cannot be summed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

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
    parse,
    read_rows,
    require_millesime,
)
from observatoire.sources.schema import PEOPLE

SECRET = ("s", "S")
DEMANDES, ATTRIBUTIONS = "Demandes en cours", "Attributions"
DELAI = "Délai médian d'attribution (mois)"
VARIABLES = {
    "DEMANDES": "Demandes de logement social en cours au 31 décembre (hors associations)",
    "ATTRIBUTIONS": "Attributions de logements sociaux dans l'année (demandes satisfaites)",
    "DELAI_MEDIAN": "Délai médian d'attribution des demandes satisfaites (mois, publié)",
}
_LAYOUTS: dict[str, Sequence[str]] = {
    "COM": ("Code commune", DEMANDES, ATTRIBUTIONS),
    "EPCI": ("Code EPCI", DEMANDES, ATTRIBUTIONS),
}
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_SIREN = r"^\d{9}$"


def _fields(code: str, level: str) -> list[Field]:
    return [
        Field(code, "commune" if level == "COM" else "code", nullable=False),
        Field(DEMANDES, "int", secret=SECRET, bounds=PEOPLE),
        Field(ATTRIBUTIONS, "int", secret=SECRET, bounds=PEOPLE),
        Field(DELAI, "float", required=False, secret=SECRET),
    ]


def _refuse_values(typed: pl.DataFrame, code: str, level: str, file: str) -> None:
    checks = [
        (DEMANDES, typed[DEMANDES] < 0, "nombre positif ou nul attendu."),
        (ATTRIBUTIONS, typed[ATTRIBUTIONS] < 0, "nombre positif ou nul attendu."),
    ]
    if DELAI in typed.columns:
        checks.append((DELAI, ~typed[DELAI].is_between(0, 600), "délai en mois attendu (0 à 600)."))
    if level == "EPCI":
        checks.append(
            (code, ~typed[code].str.contains(_SIREN), "SIREN d'EPCI (9 chiffres) attendu.")
        )
    problems = [
        Problem(file, message, int(line), column, str(value))
        for column, bad, message in checks
        for line, value in zip(
            typed["_line"].filter(bad.fill_null(False)),
            typed[column].filter(bad.fill_null(False)),
            strict=True,
        )
    ]
    if problems:
        raise SourceError(problems)


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8", "cp1252"))
    level = detect_layout(raw, _LAYOUTS, path.name)
    code = _LAYOUTS[level][0]
    typed = parse(raw, _fields(code, level), path.name)
    check_unique(typed, [code], path.name)
    _refuse_values(typed, code, level, path.name)
    m = _YEAR_IN_NAME.search(path.name)
    millesime = require_millesime(millesime, int(m.group(1)) if m else None, path.name)
    columns = {DEMANDES: "DEMANDES", ATTRIBUTIONS: "ATTRIBUTIONS"}
    if DELAI in typed.columns:
        columns[DELAI] = "DELAI_MEDIAN"
    obs = melt_values(typed, level=level, code=code, year=millesime, variables=columns)
    if DELAI in typed.columns:
        # An empty délai is "not published", not a value: it is not emitted at all.
        obs = obs.filter((pl.col("variable") != "DELAI_MEDIAN") | (pl.col("status") != "missing"))
    secret = int(obs.filter(pl.col("status") == "secret").height)
    return Batch(
        millesime=millesime,
        part=level,
        geo_vintage=millesime,
        layout=f"infocentre-{level.lower()}",
        tables={"observations": obs.sort("code", "variable")},
        row_count=typed.height,
        notes=[
            f"{secret} valeurs masquées par le producteur (« s » : secret statistique)",
            "délai médian : valeur publiée par l'infocentre, jamais recalculée",
        ],
    )


SOURCE = SourceInfo(
    name="sne",
    label="Demandes et attributions de logements sociaux (SNE, infocentre)",
    producer="Ministère chargé du logement (DHUP), Système national d'enregistrement",
    url="https://www.demande-logement-social.gouv.fr/",
    licence="Données sous convention (infocentre SNE) : diffusion aux partenaires",
    description=(
        "Demandes de logement social en cours, attributions et délai médian d'attribution "
        "publié, par commune ou EPCI du premier choix."
    ),
    read=read,
    published_levels=("EPCI",),
    how_to_obtain=(
        "Export CSV de l'infocentre SNE (rubrique « Statistiques » : demandes en cours et "
        "demandes satisfaites par commune ou par EPCI), fourni par la DREAL ou la DDT(M) "
        "sous convention, puis : observatoire import sne FICHIER.csv --millesime ANNÉE"
    ),
)
