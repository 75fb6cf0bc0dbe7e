"""The one quoting helper for text DuckDB takes no bound parameter for."""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatoire.sql import identifier, literal


def test_quotes_survive_a_round_trip_through_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "l'observatoire de l'habitat" / 'slice "2024".duckdb'
    path.parent.mkdir()
    duckdb.connect(str(path)).close()
    con = duckdb.connect()
    con.execute(f"ATTACH {literal(path)} AS w0 (READ_ONLY)")
    table = identifier("""rec_l'x_"y\"""")
    value = literal("d'Arras")
    con.execute(f"CREATE TABLE {table} AS SELECT {value} AS v")
    assert con.execute(f"SELECT v FROM {table}").fetchone() == ("d'Arras",)
    assert con.execute("SELECT table_name FROM information_schema.tables").fetchall() == [
        ("""rec_l'x_"y\"""",)
    ]
