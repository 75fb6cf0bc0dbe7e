"""Territory codes of the RPLS files (SDES and the ministry's R packages): the zone type
of a row, its code checked per level, the arrondissements municipaux and their city."""

from __future__ import annotations

import re
from collections.abc import Collection

import polars as pl

from observatoire.sources.base import LINE, Problem, SourceError

LEVELS = {
    "Communes": "COM",
    "Epci": "EPCI",
    "Départements": "DEP",
    "Régions": "REG",
    "France": "FR",
}
_CODE = {
    "COM": re.compile(r"^(\d{5}|2[AB]\d{3})$"),
    "EPCI": re.compile(r"^\d{9}$"),
    "DEP": re.compile(r"^(\d{2}|2[AB]|97\d)$"),
    "REG": re.compile(r"^\d{2}$"),
}
_WIDTH = {"COM": 5, "EPCI": 9, "DEP": 2, "REG": 2}
NO_EPCI = "ZZZZZZZZZ"  # INSEE's "sans objet": the communes outside any EPCI


# Arrondissements municipaux -> their city (unchanged since 1964: Paris 20, Marseille 16,
# Lyon 9); a fixed rule, cheaper than loading the whole referential for 45 codes.
_CITIES = {"75056": ("751", 20), "13055": ("132", 16), "69123": ("6938", 9)}


def city_of(code: str) -> str | None:
    for city, (prefix, last) in _CITIES.items():
        rest = code[len(prefix) :]
        if len(code) == 5 and code.startswith(prefix) and rest.isdigit() and 1 <= int(rest) <= last:
            return city
    return None


def drop_double_arrondissements(frame: pl.DataFrame, code: str) -> tuple[pl.DataFrame, list[str]]:
    """Arrondissement rows (75101.., 13201.., 69381..) are kept as COM rows, unless their city
    row is in the file too: then they are dropped (they would be counted twice)."""
    present = set(frame[code].to_list())
    double = pl.Series([city_of(c) in present for c in frame[code].to_list()], dtype=pl.Boolean)
    n = int(double.sum())
    if not n:
        return frame, []
    note = (
        f"{n} lignes d'arrondissements municipaux écartées : la ligne de leur ville (Paris, "
        "Marseille, Lyon) est présente (pas de double compte)."
    )
    return frame.filter(~double), [note]


def zone_codes(
    typed: pl.DataFrame, file: str, code_columns: dict[str, str], levels: Collection[str]
) -> pl.DataFrame:
    """Adds `level` and `code` from TypeZone and the level's code column (France: the code as
    read, or "FR"); every unknown TypeZone or malformed code is reported with its line."""
    out_levels: list[str | None] = []
    out_codes: list[str | None] = []
    problems: list[Problem] = []
    columns = [LINE, "TypeZone", *dict.fromkeys(code_columns.values())]
    for row in typed.select(columns).iter_rows(named=True):
        zone = (row["TypeZone"] or "").strip()
        level = LEVELS.get(zone)
        if level is None or level not in levels:
            expected = ", ".join(t for t, lv in LEVELS.items() if lv in levels)
            problems.append(
                Problem(file, f"type de zone inconnu (attendu : {expected}).", row[LINE],
                        "TypeZone", zone)
            )  # fmt: skip
            out_levels.append(None)
            out_codes.append(None)
            continue
        column = code_columns.get(level)
        code = (row[column] or "").strip().upper() if column else "FR"
        if level in _CODE and column:
            if code.isdigit() and len(code) < _WIDTH[level]:
                code = code.zfill(_WIDTH[level])  # a leading zero lost on the way
            if not _CODE[level].match(code) and not (level == "EPCI" and code == NO_EPCI):
                problems.append(
                    Problem(file, f"code {level} mal formé.", row[LINE], column, row[column])
                )
        out_levels.append(level)
        out_codes.append(code)
    if problems:
        raise SourceError(problems)
    return typed.with_columns(
        pl.Series("level", out_levels, dtype=pl.Utf8), pl.Series("code", out_codes, dtype=pl.Utf8)
    )
