"""Sources declared without code: a partner's own table (SIAO demands, CCAPEX expulsions,
Anah dossiers...) described by a TOML file, read by the one generic reader below.

A declaration is data only: every key is checked against the layout below, unknown keys
are refused, names are plain identifiers (a name becomes a warehouse folder), and nothing
in it is evaluated. Registered declarations live in `<data dir>/declarations/<name>.toml`
(docs/sources-declarees/README.md describes the keys):

    [source]      name, label, producer, description, url (optional)
    [convention]  reference, end (date), diffusion (the level the producer requires)
    [territory]   column, level ("commune" or "epci")
    [year]        column, or millesime (a fixed year)
    [secrecy]     threshold (optional: values under it are masked)
    [file]        separator (";" by default), secret markers (optional)
    [[variable]]  name, label, type ("int" | "float"), unit, absent ("zero" | "secret" |
                  "missing": what a commune missing from the file means)
    [[indicator]] checked by observatoire.indicators.catalog (same file)
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import polars as pl

from observatoire.problems import Problem
from observatoire.settings import Settings, active
from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    SourceError,
    SourceInfo,
    check_unique,
    communes_part,
    melt_values,
    parse,
    read_rows,
    require_millesime,
)
from observatoire.status import Status

DIFFUSIONS = ("public", "partenaires", "restreint")  # widest first
LEVELS = {"commune": "COM", "epci": "EPCI"}
ABSENT = (Status.MISSING, Status.SECRET, "zero")
KEYS: dict[str, set[str]] = {
    "source": {"name", "label", "producer", "description", "url"},
    "convention": {"reference", "end", "diffusion"},
    "territory": {"column", "level"},
    "year": {"column", "millesime"},
    "secrecy": {"threshold"},
    "file": {"separator", "secret"},
    "variable": {"name", "label", "type", "unit", "absent"},
}
TOP = {*KEYS, "indicator"}
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")
_SIREN = re.compile(r"^\d{9}$")
FOLDER = "declarations"


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    type: str
    unit: str
    absent: str


# Compared by identity: the folder's declarations are read once per state of the folder,
# and the catalog caches its indicators per declaration object.
@dataclass(frozen=True, eq=False)
class Declaration:
    name: str
    label: str
    producer: str
    description: str
    url: str
    convention: str
    end: date
    diffusion: str
    territory_column: str
    level: str  # COM | EPCI
    year_column: str | None
    millesime: int | None
    threshold: float | None
    separator: str
    secret_markers: tuple[str, ...]
    variables: tuple[Variable, ...]
    indicators: tuple[dict[str, Any], ...]
    text: str

    def expired(self, today: date | None = None) -> bool:
        return self.end < (today or date.today())

    def expiry_note(self) -> str:
        return (
            f"convention « {self.convention} » échue le {self.end:%d/%m/%Y} : les valeurs "
            f"de « {self.label} » ne sont plus diffusées"
        )

    def variable(self, name: str) -> Variable | None:
        return next((v for v in self.variables if v.name == name), None)


def wider(diffusion: str, than: str) -> bool:
    """Is `diffusion` read by more people than `than`?"""
    return DIFFUSIONS.index(diffusion) < DIFFUSIONS.index(than)


class _Checker:
    """Collects every problem of a declaration, each located by its key."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, key: str, message: str, value: object = None) -> None:
        shown = None if value is None else str(value)
        self.problems.append(
            Problem(self.file, message, column=key, value=shown, kind="déclaration")
        )

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        raw = data.get(key, {})
        if not isinstance(raw, dict):
            self.add(key, "section [table] attendue.", raw)
            return {}
        for extra in sorted(set(raw) - KEYS[key]):
            self.add(f"{key}.{extra}", "clé inconnue (voir docs/sources-declarees/README.md).")
        return raw

    def text(self, table: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f"{where}.{key}", "clé obligatoire absente.")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(f"{where}.{key}", "texte non vide attendu.", value)
            return ""
        return value.strip()

    def choice(self, table: dict[str, Any], key: str, where: str, allowed: Any) -> str:
        value = self.text(table, key, where)
        if value and value not in allowed:
            self.add(f"{where}.{key}", f"valeur attendue : {', '.join(allowed)}.", value)
            return ""
        return value


def parse_declaration(text: str, file: str) -> Declaration:
    """The declaration, or SourceError listing every problem with its key."""
    decl, problems = inspect(text, file)
    if problems:
        raise SourceError(problems)
    return decl


def inspect(text: str, file: str) -> tuple[Declaration, list[Problem]]:
    """The declaration as far as it can be read, and every problem with its key (the
    indicators are checked with it: observatoire.indicators.declared)."""
    check = _Checker(file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError([Problem(file, f"TOML illisible : {exc}.", kind="déclaration")]) from None
    for extra in sorted(set(data) - TOP):
        check.add(extra, "section inconnue (voir docs/sources-declarees/README.md).")
    source = check.table(data, "source")
    name = check.text(source, "name", "source")
    if name and not _NAME.match(name):
        check.add("source.name", "nom en minuscules, chiffres et _ (2 à 40 caractères).", name)
    convention = check.table(data, "convention")
    end = convention.get("end")
    if not isinstance(end, date):
        check.add("convention.end", "date de fin de convention attendue (AAAA-MM-JJ).", end)
    territory = check.table(data, "territory")
    year = check.table(data, "year")
    if ("column" in year) == ("millesime" in year):
        check.add("year", "indiquer soit la colonne de l'année (column), soit un millésime fixe.")
    millesime = year.get("millesime")
    if millesime is not None and not (isinstance(millesime, int) and 1900 < millesime < 2200):
        check.add("year.millesime", "année attendue (ex. 2024).", millesime)
    secrecy = check.table(data, "secrecy")
    threshold = secrecy.get("threshold")
    if threshold is not None and not (
        isinstance(threshold, int | float) and not isinstance(threshold, bool) and threshold > 0
    ):
        check.add("secrecy.threshold", "nombre positif attendu.", threshold)
    layout = check.table(data, "file")
    separator = layout.get("separator", ";")
    if separator not in (";", ",", "\t", "|"):
        check.add("file.separator", "séparateur attendu : ; , | ou tabulation.", separator)
    markers = layout.get("secret", [])
    if not isinstance(markers, list) or not all(isinstance(m, str) and m for m in markers):
        check.add("file.secret", 'liste de marqueurs de secret attendue (ex. ["s"]).', markers)
        markers = []
    variables = _variables(data, check)
    indicators = data.get("indicator", [])
    if not isinstance(indicators, list) or not all(isinstance(i, dict) for i in indicators):
        check.add("indicator", "liste de blocs [[indicator]] attendue.")
        indicators = []
    decl = Declaration(
        name=name,
        label=check.text(source, "label", "source"),
        producer=check.text(source, "producer", "source"),
        description=check.text(source, "description", "source", required=False),
        url=check.text(source, "url", "source", required=False),
        convention=check.text(convention, "reference", "convention"),
        end=end if isinstance(end, date) else date.min,
        diffusion=check.choice(convention, "diffusion", "convention", DIFFUSIONS),
        territory_column=check.text(territory, "column", "territory"),
        level=LEVELS.get(check.choice(territory, "level", "territory", LEVELS), ""),
        year_column=check.text(year, "column", "year", required=False) or None,
        millesime=millesime if isinstance(millesime, int) else None,
        threshold=float(threshold) if isinstance(threshold, int | float) else None,
        separator=separator if isinstance(separator, str) else ";",
        secret_markers=tuple(markers),
        variables=variables,
        indicators=tuple(indicators),
        text=text,
    )
    return decl, check.problems


def _variables(data: dict[str, Any], check: _Checker) -> tuple[Variable, ...]:
    raw = data.get("variable", [])
    if not isinstance(raw, list) or not raw:
        check.add("variable", "au moins un bloc [[variable]] attendu.")
        return ()
    out: list[Variable] = []
    for i, item in enumerate(raw, start=1):
        where = f"variable[{i}]"
        if not isinstance(item, dict):
            check.add(where, "bloc [[variable]] attendu.")
            continue
        for extra in sorted(set(item) - KEYS["variable"]):
            check.add(f"{where}.{extra}", "clé inconnue (voir docs/sources-declarees/README.md).")
        name = check.text(item, "name", where)
        if name and not _VARIABLE.match(name):
            check.add(f"{where}.name", "nom en MAJUSCULES, chiffres et _ attendu.", name)
        if name and name in {v.name for v in out}:
            check.add(f"{where}.name", "variable déclarée deux fois.", name)
        out.append(
            Variable(
                name=name,
                label=check.text(item, "label", where),
                type=check.choice(item, "type", where, ("int", "float")),
                unit=check.text(item, "unit", where),
                absent=check.choice(item, "absent", where, ABSENT),
            )
        )
    return tuple(out)


def folder(settings: Settings) -> Path:
    return settings.data_dir / FOLDER


def registered(settings: Settings | None = None) -> dict[str, Declaration]:
    """The declarations registered in a data dir (default: the active one), re-read when
    one is (re)declared: `declare` renames a file into the folder, changing its mtime."""
    where = folder(settings or active())
    try:
        stamp = tuple(
            sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in os.scandir(where))
        )
    except FileNotFoundError:
        return {}
    return _read_folder(where, stamp) if stamp else {}


@lru_cache(maxsize=16)
def _read_folder(where: Path, _stamp: tuple[object, ...]) -> dict[str, Declaration]:
    out = {}
    for path in sorted(where.glob("*.toml")):
        decl = parse_declaration(path.read_text(encoding="utf-8"), path.name)
        out[decl.name] = decl
    return out


def _part(decl: Declaration, codes: pl.Series) -> str:
    if decl.level == "EPCI":
        return "EPCI"
    return communes_part(codes)


def read(decl: Declaration, path: Path, millesime: int | None = None, **_: object) -> Batch:
    """One file of a declared source -> observations (level, code, year, variable...)."""
    return _batch(decl, path, typed_rows(decl, path), millesime)


def typed_rows(decl: Declaration, path: Path) -> pl.DataFrame:
    """The file's rows, typed and checked, with their line (LINE): SourceError otherwise."""
    raw = read_rows(path, sep=decl.separator, encodings=("utf-8", "cp1252"))
    code = decl.territory_column
    fields = [Field(code, "commune" if decl.level == "COM" else "code", nullable=False)]
    if decl.year_column:
        fields.append(Field(decl.year_column, "int", nullable=False))
    fields += [Field(v.name, v.type, secret=decl.secret_markers) for v in decl.variables]  # type: ignore[arg-type]
    typed = parse(raw, fields, path.name)
    keys = [code, decl.year_column] if decl.year_column else [code]
    check_unique(typed, keys, path.name)
    problems = [
        Problem(path.name, "nombre positif ou nul attendu.", int(line), v.name, str(value))
        for v in decl.variables
        for line, value in typed.filter(pl.col(v.name) < 0).select(LINE, v.name).iter_rows()
    ]
    if decl.level == "EPCI":
        bad = typed.filter(~pl.col(code).str.contains(_SIREN.pattern))
        problems += [
            Problem(path.name, "SIREN d'EPCI (9 chiffres) attendu.", int(line), code, str(value))
            for line, value in bad.select(LINE, code).iter_rows()
        ]
    if problems:
        raise SourceError(problems)
    return typed


def _batch(decl: Declaration, path: Path, typed: pl.DataFrame, millesime: int | None) -> Batch:
    code = decl.territory_column
    variables = {v.name: v.name for v in decl.variables}
    if decl.year_column:
        years = sorted(int(y) for y in typed[decl.year_column].unique())
        parts = [
            melt_values(
                typed.filter(pl.col(decl.year_column) == y),
                level=decl.level,
                code=code,
                year=y,
                variables=variables,
            )
            for y in years
        ]
        obs = pl.concat(parts)
        millesime = millesime or years[-1]
    else:
        millesime = require_millesime(millesime, decl.millesime, path.name)
        obs = melt_values(typed, level=decl.level, code=code, year=millesime, variables=variables)
    secret = obs.filter(pl.col("status") == Status.SECRET).height
    return Batch(
        millesime=millesime,
        part=_part(decl, typed[code]),
        geo_vintage=millesime if decl.level == "COM" else None,
        layout=f"déclaration {decl.name}",
        tables={"observations": obs.sort("code", "year", "variable")},
        row_count=typed.height,
        notes=[
            f"source déclarée, convention « {decl.convention} » jusqu'au {decl.end:%d/%m/%Y}",
            f"{secret} valeurs masquées par le producteur",
        ],
    )


def source_info(decl: Declaration) -> SourceInfo:
    return SourceInfo(
        name=decl.name,
        label=decl.label,
        producer=decl.producer,
        url=decl.url,
        licence=f"Données sous convention ({decl.convention}, jusqu'au {decl.end:%d/%m/%Y})",
        description=decl.description,
        read=partial(read, decl),
        published_levels=("EPCI",) if decl.level == "EPCI" else (),
        how_to_obtain=(
            f"Fichier remis par {decl.producer} sous convention ({decl.convention}), "
            f"puis : observatoire import {decl.name} FICHIER.csv"
        ),
    )
