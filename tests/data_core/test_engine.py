"""Aggregation rules of the indicator engine on real slices and generated values."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from observatoire.indicators import catalog as cat
from observatoire.indicators.aggregate import evaluate
from observatoire.indicators.cube import build
from observatoire.indicators.inputs import load_referential
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.territories import Territory
from observatoire.territories.referential import national
from observatoire.warehouse.imports import import_file

RP = "insee_rp_logement/base-cc-logement-2021-extrait.csv"
LENS = "246200364"
REF = national()


@pytest.fixture
def rp_cube(settings: Settings, fixtures: Path) -> Settings:
    import_file(settings, "insee_rp_logement", fixtures / RP)
    build(settings)
    return settings


def test_epci_ratio_is_a_ratio_of_sums(rp_cube: Settings, fixtures: Path) -> None:
    raw = pl.read_csv(fixtures / RP, separator=";", schema_overrides={"CODGEO": pl.Utf8})
    raw = raw.with_columns(pl.col("CODGEO").str.zfill(5))
    lens = raw.filter(pl.col("CODGEO").is_in(list(REF.epci_members[LENS])))
    assert lens.height == 36
    expected = 100 * lens["P21_LOGVAC"].sum() / lens["P21_LOG"].sum()
    mean_of_rates = (100 * lens["P21_LOGVAC"] / lens["P21_LOG"]).mean()
    with Cube(rp_cube, REF) as cube:
        v = cube.value("taux_vacance", Territory.parse(f"EPCI:{LENS}"))
        total = cube.value("log_total", Territory.parse(f"EPCI:{LENS}"))
    assert v.status == "ok" and v.year == 2021
    assert v.value == pytest.approx(expected)
    assert v.value != pytest.approx(mean_of_rates)
    assert total.value == pytest.approx(lens["P21_LOG"].sum())


def test_parent_with_unknown_communes_is_unavailable_not_partial(rp_cube: Settings) -> None:
    # The slice holds a few communes of Pas-de-Calais only: no partial département total.
    with Cube(rp_cube, REF) as cube:
        dep = cube.value("log_total", Territory.parse("DEP:62"))
        fr = cube.value("taux_vacance", Territory.parse("FR"))
        absent = cube.value("log_total", Territory.parse("COM:62193"))
    assert (dep.status, dep.value) == ("unavailable", None)
    assert (fr.status, fr.value) == ("unavailable", None)
    assert absent.status == "missing" and absent.value is None


def test_published_median_is_never_derived_from_communes(rp_cube: Settings) -> None:
    with Cube(rp_cube, REF) as cube:
        v = cube.value("revenu_median", Territory.parse(f"EPCI:{LENS}"))
    assert v.value is None and v.status == "missing"  # Filosofi not loaded at all


# ------------------------------------------------------------------ properties


@pytest.fixture(scope="module")
def engine() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_referential(con, REF)
    return con


def _load_obs(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> None:
    con.execute("DROP TABLE IF EXISTS obs")
    con.register("_o", rows)
    con.execute("CREATE TABLE obs AS SELECT * FROM _o")
    con.unregister("_o")


def _obs(codes: list[str], variable: str, values: list[float]) -> pl.DataFrame:
    n = len(codes)
    return pl.DataFrame(
        {
            "source": ["insee_rp_logement"] * n,
            "millesime": [2021] * n,
            "geo_vintage": [2026] * n,
            "imported_at": ["2026-01-01"] * n,
            "perimeter": [None] * n,
            "level": ["COM"] * n,
            "code": codes,
            "year": [2021] * n,
            "variable": [variable] * n,
            "value": values,
            "status": ["ok"] * n,
        },
        schema_overrides={
            "millesime": pl.Int32,
            "geo_vintage": pl.Int32,
            "year": pl.Int32,
            "perimeter": pl.Utf8,
        },
    )


# Département 46 (Lot) and the EPCI crossing its border (CC Grand-Figeac, CC Ouest Aveyron).
LOT = sorted(c for c, d in REF.commune_dep.items() if d == "46")
CROSS = sorted(
    {
        REF.commune_epci[c]
        for c in LOT
        if any(REF.commune_dep[m] != "46" for m in REF.epci_members[REF.commune_epci[c]])
    }
)
EXTRA = sorted({m for e in CROSS for m in REF.epci_members[e]} - set(LOT))


@hsettings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.integers(0, 5000), min_size=len(LOT) + len(EXTRA), max_size=len(LOT) + len(EXTRA)),
    st.lists(st.integers(1, 5000), min_size=len(LOT) + len(EXTRA), max_size=len(LOT) + len(EXTRA)),
)
def test_sums_and_ratios_at_every_level(
    engine: duckdb.DuckDBPyConnection, vac: list[int], extra: list[int]
) -> None:
    codes = LOT + EXTRA
    log = [v + e for v, e in zip(vac, extra, strict=True)]
    _load_obs(
        engine,
        pl.concat(
            [
                _obs(codes, "LOGVAC", [float(v) for v in vac]),
                _obs(codes, "LOG", [float(v) for v in log]),
            ]
        ),
    )
    by_code = dict(zip(codes, zip(vac, log, strict=True), strict=True))
    total = evaluate(engine, cat.get("log_vacants"), cat.get("log_vacants").recipes[0])
    rate = evaluate(engine, cat.get("taux_vacance"), cat.get("taux_vacance").recipes[0])
    t = {(r["level"], r["code"]): r for r in total.iter_rows(named=True)}
    r = {(x["level"], x["code"]): x for x in rate.iter_rows(named=True)}
    # Département = its communes, whatever their EPCI.
    assert t[("DEP", "46")]["value"] == sum(by_code[c][0] for c in LOT)
    assert r[("DEP", "46")]["value"] == pytest.approx(
        100 * sum(by_code[c][0] for c in LOT) / sum(by_code[c][1] for c in LOT)
    )
    for epci in CROSS:
        members = REF.epci_members[epci]
        assert t[("EPCI", epci)]["value"] == sum(by_code[c][0] for c in members)
        assert r[("EPCI", epci)]["value"] == pytest.approx(
            100 * sum(by_code[c][0] for c in members) / sum(by_code[c][1] for c in members)
        )
    # The neighbouring départements are only partly covered: unavailable, not partial.
    for dep in {REF.commune_dep[c] for c in EXTRA}:
        assert t[("DEP", dep)]["status"] == "unavailable"


def _population(codes: list[str], year: int, values: list[int]) -> pl.DataFrame:
    return _obs(codes, "PMUN", [float(v) for v in values]).with_columns(
        pl.lit("populations_legales").alias("source"),
        pl.lit(year, dtype=pl.Int32).alias("millesime"),
        pl.lit(year, dtype=pl.Int32).alias("year"),
    )


@hsettings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.integers(1, 5000), min_size=len(LOT) + len(EXTRA), max_size=len(LOT) + len(EXTRA)),
    st.lists(st.integers(1, 5000), min_size=len(LOT) + len(EXTRA), max_size=len(LOT) + len(EXTRA)),
)
def test_growth_is_the_rate_of_summed_populations_at_every_level(
    engine: duckdb.DuckDBPyConnection, before: list[int], after: list[int]
) -> None:
    codes = LOT + EXTRA
    _load_obs(
        engine, pl.concat([_population(codes, 2021, before), _population(codes, 2023, after)])
    )
    indicator = cat.get("population_evolution_annuelle")
    out = evaluate(engine, indicator, indicator.recipes[0])
    rows = {(x["level"], x["code"], x["year"]): x for x in out.iter_rows(named=True)}
    p21 = dict(zip(codes, before, strict=True))
    p23 = dict(zip(codes, after, strict=True))

    def expected(members: list[str]) -> float:
        return 100 * ((sum(p23[c] for c in members) / sum(p21[c] for c in members)) ** 0.5 - 1)

    assert rows[("DEP", "46", 2023)]["value"] == pytest.approx(expected(LOT))
    assert rows[("COM", LOT[0], 2023)]["value"] == pytest.approx(expected([LOT[0]]))
    for epci in CROSS:
        assert rows[("EPCI", epci, 2023)]["value"] == pytest.approx(
            expected(REF.epci_members[epci])
        )
    for dep in {REF.commune_dep[c] for c in EXTRA}:
        assert rows[("DEP", dep, 2023)]["status"] == "unavailable"
    assert ("DEP", "46", 2021) not in rows  # no interval ends in the first year


def test_cli_value_json(rp_cube: Settings) -> None:
    from click.testing import CliRunner

    from observatoire.cli import main

    runner = CliRunner()
    args = [
        "--data-dir",
        str(rp_cube.data_dir),
        "value",
        "taux_vacance",
        "COM:62498",
        "--format",
        "json",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["indicator"] == "taux_vacance"
    assert data["territory"] == {"level": "COM", "code": "62498", "name": "Lens"}
    assert data["year"] == 2021 and data["status"] == "ok" and data["unit"] == "%"
    assert data["value"] == pytest.approx(100 * 1972.552878 / 17684.91326, rel=1e-6)
    assert data["source"]["millesime"] == 2021 and "recensement" in data["source"]["name"].lower()
    unknown = runner.invoke(
        main, ["--data-dir", str(rp_cube.data_dir), "value", "taux_inconnu", "COM:62498"]
    )
    assert unknown.exit_code == 2 and "inconnu" in unknown.output
    bad = runner.invoke(
        main, ["--data-dir", str(rp_cube.data_dir), "value", "taux_vacance", "COM:99999"]
    )
    assert bad.exit_code == 2 and "absent du référentiel" in bad.output


def test_published_supra_value_is_used_as_published(
    settings: Settings, fixtures: Path, tmp_path: Path
) -> None:
    """A Filosofi EPCI file gives the EPCI median; it is never derived from communes.

    No real EPCI file is available here: the Lens row of the real commune file is relabelled
    with the EPCI code (values are then a commune's, which is all this test needs)."""
    com = fixtures / "filosofi/FILO2019_DISP_COM-extrait.csv"
    import_file(settings, "filosofi", com)
    lines = com.read_text(encoding="utf-8-sig").splitlines()
    lens = next(line for line in lines if line.startswith("62498;"))
    epci = tmp_path / "FILO2019_DISP_EPCI.csv"
    epci.write_text(
        "\ufeff"
        + lines[0]
        + "\r\n"
        + lens.replace("62498;Lens", f"{LENS};CA de Lens - Liévin")
        + "\r\n",
        encoding="utf-8",
    )
    import_file(settings, "filosofi", epci)
    build(settings)
    with Cube(settings, REF) as cube:
        v = cube.value("revenu_median", Territory.parse(f"EPCI:{LENS}"), 2019)
        dep = cube.value("revenu_median", Territory.parse("DEP:62"), 2019)
        com_v = cube.value("revenu_median", Territory.parse("COM:62510"), 2019)
    assert (v.value, v.status) == (16310, "ok")
    assert (dep.value, dep.status) == (None, "unavailable")
    assert com_v.value == 16740
