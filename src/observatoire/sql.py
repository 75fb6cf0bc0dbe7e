"""Quoting for the few places where DuckDB takes no bound parameter.

Values go to DuckDB as bound parameters (`read_csv($path)`, `WHERE source = ?`). Where its
grammar takes none (ATTACH paths, table and view names, constants spliced into a SELECT
list), text goes through these two functions and nowhere else: a data dir such as
/srv/l'observatoire/var must not break a statement."""

from __future__ import annotations

from pathlib import Path


def literal(text: str | Path) -> str:
    """A single-quoted SQL string literal: 'l''observatoire'."""
    return "'" + str(text).replace("'", "''") + "'"


def identifier(name: str) -> str:
    """A double-quoted SQL identifier (table, view, alias): "rec_dvf_ventes"."""
    return '"' + name.replace('"', '""') + '"'
