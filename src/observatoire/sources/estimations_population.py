"""INSEE estimations de population by département, sex and age group, 1975-2024.

File `estim-pop-dep-sexe-gca-1975-2024.xls` (edition of January 2024, /work/shared/data/
real/SOURCES.md §12), Excel 97, read with python-calamine (an .xlsx re-saved from it is read
the same way). Quirks checked on the real file:
- 51 sheets: "À savoir" (notes), then one sheet per year named "2024" ... "1975".
- In a year sheet: title rows, a row starting "Départements", the age labels on the next row
  ("0 à 19 ans", "20 à 39 ans", "40 à 59 ans", "60 à 74 ans", "75 ans et plus", "Total"),
  three blocks of six columns: Ensemble, Hommes, Femmes (only Ensemble is read).
- Département codes are text ("01", "2A") except the DROM, stored as numbers (971).
- After the départements: "France métropolitaine " (trailing space), "DOM" and "France
  métropolitaine et DOM" (Mayotte included from 2014), then a source note. 1975-1989 have no
  DROM rows and no "France métropolitaine et DOM" row.
- The last years are provisional ("résultats provisoires arrêtés fin 2023").

This is a département aggregate: nothing exists below. Observations (table `observations`):
DEP rows as published; REG rows summed from their départements (COG 2026 régions, only when
every département of the région is in the sheet); FR = the published "France métropolitaine
et DOM" row from 2014 (equal to the sum of the départements; before 2014 it leaves Mayotte
out, a narrower perimeter than France: no FR value). Variables: POP_TOTAL,
POP_60_PLUS (60-74 + 75 and over), POP_75_PLUS, PART_60_PLUS and PART_75_PLUS (% of the
total: ratios of sums at every level), EVOL_PART_60_PLUS and EVOL_PART_75_PLUS (change of
the share in points over the previous five years, N-5 to N).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from observatoire.sources.base import Batch, Problem, SourceError, SourceInfo
from observatoire.sources.schema import PEOPLE, observations
from observatoire.status import Status
from observatoire.territories.referential import COG_YEAR, national

AGES = ("0 à 19 ans", "20 à 39 ans", "40 à 59 ans", "60 à 74 ans", "75 ans et plus", "Total")
FRANCE_ROW = "France métropolitaine et DOM"
STOP = "France métropolitaine"
EVOLUTION_YEARS = 5
MAYOTTE_FROM = 2014
VARIABLES = {
    "POP_TOTAL": "Population au 1er janvier (habitants)",
    "POP_60_PLUS": "Population de 60 ans et plus (habitants)",
    "POP_75_PLUS": "Population de 75 ans et plus (habitants)",
    "PART_60_PLUS": "Part des 60 ans et plus (%)",
    "PART_75_PLUS": "Part des 75 ans et plus (%)",
    "EVOL_PART_60_PLUS": "Évolution sur 5 ans de la part des 60 ans et plus (points)",
    "EVOL_PART_75_PLUS": "Évolution sur 5 ans de la part des 75 ans et plus (points)",
}


def _open(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for any bad archive
        message = "vide" if not path.stat().st_size else "illisible (fichier tronqué ou pas Excel)"
        raise SourceError(
            [Problem(path.name, f"le classeur est {message} : {type(exc).__name__}.")]
        ) from None


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _header(rows: list[list[Any]], file: str, sheet: str) -> int:
    for i, row in enumerate(rows[:20]):
        if row and _text(row[0]) == "Départements" and i + 1 < len(rows):
            labels = [_text(c) for c in rows[i + 1][2:8]]
            if labels != list(AGES):
                raise SourceError(
                    [
                        Problem(
                            file,
                            "classes d'âge inattendues : attendu « " + " ; ".join(AGES) + " ».",
                            line=i + 2,
                            value=" ; ".join(labels),
                            sheet=sheet,
                        )
                    ]
                )
            return i + 2
    raise SourceError(
        [Problem(file, "ligne d'en-tête « Départements » introuvable.", line=1, sheet=sheet)]
    )


def _count(cell: Any, file: str, sheet: str, line: int, column: str) -> float:
    value = cell if isinstance(cell, int | float) and not isinstance(cell, bool) else None
    if value is None or not PEOPLE.contains(float(value)) or value < 0:
        raise SourceError(
            [
                Problem(
                    file,
                    "effectif attendu : nombre entier positif d'habitants.",
                    line=line,
                    column=column,
                    value=_text(cell),
                    sheet=sheet,
                )
            ]
        )
    return float(value)


def _sheet(rows: list[list[Any]], file: str, sheet: str, year: int) -> list[dict[str, Any]]:
    start = _header(rows, file, sheet)
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows[start:], start=start + 1):
        label = _text(row[0]) if row else ""
        if not label:
            continue
        if label == STOP or label.startswith("Source"):
            if label == STOP:
                continue
            break
        if label == "DOM":
            continue
        # Before 2014 the France row leaves Mayotte out (before 1990 there is none): its
        # perimeter is not France's, so it is not taken as France.
        if label == FRANCE_ROW and year < MAYOTTE_FROM:
            continue
        level, code = ("FR", "FR") if label == FRANCE_ROW else ("DEP", label.zfill(2))
        if code in seen:
            raise SourceError(
                [
                    Problem(
                        file,
                        f"doublon : ce territoire apparaît déjà ligne {seen[code]}.",
                        line=i,
                        column="Départements",
                        value=label,
                        sheet=sheet,
                    )
                ]
            )
        seen[code] = i
        cells = (list(row) + [""] * 8)[2:8]
        counts = [
            _count(c, file, sheet, i, f"{a} (Ensemble)") for a, c in zip(AGES, cells, strict=True)
        ]
        out.append(
            {
                "level": level,
                "code": code,
                "year": year,
                "POP_TOTAL": counts[5],
                "POP_60_PLUS": counts[3] + counts[4],
                "POP_75_PLUS": counts[4],
            }
        )
    return out


def _regions(deps: pl.DataFrame) -> pl.DataFrame:
    """COG 2026 régions as sums of their départements, only where all of them are there."""
    dep_reg = national().dep_reg
    ref = pl.DataFrame({"code": list(dep_reg), "reg": list(dep_reg.values())})
    expected = ref.group_by("reg").len("expected")
    joined = deps.join(ref, on="code")
    sums = joined.group_by("year", "reg").agg(
        pl.len().alias("found"), pl.col("POP_TOTAL", "POP_60_PLUS", "POP_75_PLUS").sum()
    )
    return (
        sums.join(expected, on="reg")
        .filter(pl.col("found") == pl.col("expected"))
        .select(pl.lit("REG").alias("level"), pl.col("reg").alias("code"), "year",
                "POP_TOTAL", "POP_60_PLUS", "POP_75_PLUS")
    )  # fmt: skip


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    wb = _open(path)
    years = [s for s in wb.sheet_names if s.strip().isdigit()]
    if not years:
        raise SourceError(
            [Problem(path.name, "aucune feuille d'année (« 2024 », « 2023 »...) dans le classeur.")]
        )
    rows: list[dict[str, Any]] = []
    for sheet in years:
        rows += _sheet(wb.get_sheet_by_name(sheet).to_python(), path.name, sheet, int(sheet))
    counts = pl.DataFrame(rows)
    deps = counts.filter(pl.col("level") == "DEP")
    wide = pl.concat([counts, _regions(deps)], how="diagonal_relaxed").with_columns(
        (100 * pl.col("POP_60_PLUS") / pl.col("POP_TOTAL")).alias("PART_60_PLUS"),
        (100 * pl.col("POP_75_PLUS") / pl.col("POP_TOTAL")).alias("PART_75_PLUS"),
    )
    before = wide.select(
        "level",
        "code",
        (pl.col("year") + EVOLUTION_YEARS).alias("year"),
        pl.col("PART_60_PLUS").alias("_p60"),
        pl.col("PART_75_PLUS").alias("_p75"),
    )
    wide = wide.join(before, on=["level", "code", "year"], how="left").with_columns(
        (pl.col("PART_60_PLUS") - pl.col("_p60")).alias("EVOL_PART_60_PLUS"),
        (pl.col("PART_75_PLUS") - pl.col("_p75")).alias("EVOL_PART_75_PLUS"),
    )
    obs = observations(
        pl.concat(
            wide.filter(pl.col(v).is_not_null()).select(
                "level",
                "code",
                "year",
                pl.lit(v).alias("variable"),
                pl.col(v).cast(pl.Float64).alias("value"),
                pl.lit(Status.OK).alias("status"),
            )
            for v in VARIABLES
        ).sort("level", "code", "year", "variable")
    )
    last = max(int(y) for y in years)
    return Batch(
        millesime=millesime or last,
        part="departements",
        # Département codes have not changed since 1976; régions are those of COG 2026.
        geo_vintage=COG_YEAR,
        layout="estim-pop-dep-sexe-gca",
        tables={"observations": obs},
        row_count=deps.height,
        notes=[
            f"estimations au 1er janvier {min(int(y) for y in years)}-{last}, par département",
            "régions : somme de leurs départements ; France : ligne publiée (métropole et DOM)",
        ],
    )


SOURCE = SourceInfo(
    name="estimations_population",
    label="Estimations de population par âge (INSEE)",
    producer="INSEE, estimations de population",
    url="https://www.insee.fr/fr/statistiques/1893198",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Population au 1er janvier par département, sexe et grande classe d'âge, 1975-2024 "
        "(dernières années provisoires)."
    ),
    read=read,
    published_levels=("DEP", "REG", "FR"),
    communes=False,
    not_derivable=(
        "source départementale (estimations de population par âge de l'INSEE) : rien "
        "n'est publié sous le département, ni pour une commune, un EPCI ou un regroupement"
    ),
)
