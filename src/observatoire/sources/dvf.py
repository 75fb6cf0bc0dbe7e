"""DVF géolocalisées (Etalab, from DGFiP "Demandes de valeurs foncières"): one row per
disposition x parcelle x local, 40 columns, comma separator, UTF-8, decimal point
(SOURCES.md §3; the DGFiP raw format, "|" and decimal comma, is refused with a message).

Emits one table, `ventes`: one row per dwelling sale (nothing else; the indicator engine
aggregates it). Rules, the usual Etalab / Cerema practice for price statistics:

- a dwelling sale is a mutation whose `nature_mutation` is exactly "Vente" (VEFA, i.e.
  "Vente en l'état futur d'achèvement", is new build, another market; adjudications,
  exchanges, expropriations and "Vente terrain à bâtir" are not market sales of dwellings);
- it contains exactly ONE local of type Maison (code 1) or Appartement (code 2): with two
  dwellings the single `valeur_fonciere` cannot be split between them. geo-dvf has no
  local identifier and repeats a local once per nature de culture of its parcel (a house
  with a garden and a meadow comes twice; the real extract even repeats a row identically,
  lines 6-7): a dwelling is therefore identified by (parcelle, type, surface réelle bâtie,
  pièces principales, premier lot), and identical rows count once;
- it contains NO "Local industriel. commercial ou assimilé" (code 4), for the same reason;
  dépendances (code 3: garage, cellar, parking) and plain land rows (no local: garden,
  meadow) ARE allowed: they come with most houses and flats and would otherwise remove
  most sales;
- one mutation spans several rows (one per disposition x parcelle x local) and repeats
  `valeur_fonciere` on each: rows are grouped on `id_mutation`, the price is counted once;
- prix_m2 = valeur_fonciere / surface_reelle_bati of the dwelling (surface habitable of
  the cadastre, not Carrez); sales with a null or zero price, or a surface under 1 m², are dropped.

Commune: `code_commune` is the code in force when Etalab built the file (the COG of the
file's year); `ancien_code_commune` (the pre-merger commune on which the parcel is still
recorded) is ignored, so every sale is counted in the current commune. Paris, Lyon and
Marseille sales carry arrondissement codes (75101...), never the city code: kept as is.

Absence: a commune absent from `ventes` had no dwelling sale in the file (0 sales, prices
undefined). Alsace-Moselle (57, 67, 68, livre foncier) and Mayotte are not covered by
DVF: there absence means unknown.

Batch: millesime = year of the sales (the latest year present unless given); part =
"<year>-<département(s)>" for a départemental file (Etalab publishes one file per year
and per département), "<year>" for a national one (10 départements or more), so that
importing dep 59 for 2023 does not replace dep 62 for 2023 (and do not import both the
national file and a départemental file of the same year: their sales would add up);
geo_vintage = millesime; row_count = number of data rows read (every row, kept or not).

Coverage: a second table, `couverture`, lists the communes present in the file (any row
read) per year and whether their département counts as whole (observatoire.sources.
dvf_coverage): a file cut to one commune covers that commune, not its département.

Scale: the national file has more than 15 million rows. The happy path is ONE DuckDB scan
of the CSV (all columns read as VARCHAR, typed with TRY_CAST) giving every row's commune
and year (rows read, communes present) and the values of the "Vente" rows with a local
other than a dépendance only; then a group by id_mutation on those. Values
are checked (date, price, surface, type code, commune code) on the rows used; DuckDB
itself rejects short or long rows and invalid UTF-8. Only when the scan fails or finds
an invalid value does a second, slower pass in Python locate the lines (the first 50,
plus the total count).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from observatoire.problems import MAX_PROBLEMS_SHOWN
from observatoire.sources.base import Batch, Problem, SourceError, SourceInfo
from observatoire.sources.dvf_coverage import coverage, coverage_notes
from observatoire.sources.dvf_file import CHECKS, COLUMNS, REQUIRED, locate_problems, read_header
from observatoire.sources.schema import COVERAGE_TABLE

__all__ = ["COLUMNS", "REQUIRED", "SOURCE", "Batch", "read"]

_NATIONAL_FROM = 10  # départements in one file from which it is taken as the national file


def read(
    path: Path,
    millesime: int | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    complete: tuple[str, ...] = (),
    **_: object,
) -> Batch:
    """`complete`: départements the user declares whole in this file (see dvf_coverage)."""
    header = read_header(path)
    con = con if con is not None else duckdb.connect()
    scan, present, rows, mutations = (
        f"_dvf_{name}_{uuid.uuid4().hex[:12]}" for name in ("scan", "present", "rows", "mutations")
    )
    try:
        con.execute(_scan_sql(scan), {"path": str(path)})
    except duckdb.Error as exc:
        # Short rows, bad UTF-8, broken quoting: DuckDB stops at the first one; locate
        # them all line by line.
        problems = locate_problems(path, header, MAX_PROBLEMS_SHOWN)
        if not problems:
            problems = [Problem(path.name, f"lecture du fichier impossible ({_first_line(exc)}).")]
        raise SourceError(problems) from None
    # One row per (commune, year) present: the coverage of the file and the rows read.
    con.execute(
        f"CREATE TEMP TABLE {present} AS SELECT code_commune, TRY_CAST(y AS INTEGER) AS year, "
        f"count(*) AS n_rows FROM {scan} GROUP BY ALL"
    )
    con.execute(f"CREATE TEMP TABLE {rows} AS SELECT * EXCLUDE (y, kept) FROM {scan} WHERE kept")
    con.execute(f"DROP TABLE {scan}")
    scanned = con.execute(
        f"SELECT count(*) FILTER (WHERE is_bad), year(min(date_mutation)), "
        f"year(max(date_mutation)) FROM {rows}"
    ).fetchone()
    assert scanned is not None
    bad, first_year, last_year = scanned
    if bad:
        con.execute(f"DROP TABLE {rows}")
        problems = locate_problems(path, header, MAX_PROBLEMS_SHOWN)
        plural = "s" if bad > 1 else ""
        problems.append(
            Problem(path.name, f"{bad} ligne{plural} avec des valeurs invalides au total.")
        )
        raise SourceError(problems)
    con.execute(_MUTATIONS_SQL.format(rows=rows, mutations=mutations))
    con.execute(f"DROP TABLE {rows}")
    stats = _stats(con, mutations)
    if not stats.ventes:
        con.execute(f"DROP TABLE {mutations}")
        raise SourceError(
            [Problem(path.name, "aucune vente de logement (maison ou appartement) exploitable.")]
        )
    years = list(range(first_year, last_year + 1))
    if millesime is None:
        millesime = last_year
    elif millesime not in years:
        con.execute(f"DROP TABLE {mutations}")
        raise SourceError(
            [
                Problem(
                    path.name,
                    f"le millésime demandé ({millesime}) ne correspond à aucune vente du "
                    f"fichier (années présentes : {', '.join(map(str, years))}).",
                )
            ]
        )
    read_count = con.execute(f"SELECT sum(n_rows) FROM {present}").fetchone()
    assert read_count is not None
    covered, couverture = coverage(con, present, millesime, complete, path.name)
    deps = sorted(stats.deps)
    part = str(millesime) if len(deps) >= _NATIONAL_FROM else "-".join([str(millesime), *deps])
    notes = [
        f"{stats.ventes} ventes de logement retenues (années {', '.join(map(str, years))}, "
        f"départements {', '.join(deps)}).",
        "Vente de logement = mutation « Vente » comportant exactement une maison ou un "
        "appartement, sans local commercial ni industriel (dépendances admises) ; "
        "prix au m² = valeur foncière / surface réelle bâtie.",
        f"Mutations « Vente » écartées : {stats.several} à plusieurs logements, "
        f"{stats.commercial} avec un local commercial ou industriel, "
        f"{stats.unpriced} sans prix ou sans surface.",
        "Commune = code_commune du fichier (code en vigueur à la publication) ; "
        "ancien_code_commune ignoré.",
        "Commune absente = aucune vente de logement dans le fichier (0 vente, prix non "
        "défini) si son département est complet dans le fichier, inconnue sinon ; "
        "Alsace-Moselle (57, 67, 68) et Mayotte ne sont pas couverts par DVF.",
        *coverage_notes(covered),
    ]
    return Batch(
        millesime=millesime,
        part=part,
        geo_vintage=millesime,
        layout="dvf_geolocalisees",
        tables={
            "ventes": con.sql(_VENTES_SQL.format(mutations=mutations)),
            COVERAGE_TABLE: couverture,
        },
        row_count=int(read_count[0]),
        notes=notes,
    )


# --------------------------------------------------------------------------- the scan

_BAD = " OR ".join(f"({cond})" for cond, _ in CHECKS.values())
_KEPT = "nature_mutation = 'Vente' AND coalesce(code_type_local <> '3', false)"


def _scan_sql(scan: str) -> str:
    # The only pass over the file. Every row gives its commune and year (coverage, rows
    # read); only the "Vente" rows with a local other than a dépendance (a dwelling, a
    # commercial local, or an invalid type code), a small part of a real file, carry
    # their values: land, dépendances and other natures are only counted. Values are
    # checked on the kept rows only: they are the only values used, and checking every
    # row of a national file doubled the time of the scan. The year of a row is the text
    # before the first "-" of its date, not a cast: its validity matters only on kept
    # rows. (Aggregating the kept rows into lists per commune cost 40 % more: bench.run.)
    def kept(expr: str) -> str:
        return f"CASE WHEN {_KEPT} THEN {expr} END"

    columns = {
        "id_mutation": "id_mutation",
        "date_mutation": "TRY_CAST(date_mutation AS DATE)",
        "code_commune": "code_commune",
        "id_parcelle": "id_parcelle",
        "nombre_pieces_principales": "nombre_pieces_principales",
        "lot1_numero": "lot1_numero",
        "type_code": "code_type_local",
        "valeur_fonciere": "TRY_CAST(valeur_fonciere AS DOUBLE)",
        "surface_reelle_bati": "TRY_CAST(surface_reelle_bati AS DOUBLE)",
        "is_bad": f"({_BAD})",
    }
    values = ",\n       ".join(
        f"{expr if name == 'code_commune' else kept(expr)} AS {name}"
        for name, expr in columns.items()
    )
    return f"""
CREATE TEMP TABLE {scan} AS
SELECT left(date_mutation, 4) AS y, coalesce({_KEPT}, false) AS kept,
       {values}
FROM read_csv($path, all_varchar = true, header = true, delim = ',', quote = '"',
              escape = '"', encoding = 'utf-8')
"""


# One row per mutation: valeur_fonciere is repeated on every row, so it is taken once,
# from the dwelling row (the only one when the mutation is a dwelling sale).
_MUTATIONS_SQL = """
CREATE TEMP TABLE {mutations} AS
SELECT id_mutation,
       count(DISTINCT (id_parcelle, type_code, surface_reelle_bati,
                       nombre_pieces_principales, lot1_numero))
           FILTER (WHERE type_code IN ('1', '2')) AS n_dwellings,
       count(*) FILTER (WHERE type_code = '4') AS n_commercial,
       any_value(date_mutation) FILTER (WHERE type_code IN ('1', '2')) AS date_mutation,
       any_value(code_commune) FILTER (WHERE type_code IN ('1', '2')) AS code_commune,
       any_value(type_code) FILTER (WHERE type_code IN ('1', '2')) AS type_code,
       any_value(valeur_fonciere) FILTER (WHERE type_code IN ('1', '2')) AS valeur_fonciere,
       any_value(surface_reelle_bati) FILTER (WHERE type_code IN ('1', '2'))
           AS surface_reelle_bati
FROM {rows}
GROUP BY id_mutation
"""

_SALE = "n_dwellings = 1 AND n_commercial = 0"
# surface_reelle_bati is a whole number of m² (DGFiP): below 1 m² the price per m² means
# nothing, and a surface of 1e-300 would make it infinite.
_PRICED = "coalesce(valeur_fonciere > 0 AND surface_reelle_bati >= 1, false)"

_VENTES_SQL = f"""
SELECT id_mutation,
       date_mutation,
       CAST(year(date_mutation) AS INTEGER) AS year,
       code_commune,
       CASE type_code WHEN '1' THEN 'Maison' ELSE 'Appartement' END AS type_local,
       valeur_fonciere,
       surface_reelle_bati,
       valeur_fonciere / surface_reelle_bati AS prix_m2
FROM {{mutations}}
WHERE {_SALE} AND {_PRICED}
"""


@dataclass(frozen=True)
class _Stats:
    ventes: int
    several: int
    commercial: int
    unpriced: int
    deps: frozenset[str]


def _stats(con: duckdb.DuckDBPyConnection, mutations: str) -> _Stats:
    dep = (
        "CASE WHEN code_commune LIKE '97%' THEN left(code_commune, 3) "
        "ELSE left(code_commune, 2) END"
    )
    row = con.execute(
        f"""
SELECT count(*) FILTER (WHERE {_SALE} AND {_PRICED}),
       count(*) FILTER (WHERE n_dwellings > 1 AND n_commercial = 0),
       count(*) FILTER (WHERE n_dwellings > 0 AND n_commercial > 0),
       count(*) FILTER (WHERE {_SALE} AND NOT {_PRICED}),
       list(DISTINCT {dep}) FILTER (WHERE {_SALE} AND {_PRICED})
FROM {mutations}
"""
    ).fetchone()
    assert row is not None
    return _Stats(int(row[0]), int(row[1]), int(row[2]), int(row[3]), frozenset(row[4] or []))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


SOURCE = SourceInfo(
    name="dvf",
    label="Demandes de valeurs foncières géolocalisées (ventes de logements)",
    producer="DGFiP, retraitement Etalab",
    url="https://www.data.gouv.fr/fr/datasets/demandes-de-valeurs-foncieres-geolocalisees/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Mutations immobilières à titre onéreux, une ligne par disposition, parcelle et "
        "local ; le lecteur en tire une ligne par vente de maison ou d'appartement avec son "
        "prix au m². Hors Alsace-Moselle et Mayotte. Géographie de l'année du fichier."
    ),
    read=read,
)
