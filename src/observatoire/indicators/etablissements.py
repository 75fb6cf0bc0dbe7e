"""FINESS établissements d'hébergement copied into the cube for the map and the list of a
territory's établissements (observatoire.figures.etablissements).

The warehouse keeps one `etablissements` table per FINESS import (sources/finess.py); the
cube gets those of the latest millésime, each on its commune of the current COG (an
établissement follows the main successor of its commune, as a Cartofriches site does)."""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire.territories import vintages
from observatoire.territories.referential import COG_YEAR

VIEW = "rec_finess_etablissements"
TABLE = "finess_etablissements"
COLUMNS = {
    "millesime": "INTEGER",
    "commune": "VARCHAR",
    "nofinesset": "VARCHAR",
    "rs": "VARCHAR",
    "categetab": "VARCHAR",
    "libcategetab": "VARCHAR",
    "type": "VARCHAR",
    "places": "DOUBLE",
    "longitude": "DOUBLE",
    "latitude": "DOUBLE",
}


def copy_etablissements(con: duckdb.DuckDBPyConnection) -> None:
    """Create `finess_etablissements` in the build file (empty when FINESS is not loaded)."""
    con.execute(
        f"CREATE TABLE {TABLE} ("
        + ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
        + ")"
    )
    loaded = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [VIEW]
    ).fetchone()
    if not (loaded and loaded[0]):
        return
    rows = con.execute(
        f"SELECT * FROM {VIEW} WHERE millesime = (SELECT max(millesime) FROM {VIEW})"
    ).pl()
    for missing in {"places", "longitude", "latitude"} - set(rows.columns):
        # An import made before the places or the WGS84 points were read.
        rows = rows.with_columns(pl.lit(None, dtype=pl.Float64).alias(missing))
    geo = rows["geo_vintage"].drop_nulls()
    year = min(int(geo[0]), COG_YEAR) if geo.len() else COG_YEAR
    main = vintages.main_successor(year).rename({"old_code": "code_commune"})
    frame = (
        rows.join(main, on="code_commune", how="left")
        .with_columns(
            pl.col("millesime").cast(pl.Int32),
            pl.coalesce("new_code", "code_commune").alias("commune"),
            pl.col("places").cast(pl.Float64),
        )
        .select(list(COLUMNS))
        .sort("commune", "rs", "nofinesset")
    )
    con.register("_etabs", frame)
    con.execute(f"INSERT INTO {TABLE} SELECT * FROM _etabs")
    con.unregister("_etabs")
