"""An open data release of the cube for a territory (itself, its communes and
sub-territories, its parents) or for France: `donnees.csv` (data.gouv.fr conventions:
UTF-8, `,` separator, `.` decimals), `donnees.parquet` (the same rows), `datapackage.json`
(frictionless Table Schema) and a French `README.md`. Public diffusion only.

Versioned by the cube's build date (`meta.built_at`, written by `observatoire build`),
the only date inside the files: the same cube gives the same bytes (stable sort, one
DuckDB thread for the Parquet writer, no export timestamp)."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from observatoire import figures, sources
from observatoire.figures import PUBLIC
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.releases import readme
from observatoire.releases.rows import COLUMNS, row, source_label, write_csv
from observatoire.releases.summary import Summary
from observatoire.settings import Settings
from observatoire.sql import literal
from observatoire.territories import Level, Territory

CSV_NAME = "donnees.csv"
PARQUET_NAME = "donnees.parquet"
SCHEMA_NAME = "datapackage.json"
README_NAME = "README.md"
# Column types of the CSV, for the Parquet file and the Table Schema.
TYPES = {"annee": "integer", "valeur": "number", "millesime": "integer", "millesime_cog": "integer"}
# What DuckDB may hold while it sorts a release's rows (the Python process around it
# holds ~0.5 GB more: referential, catalog, one batch of rows).
SORT_MEMORY = "512MB"
DUCK_TYPES = {"integer": "INTEGER", "number": "DOUBLE", "string": "VARCHAR"}
DESCRIPTIONS = {
    "code": "code officiel du territoire (INSEE, SIREN de l'EPCI), « FR » pour la France",
    "nom": "nom du territoire",
    "niveau": "échelle : COM, EPCI, DEP, REG, FR",
    "indicateur": "code de l'indicateur (catalogue de l'observatoire)",
    "annee": "année des données (RP 2021 : 2021)",
    "valeur": "valeur ; vide quand elle n'est pas diffusée ou pas calculable (voir statut)",
    "unite": "unité de la valeur",
    "statut": "ok, estimated, secret, missing, unavailable (voir README)",
    "source": "source de la valeur",
    "millesime": "millésime de la source",
    "millesime_cog": "millésime du code officiel géographique des codes de la source",
    "note": "périmètre de la valeur ou raison de son absence",
}


def releases_dir(settings: Settings) -> Path:
    """Where `observatoire publications release` writes by default and the portal's
    release page reads."""
    return settings.data_dir / "publications" / "donnees-ouvertes"


@dataclass(frozen=True)
class Release:
    path: Path
    scope: Territory
    built_at: str
    rows: int


def _meta() -> tuple[str, int]:
    built_at, cog = figures.cube().con.execute("SELECT built_at, cog FROM meta").fetchone() or (
        None,
        None,
    )
    return str(built_at), int(cog)


def version(built_at: str) -> str:
    """2026-12-05T12:30:00+00:00 -> 2026-12-05T123000Z: the release's name in a file name."""
    return re.sub(r"(\d\d):(\d\d):(\d\d)(\+00:00)?$", r"\1\2\3Z", built_at)


def folder_name(scope: Territory, built_at: str) -> str:
    return f"observatoire_{scope.id.replace(':', '-')}_{version(built_at)}"


_BELOW = {
    Level.REG: (Level.DEP, Level.EPCI, Level.COM),
    Level.DEP: (Level.EPCI, Level.COM),
    Level.EPCI: (Level.COM,),
    Level.GRP: (Level.COM,),
}


def territories_of(scope: Territory) -> list[Territory]:
    """The territory, every sub-territory down to its communes and its parents; for
    France, every territory of the cube but the local groupings."""
    ref = figures.referential()
    figures.check(scope)
    if scope.level is Level.FR:
        found = (
            figures.cube()
            .con.execute("SELECT DISTINCT level, code FROM cube WHERE level <> 'GRP'")
            .fetchall()
        )
        return [
            Territory(Level(lv), code)
            for lv, code in found
            if ref.exists(Territory(Level(lv), code))
        ]
    out = {scope, *ref.referents(scope)}
    for level in _BELOW.get(scope.level, ()):
        out.update(ref.children(scope, level))
    return sorted(out, key=lambda t: (t.level.value, t.code))


def public_indicators() -> list[Indicator]:
    return [i for code, i in sorted(catalog().items()) if PUBLIC.can_read(i.diffusion)]


def stream_rows(scope: Territory) -> Iterator[dict[str, Any]]:
    """The public rows of the cube for the territories of `scope`, sorted as the cube is
    (indicator, level, code, year), one at a time."""
    codes = [i.code for i in public_indicators()]
    # A few sources name 8 million rows: each is looked up once.
    label = functools.cache(source_label)
    return (row(v, label) for v in figures.every_series(codes, territories_of(scope)))


def release_rows(scope: Territory) -> list[dict[str, Any]]:
    """`stream_rows` held in a list (small territories only: France is 8 million rows)."""
    return list(stream_rows(scope))


@contextmanager
def _spilling(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB sorts the rows of a release in memory unless told otherwise: 8 million rows
    of France took gigabytes. Under a memory limit it spills the sort to the cube's
    temporary folder (`cube.duckdb.tmp`, removed when done); the limit is lifted after,
    for the next reader of the same connection."""
    con.execute(f"SET memory_limit = {literal(SORT_MEMORY)}")
    try:
        yield
    finally:
        con.execute("RESET memory_limit")


def _parquet(csv_path: Path, target: Path) -> None:
    columns = ", ".join(f"'{c}': '{DUCK_TYPES[TYPES.get(c, 'string')]}'" for c in COLUMNS)
    con = duckdb.connect()
    try:
        # One thread, one row group order: the same CSV gives the same Parquet bytes.
        con.execute("SET threads = 1")
        con.execute("SET preserve_insertion_order = true")
        con.execute(
            f"COPY (SELECT * FROM read_csv({literal(csv_path)}, header = true, delim = ',', "
            f"quote = '\"', escape = '\"', columns = {{{columns}}})) TO {literal(target)} "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
        )
    finally:
        con.close()


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _package(
    scope: Territory, built_at: str, cog: int, folder: Path, licences: list[dict[str, str]]
) -> dict[str, Any]:
    fields = [
        {
            "name": c,
            "type": TYPES.get(c, "string"),
            "description": DESCRIPTIONS[c],
            **(
                {"constraints": {"enum": [str(s) for s in readme.STATUS_ORDER]}}
                if c == "statut"
                else {}
            ),
        }
        for c in COLUMNS
    ]
    schema = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["indicateur", "niveau", "code", "annee"],
    }
    resources = []
    for name, fmt, media in (
        (CSV_NAME, "csv", "text/csv"),
        (PARQUET_NAME, "parquet", "application/vnd.apache.parquet"),
    ):
        path = folder / name
        resource: dict[str, Any] = {
            "name": name.replace(".", "-"),
            "path": name,
            "format": fmt,
            "mediatype": media,
            "bytes": path.stat().st_size,
            "hash": f"sha256:{_digest(path)}",
            "schema": schema,
        }
        if fmt == "csv":
            resource |= {"encoding": "utf-8", "dialect": {"delimiter": ",", "header": True}}
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "title": f"Observatoire de l'habitat : indicateurs, {figures.territory_name(scope)}",
        "created": built_at,
        "version": version(built_at),
        "description": f"Cube d'indicateurs calculé le {built_at}, codes géographiques du COG {cog}.",
        "licenses": licences,
        "resources": resources,
    }


def _licences(summary: Summary) -> list[dict[str, str]]:
    used = summary.sources
    labels = {}
    for name in sources.names():
        info = sources.get(name)
        labels[info.label] = info.licence
    return [{"name": labels.get(label, "non précisée"), "title": label} for label in used]


def write(scope: Territory, out: Path) -> Release:
    """Writes the release of `scope` into a new folder of `out`, named after the cube's
    build date (replaced when it exists: the same cube gives the same files)."""
    built_at, cog = _meta()
    folder = out / folder_name(scope, built_at)
    building = out / f".{folder.name}.tmp"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    summary = Summary()
    with _spilling(figures.cube().con), (building / CSV_NAME).open("wb") as f:
        write_csv(summary.counted(stream_rows(scope)), f, delimiter=",")
    _parquet(building / CSV_NAME, building / PARQUET_NAME)
    licences = _licences(summary)
    package = _package(scope, built_at, cog, building, licences)
    package["name"] = folder.name.lower().replace("_", "-")
    (building / SCHEMA_NAME).write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (building / README_NAME).write_text(
        readme.text(scope, figures.territory_name(scope), built_at, cog, summary),
        encoding="utf-8",
    )
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    return Release(path=folder, scope=scope, built_at=built_at, rows=summary.rows)
