"""Build the indicator cube: every indicator x every level x every year.

The cube is written to a new DuckDB file and renamed over `cube.duckdb` at the end, so a
reader (the portal, `observatoire value`) never sees a half-built cube.

Tables of the cube file:
    cube(indicator, level, code, year, value, status, source, millesime, source_detail,
         geo_vintage, note)
    territories(level, code, name), indicators(code, json), imports(provenance...), meta
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import polars as pl

from observatoire import sources
from observatoire.errors import UserError
from observatoire.indicators import audit, etablissements, friches, secrecy
from observatoire.indicators.aggregate import evaluate
from observatoire.indicators.catalog import Indicator, Recipe, catalog
from observatoire.indicators.inputs import attach, load_referential, unknown_record_codes
from observatoire.settings import Settings
from observatoire.sql import literal
from observatoire.status import VISIBLE, Status
from observatoire.territories.groupings import load_groupings
from observatoire.territories.referential import COG_YEAR, Referential, national
from observatoire.warehouse.store import list_imports, promote, remove_stale, staging

CUBE_COLUMNS = [
    "indicator",
    "level",
    "code",
    "year",
    "value",
    "status",
    "source",
    "millesime",
    "source_detail",
    "geo_vintage",
    "note",
]


@dataclass
class BuildSummary:
    rows: int = 0
    imports: int = 0
    by_indicator: dict[str, dict[str, object]] = field(default_factory=dict)
    not_loaded: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _detail(indicator: Indicator, recipe: Recipe, settings: Settings | None) -> str:
    names = []
    for src in recipe.sources:
        names.append(sources.get(src, settings).label)
    return " ; ".join(names)


def candidates(
    con: duckdb.DuckDBPyConnection, indicator: Indicator, settings: Settings | None = None
) -> pl.DataFrame:
    """Each territory and year's value before complementary secrecy: the first recipe
    with a usable value wins, primary thresholds applied (the truth the audit protects)."""
    parts = []
    for rank, recipe in enumerate(indicator.recipes):
        rows = evaluate(con, indicator, recipe)
        if rows.height:
            rows = secrecy.primary(rows, indicator.secrecy)
            parts.append(
                rows.with_columns(
                    pl.lit(rank).alias("_rank"),
                    pl.lit(recipe.sources[0]).alias("source"),
                    pl.lit(_detail(indicator, recipe, settings)).alias("source_detail"),
                )
            )
    if not parts:
        return pl.DataFrame()
    allrows = pl.concat(parts, how="diagonal_relaxed")
    usable = pl.col("status").is_in([*VISIBLE, Status.SECRET])
    chosen = (
        allrows.with_columns((~usable).cast(pl.Int8).alias("_unusable"))
        .sort("_unusable", "_rank")
        .group_by("level", "code", "year", maintain_order=True)
        .first()
    )
    return chosen


def _indicator_rows(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    membership: pl.DataFrame,
    settings: Settings | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The cube rows of an indicator, and the truth behind them (for the audit)."""
    truth = candidates(con, indicator, settings)
    if not truth.height:
        return truth, truth
    # Complementary secrecy on the values as published, whichever recipe gave them.
    chosen = secrecy.apply(
        truth, indicator.secrecy, membership, outside_of(indicator), indicator.code
    )
    den = pl.col("millesime_den")
    detail = (
        pl.when(den.is_not_null() & (den != pl.col("millesime")))
        .then(
            pl.col("source_detail")
            + pl.lit(" (dénominateur : millésime ")
            + den.cast(pl.Utf8)
            + pl.lit(")")
        )
        .otherwise(pl.col("source_detail"))
    )
    rows = chosen.select(
        pl.lit(indicator.code).alias("indicator"),
        "level",
        "code",
        pl.col("year").cast(pl.Int32),
        "value",
        "status",
        "source",
        pl.col("millesime").cast(pl.Int32),
        detail.alias("source_detail"),
        pl.col("geo_vintage").cast(pl.Int32),
        "note",
    )
    return rows, truth


def outside_of(indicator: Indicator) -> tuple[str, ...]:
    return tuple(sorted({d for r in indicator.recipes for d in r.outside}))


def refuse_non_finite(cube: pl.DataFrame) -> None:
    """Last guard: a NaN or an infinity (a slice stored before the readers refused them)
    would be shown as "nan €/m²" and break the JSON of the API and the map."""
    value = pl.col("value").cast(pl.Float64, strict=False)
    bad = cube.filter(value.is_not_null() & ~value.is_finite())
    if bad.height:
        row = bad.row(0, named=True)
        raise UserError(
            f"cube non construit : {bad.height} valeur(s) non finie(s) (NaN ou infini), dont "
            f"{row['indicator']} de {row['level']}:{row['code']} en {row['year']} (source "
            f"{row['source']}, millésime {row['millesime']}). Réimportez ce fichier : le cube "
            "en place est conservé."
        )


def referential_for(settings: Settings) -> Referential:
    """The national referential plus the groupings declared in this data dir."""
    path = settings.groupings_path
    groupings = load_groupings(path) if path.exists() else []
    return national().with_groupings(groupings)


def build(
    settings: Settings,
    referential: Referential | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildSummary:
    ref = referential or referential_for(settings)
    # Imports stage in the warehouse: what a killed one left goes too (staging() below
    # cleans the build's own area).
    remove_stale(settings.warehouse_dir)
    imports = list_imports(settings.warehouse_dir)
    summary = BuildSummary(imports=len(imports))
    membership = ref.membership()
    with staging(settings.data_dir) as (con, tmp):
        load_referential(con, ref)
        attach(con, imports)
        friches.derive_treated(con)
        for table, n in unknown_record_codes(con).items():
            summary.warnings.append(
                f"{n} enregistrement(s) de {table} sur un code commune inconnu du COG de leur "
                "fichier : écartés."
            )
        frames = []
        indicators_built = catalog(settings)
        for code, indicator in indicators_built.items():
            if progress:
                progress(code)
            rows, truth = _indicator_rows(con, indicator, membership, settings)
            if not rows.height:
                rows = truth = friches.single_import_rows(
                    con, code, sources.get("cartofriches").label
                )
            if not rows.height:
                summary.not_loaded.append(code)
                continue
            # The attack is run on what will be published, before the cube is swapped in.
            exposed = audit.check(indicator, truth, rows, membership, outside_of(indicator))
            if exposed:
                raise audit.DisclosureError(exposed)
            frames.append(rows)
            summary.by_indicator[code] = {
                "years": sorted(set(rows["year"].to_list())),
                "ok": rows.filter(pl.col("status") == Status.OK).height,
            }
        cube = (
            pl.concat(frames, how="diagonal_relaxed").select(CUBE_COLUMNS)
            if frames
            else pl.DataFrame(schema={c: pl.Utf8 for c in CUBE_COLUMNS})
        )
        refuse_non_finite(cube)
        friches.copy_sites(con)
        etablissements.copy_etablissements(con)
        for i in range(len(imports)):
            con.execute(f"DETACH w{i}")
        con.register("_cube", cube)
        con.execute(
            "CREATE TABLE cube AS SELECT * FROM _cube ORDER BY indicator, level, code, year"
        )
        con.unregister("_cube")
        con.execute("CREATE INDEX cube_key ON cube (indicator, level, code)")
        con.execute("DROP TABLE membership")
        indicators = pl.DataFrame(
            {
                "code": list(indicators_built),
                "json": [
                    json.dumps(i.as_dict(), ensure_ascii=False) for i in indicators_built.values()
                ],
            }
        )
        con.register("_ind", indicators)
        con.execute("CREATE TABLE indicators AS SELECT * FROM _ind")
        prov = (
            pl.DataFrame([{k: str(v) for k, v in i.provenance.items()} for i in imports])
            if imports
            else None
        )
        if prov is not None:
            con.register("_prov", prov)
            con.execute("CREATE TABLE imports AS SELECT * FROM _prov")
        con.execute(
            "CREATE TABLE meta AS SELECT ? AS built_at, ? AS cog",
            [datetime.now(UTC).replace(microsecond=0).isoformat(), COG_YEAR],
        )
        summary.rows = cube.height
        promote(con, tmp, settings.cube_path)
    return summary


def check_secrecy(
    settings: Settings, referential: Referential | None = None
) -> list[audit.YearAudit]:
    """The attack run on the cube in place, against the truth recomputed from the
    warehouse: one line per secrecy-bound indicator and year."""
    ref = referential or referential_for(settings)
    membership = ref.membership()
    out: list[audit.YearAudit] = []
    cube_file = settings.cube_path
    with staging(settings.data_dir) as (con, _tmp):
        load_referential(con, ref)
        attach(con, list_imports(settings.warehouse_dir))
        friches.derive_treated(con)
        con.execute(f"ATTACH {literal(str(cube_file))} AS published (READ_ONLY)")
        for code, indicator in catalog(settings).items():
            if not indicator.secrecy.secondary:
                continue
            truth = candidates(con, indicator, settings)
            published = con.execute(
                "SELECT level, code, year, status FROM published.cube WHERE indicator = ?",
                [code],
            ).pl()
            out += audit.audit_years(indicator, truth, published, membership, outside_of(indicator))
    return out
