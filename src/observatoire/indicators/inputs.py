"""Bring the warehouse into a build connection: observations, records, referential.

Tables created in the build connection:
    communes(commune, dep)             current COG communes
    membership(level, code, commune)   every territory with each of its communes
    territories(level, code, name)
    obs(source, millesime, geo_vintage, imported_at, perimeter, level, code, year, variable,
        value, status)                 all observations, one row per key (newest import wins)
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from observatoire.indicators.catalog import Component, Records
from observatoire.sources.schema import COVERAGE_TABLE
from observatoire.sql import identifier, literal
from observatoire.status import WORST_FIRST, Status
from observatoire.territories import perimeters, vintages
from observatoire.territories.referential import COG_YEAR, Referential
from observatoire.warehouse.store import StoredImport

# A sum of parts is as good as its worst part (same order as COG harmonisation).
WORST_STATUS = (
    "CASE "
    + " ".join(f"WHEN bool_or({{s}} = '{st}') THEN '{st}'" for st in WORST_FIRST[:-1])
    + f" ELSE '{WORST_FIRST[-1]}' END"
)


DROM = ("971", "972", "973", "974", "976")


def out_list(outside: tuple[str, ...]) -> str:
    """Départements a France total may leave out when the source does not cover them:
    the DROM, plus those the producer never covers (DVF: Alsace-Moselle, livre foncier)."""
    return ", ".join(literal(d) for d in sorted({*DROM, *outside}))


def load_referential(con: duckdb.DuckDBPyConnection, ref: Referential) -> None:
    communes = pl.DataFrame(
        {"commune": list(ref.commune_dep), "dep": list(ref.commune_dep.values())}
    )
    for name, frame in (
        ("communes", communes),
        ("membership", ref.membership()),
        ("territories", ref.territories()),
    ):
        con.register("_f", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _f")
        con.unregister("_f")


def _has_row_geo(con: duckdb.DuckDBPyConnection, alias: str) -> bool:
    """Whether a slice's observations carry their own COG year on some rows."""
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE database_name = ? "
            "AND table_name = 'observations' AND column_name = 'geo_vintage'",
            [alias],
        ).fetchone()[0]  # type: ignore[index]
    )


def attach(con: duckdb.DuckDBPyConnection, imports: Sequence[StoredImport]) -> None:
    """Attach every slice read-only and union their observations and records."""
    obs_parts: list[str] = []
    record_parts: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for i, imp in enumerate(imports):
        alias = f"w{i}"
        con.execute(f"ATTACH {literal(imp.path)} AS {alias} (READ_ONLY)")
        prov = imp.provenance
        geo = f"{prov.get('geo_vintage') or 'NULL'}::INTEGER"
        meta = (
            f"{literal(imp.source)} AS source, {int(imp.millesime)} AS millesime, "
            f"{geo} AS geo_vintage, "
            f"{literal(str(prov.get('imported_at')))} AS imported_at, "
            f"nullif({literal(str(prov.get('perimeter') or ''))}, '') AS perimeter"
        )
        if "observations" in imp.tables:
            row_geo = f"coalesce(o.geo_vintage, {geo})" if _has_row_geo(con, alias) else geo
            obs_meta = meta.replace(f"{geo} AS geo_vintage", f"{row_geo} AS geo_vintage")
            obs_parts.append(
                f"SELECT {obs_meta}, level, code, year, variable, value, status "
                f"FROM {alias}.observations o"
            )
        for table in imp.tables:
            if table != "observations":
                record_parts.setdefault((imp.source, table), []).append((alias, meta))
    if obs_parts:
        con.execute(
            "CREATE TABLE obs AS SELECT * FROM (" + " UNION ALL ".join(obs_parts) + ") "
            "QUALIFY row_number() OVER (PARTITION BY source, level, code, year, variable "
            "ORDER BY millesime DESC, imported_at DESC) = 1"
        )
    else:
        con.execute(
            "CREATE TABLE obs (source VARCHAR, millesime INTEGER, geo_vintage INTEGER, "
            "imported_at VARCHAR, perimeter VARCHAR, level VARCHAR, code VARCHAR, year INTEGER, "
            "variable VARCHAR, value DOUBLE, status VARCHAR)"
        )
    for (source, table), parts in record_parts.items():
        union = " UNION ALL ".join(
            f"SELECT {meta}, * FROM {alias}.{identifier(table)}" for alias, meta in parts
        )
        con.execute(f"CREATE VIEW {identifier(f'rec_{source}_{table}')} AS {union}")


def unknown_record_codes(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Records whose commune code is unknown to the COG of their file: they cannot be
    placed on a territory and are left out; the build says how many."""
    views = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'rec_%' "
            "AND table_name NOT LIKE '%_cog'"
        ).fetchall()
        # The coverage table repeats the communes of the records (and of rows not kept).
        if not r[0].endswith(f"_{COVERAGE_TABLE}")
    ]
    out = {}
    for name in views:
        if "code_commune" not in [
            c[0] for c in con.execute(f"DESCRIBE {identifier(name)}").fetchall()
        ]:
            continue
        gvs = [
            int(r[0])
            for r in con.execute(
                f"SELECT DISTINCT coalesce(geo_vintage, {COG_YEAR}) FROM {identifier(name)}"
            ).fetchall()
        ]
        _passage(con, gvs)
        row = con.execute(
            f"""SELECT count(*) FROM {identifier(name)} r WHERE NOT EXISTS (
                SELECT 1 FROM passage p WHERE p.geo_vintage = coalesce(r.geo_vintage, {COG_YEAR})
                AND p.old_code = r.code_commune)"""
        ).fetchone()
        if row and row[0]:
            out[name.removeprefix("rec_")] = int(row[0])
    return out


def _passage(con: duckdb.DuckDBPyConnection, geo_vintages: list[int]) -> None:
    frames = [
        vintages.passage(gv).with_columns(pl.lit(gv, dtype=pl.Int32).alias("geo_vintage"))
        for gv in geo_vintages
    ]
    con.execute("DROP TABLE IF EXISTS passage")
    if frames:
        con.register("_p", pl.concat(frames))
        con.execute("CREATE TABLE passage AS SELECT * FROM _p")
        con.unregister("_p")


def commune_component(
    con: duckdb.DuckDBPyConnection, comp: Component, *, additive: bool
) -> pl.DataFrame:
    """Commune rows of a component on the current COG: year, commune, value, status,
    millesime, geo_vintage. Several variables are summed."""
    raw = raw_commune_component(con, comp)
    return harmonise(raw, additive=additive)


def raw_commune_component(con: duckdb.DuckDBPyConnection, comp: Component) -> pl.DataFrame:
    variables = ", ".join(literal(v) for v in comp.variables)
    n = len(comp.variables)
    return con.execute(
        f"""
        SELECT year, code, coalesce(geo_vintage, {COG_YEAR}) AS geo_vintage,
               max(millesime) AS millesime,
               CASE WHEN count(value) = {n} THEN sum(value) END AS value,
               CASE WHEN count(*) < {n} THEN 'missing'
                    ELSE {WORST_STATUS.format(s="status")} END AS status
        FROM obs WHERE source = ? AND level = 'COM' AND variable IN ({variables})
        GROUP BY ALL
        """,
        [comp.source],
    ).pl()


def harmonise(raw: pl.DataFrame, *, additive: bool, absent: str = "zero") -> pl.DataFrame:
    """Older-COG commune codes -> COG 2026 (merged communes add up, split ones are
    apportioned by population and marked estimated; see territories.vintages). `absent`:
    what a commune missing from the file means; unless "zero", a commune nouvelle missing
    one of its former communes is not a sum (it gets that status)."""
    parts = []
    for (gv,), group in raw.group_by("geo_vintage"):
        done = vintages.harmonise(
            group.drop("geo_vintage"),
            int(gv),
            additive=additive,
            absent=None if absent == "zero" else absent,
        )
        parts.append(done)
    if not parts:
        return pl.DataFrame(
            schema={
                "year": pl.Int32,
                "commune": pl.Utf8,
                "millesime": pl.Int32,
                "value": pl.Float64,
                "status": pl.Utf8,
                "geo_vintage": pl.Int32,
            }
        )
    out = pl.concat(parts, how="diagonal_relaxed").rename({"code": "commune"})
    return out.select("year", "commune", "millesime", "value", "status", "geo_vintage")


def supra_component(con: duckdb.DuckDBPyConnection, comp: Component) -> pl.DataFrame:
    """Values the producer publishes above the commune (level, code, year, value, status,
    millesime, geo_vintage, note). An EPCI whose perimeter in the file's geography differs
    from today's (territories.perimeters) gets no value: "unavailable", with a note."""
    variables = ", ".join(literal(v) for v in comp.variables)
    n = len(comp.variables)
    supra = con.execute(
        f"""
        SELECT level, code, year, max(millesime) AS millesime,
               max(geo_vintage) AS geo_vintage, max(perimeter) AS perimeter,
               CASE WHEN count(value) = {n} THEN sum(value) END AS value,
               CASE WHEN count(*) < {n} THEN 'missing'
                    ELSE {WORST_STATUS.format(s="status")} END AS status,
               NULL::VARCHAR AS note
        FROM obs WHERE source = ? AND level <> 'COM' AND variable IN ({variables})
        GROUP BY ALL
        """,
        [comp.source],
    ).pl()
    return _other_perimeters_withheld(supra)


def _other_perimeters_withheld(supra: pl.DataFrame) -> pl.DataFrame:
    gvs = supra.filter(pl.col("level") == "EPCI")["geo_vintage"].unique().drop_nulls().to_list()
    changed = pl.DataFrame(
        [(code, gv) for gv in gvs for code in perimeters.changed_epci(int(gv))],
        schema={"code": pl.Utf8, "geo_vintage": pl.Int32},
        orient="row",
    )
    if not changed.height:
        return supra
    other = (
        pl.col("_other").is_not_null()
        & (pl.col("level") == "EPCI")
        & (pl.col("status") != Status.MISSING)
    )
    note = pl.format(
        "valeur publiée par le producteur pour le périmètre de l'EPCI de {} (géographie du "
        "fichier), différent du périmètre actuel : non reprise",
        pl.col("geo_vintage"),
    )
    return (
        supra.with_columns(pl.col("geo_vintage").cast(pl.Int32))
        .join(
            changed.with_columns(pl.lit(True).alias("_other")),
            on=["code", "geo_vintage"],
            how="left",
        )
        .with_columns(
            pl.when(other).then(None).otherwise(pl.col("value")).alias("value"),
            pl.when(other)
            .then(pl.lit(Status.UNAVAILABLE))
            .otherwise(pl.col("status"))
            .alias("status"),
            pl.when(other).then(note).otherwise(pl.col("note")).alias("note"),
        )
        .drop("_other")
    )


def provenance_by_year(*frames: pl.DataFrame) -> pl.DataFrame:
    """year, millesime, geo_vintage of the files read for each year: what a value the files
    imply without a row of their own (an absent commune, a zero total) was read from."""
    parts = [
        f.select(
            pl.col("year").cast(pl.Int32),
            pl.col("millesime").cast(pl.Int32),
            pl.col("geo_vintage").cast(pl.Int32),
        )
        for f in frames
        if f.height
    ]
    if not parts:
        return pl.DataFrame(
            schema={"year": pl.Int32, "millesime": pl.Int32, "geo_vintage": pl.Int32}
        )
    return (
        pl.concat(parts)
        .group_by("year")
        .agg(pl.col("millesime").max(), pl.col("geo_vintage").max())
        .sort("year")
    )


def coverage_view(con: duckdb.DuckDBPyConnection, rec: Records) -> str | None:
    """View of the communes the records' files cover (year, commune, dep_complet) on the
    current COG, or None when the source stores no coverage table (then only communes
    with a record are covered)."""
    return records_view(con, Records(rec.source, COVERAGE_TABLE))


def records_view(con: duckdb.DuckDBPyConnection, rec: Records) -> str | None:
    """Name of a view of the records on the current COG, or None if none were imported."""
    name = f"rec_{rec.source}_{rec.table}"
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    if not exists or not exists[0]:
        return None
    gvs = [
        int(r[0])
        for r in con.execute(
            f"SELECT DISTINCT coalesce(geo_vintage, {COG_YEAR}) FROM {identifier(name)}"
        ).fetchall()
    ]
    _passage(con, gvs)
    # A record (one sale) cannot be split: it follows the main successor of its commune.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW {identifier(f"{name}_cog")} AS
        SELECT r.*, p.new_code AS commune, p.estimated AS estimated_code
        FROM {identifier(name)} r
        JOIN (SELECT * FROM passage
              QUALIFY row_number() OVER (PARTITION BY geo_vintage, old_code
                                         ORDER BY weight DESC, new_code) = 1) p
          ON p.geo_vintage = coalesce(r.geo_vintage, {COG_YEAR}) AND p.old_code = r.code_commune
        """
    )
    return f"{name}_cog"
