"""Cartofriches across imports: sites treated between two millésimes, and the site list.

Each Cartofriches import is a slice of its own millésime in the warehouse (one file per
source, millésime and part), sites table included: the previous import stays there when
the next one comes, so the status a site had is read back from it.

- A site is "treated" in year N when it is "friche reconvertie" in the import of millésime
  N and was in the previous millésime loaded (N-1, or older when years are missing) with
  any other status (sans projet, avec projet, potentielle, empty). A site that appears
  already reconverted, or without a previous import, is not counted: when it was treated
  is unknown. Observations FRICHES_TRAITEES (sites) and FRICHES_TRAITEES_SURFACE (m²) are
  added for year N to the build's `obs`, per commune of the site in import N; a commune
  with sites but none treated gets 0. The first millésime loaded gets none: nothing to
  compare it with.
- `friches_sites` (the sites of the latest millésime, on the current COG) is copied into
  the cube for the list and the map of a territory's sites (observatoire.figures.friches).
"""

from __future__ import annotations

import duckdb
import polars as pl

from observatoire.sources.cartofriches import RECONVERTIE, surface_observations
from observatoire.status import Status
from observatoire.territories import vintages
from observatoire.territories.referential import COG_YEAR

SOURCE = "cartofriches"
VIEW = "rec_cartofriches_sites"
SITES_TABLE = "friches_sites"
SITE_COLUMNS = (
    "site_id",
    "site_nom",
    "site_type",
    "site_statut",
    "comm_nom",
    "unite_fonciere_surface",
    "longitude",
    "latitude",
)


def _loaded(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [VIEW]
    ).fetchone()
    return bool(row and row[0])


def derive_treated(con: duckdb.DuckDBPyConnection) -> None:
    """Add FRICHES_TRAITEES and FRICHES_TRAITEES_SURFACE to `obs` (see module doc)."""
    if not _loaded(con):
        return
    current = con.execute(
        f"""
        WITH m AS (SELECT DISTINCT millesime FROM {VIEW}),
        pairs AS (
            SELECT m.millesime AS n,
                   (SELECT max(p.millesime) FROM m p WHERE p.millesime < m.millesime) AS p
            FROM m
        )
        SELECT c.millesime, c.geo_vintage, c.imported_at, c.comm_insee AS code,
               c.unite_fonciere_surface,
               coalesce(c.site_statut = '{RECONVERTIE}' AND prev.site_id IS NOT NULL
                        AND coalesce(prev.site_statut, '') <> '{RECONVERTIE}', false)
                   AS treated
        FROM {VIEW} c JOIN pairs ON pairs.n = c.millesime AND pairs.p IS NOT NULL
        LEFT JOIN {VIEW} prev ON prev.millesime = pairs.p AND prev.site_id = c.site_id
        """
    ).pl()
    if not current.height:
        return
    key = ["millesime", "geo_vintage", "imported_at", "code"]
    per_site = current.with_columns(pl.struct(key).alias("_key"))
    counts = per_site.group_by("_key").agg(
        pl.lit("FRICHES_TRAITEES").alias("variable"),
        pl.col("treated").sum().cast(pl.Float64).alias("value"),
        pl.lit(Status.OK).alias("status"),
    )
    surfaces = surface_observations(
        per_site, {"FRICHES_TRAITEES_SURFACE": pl.col("treated")}, index="_key"
    )
    rows = pl.concat([counts, surfaces], how="diagonal_relaxed").unnest("_key")
    con.register("_treated", rows)
    con.execute(
        f"""
        INSERT INTO obs (source, millesime, geo_vintage, imported_at, perimeter, level, code,
                         year, variable, value, status)
        SELECT '{SOURCE}', millesime, geo_vintage, imported_at, NULL, 'COM', code,
               millesime, variable, value, status
        FROM _treated
        """
    )
    con.unregister("_treated")


def copy_sites(con: duckdb.DuckDBPyConnection) -> None:
    """Create `friches_sites` in the build file: the latest millésime's sites, with their
    commune on the current COG (a site follows the main successor of its commune)."""
    if not _loaded(con):
        con.execute(
            f"CREATE TABLE {SITES_TABLE} (millesime INTEGER, commune VARCHAR, "
            "site_id VARCHAR, site_nom VARCHAR, site_type VARCHAR, site_statut VARCHAR, "
            "comm_nom VARCHAR, unite_fonciere_surface DOUBLE, longitude DOUBLE, "
            "latitude DOUBLE)"
        )
        return
    sites = con.execute(
        f"SELECT * FROM {VIEW} WHERE millesime = (SELECT max(millesime) FROM {VIEW})"
    ).pl()
    geo = sites["geo_vintage"].drop_nulls()
    main = vintages.main_successor(int(geo[0]) if geo.len() else COG_YEAR).rename(
        {"old_code": "comm_insee"}
    )
    frame = (
        sites.join(main, on="comm_insee", how="left")
        .select(
            pl.col("millesime").cast(pl.Int32),
            pl.coalesce("new_code", "comm_insee").alias("commune"),
            *SITE_COLUMNS,
        )
        .sort("commune", "site_id")
    )
    con.register("_sites", frame)
    con.execute(f"CREATE TABLE {SITES_TABLE} AS SELECT * FROM _sites")
    con.unregister("_sites")


TREATED_INDICATORS = ("friches_traitees_annee", "friches_traitees_annee_surface")


def single_import_rows(con: duckdb.DuckDBPyConnection, code: str, label: str) -> pl.DataFrame:
    """With one Cartofriches millésime only, the treated sites cannot be counted: each
    territory gets "unavailable" with the reason, instead of "source not loaded". Cube
    columns; empty for other indicators or when nothing (or several millésimes) is loaded."""
    if code not in TREATED_INDICATORS or not _loaded(con):
        return pl.DataFrame()
    row = con.execute(
        f"SELECT max(millesime), max(geo_vintage), count(DISTINCT millesime) FROM {VIEW}"
    ).fetchone()
    if row is None or row[2] != 1:
        return pl.DataFrame()
    millesime, geo = int(row[0]), row[1]
    note = (
        f"un seul import Cartofriches (millésime {millesime}) : les friches traitées se "
        "comptent entre deux imports successifs"
    )
    return con.execute(
        "SELECT ? AS indicator, level, code, ?::INTEGER AS year, NULL::DOUBLE AS value, "
        f"'{Status.UNAVAILABLE}' AS status, '{SOURCE}' AS source, ?::INTEGER AS millesime, "
        "? AS source_detail, ?::INTEGER AS geo_vintage, ? AS note FROM territories",
        [code, millesime, millesime, label, geo, note],
    ).pl()
