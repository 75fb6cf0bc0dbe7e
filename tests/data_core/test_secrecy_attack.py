"""The attacks of issue #10, replayed against cubes built from the real national DVF
commune aggregates of 2023 (the demo's file): an attacker holding every published mean
price and every public sale count must not pin down a masked mean price.

The attacker here is written independently of indicators/disclosure.py: it reads only
what the cube publishes (Cube API) and solves its own linear programme with scipy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

from observatoire.indicators.cube import build, check_secrecy, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import get
from observatoire.territories import Level, Territory
from observatoire.territories.groupings import load_groupings, save_groupings
from observatoire.territories.referential import national
from observatoire.warehouse.imports import import_file

DEMO_DVF = Path(__file__).parents[2] / "src/observatoire/data/demo/dvf_communes"
YEARS = (2022, 2023, 2024)
PRICE, SALES = "dvf_prix_m2_moyen", "dvf_ventes_logements"
LENS = "246200364"
# Masked (under 5 sales) and recovered exactly from the demo cube before the fix.
ATTACKED = {
    ("80810", 2023): "Vitz-sur-Authie, via the EPCIs touching the Pas-de-Calais",
    ("27604", 2024): "Saint-Sulpice-de-Grimbouville, via the EPCIs touching the Calvados",
    ("46154", 2024): "Laramière, via the Lot and the CC Ouest Aveyron",
    ("46227", 2022): "Promilhanes, via the Lot and the CC Ouest Aveyron",
}
# Three masked communes of the CA de Lens-Liévin (3 sales each in 2023).
PAIR = ("62107", "62793", "62854")
# Visible communes of the Pas-de-Calais with sales in 2023 (no secrecy of their own).
VISIBLE = ("62498", "62510")


def _groupings_csv(path: Path, groupings: dict[str, list[str]]) -> Path:
    path.write_text(
        "regroupement;libelle;type;code_commune\n"
        + "".join(
            f"{slug};Regroupement {slug};secteur PLH;{c}\n"
            for slug, communes in groupings.items()
            for c in communes
        ),
        encoding="utf-8",
    )
    return path


def _lens_minus(commune: str) -> list[str]:
    return [c for c in national().epci_members[LENS] if c != commune]


ADVERSARIAL = {
    "polincove-seule": ["62662"],
    "paire-a": [PAIR[0], PAIR[1]],
    "paire-b": [PAIR[0], PAIR[2]],
    "paire-c": [PAIR[1], PAIR[2]],
    # The same three equations, padded with one visible commune to pass the size rule.
    "trio-a": [PAIR[0], PAIR[1], VISIBLE[0]],
    "trio-b": [PAIR[0], PAIR[2], VISIBLE[0]],
    "trio-c": [PAIR[1], PAIR[2], VISIBLE[0]],
    "call-sauf-62380": _lens_minus("62380"),
}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("attack"))
    for year in YEARS:
        import_file(settings, "dvf_communes", DEMO_DVF / f"dvf{year}.csv.gz")
    csv = _groupings_csv(settings.data_dir / "regroupements.csv", ADVERSARIAL)
    save_groupings(load_groupings(csv), settings.groupings_path)
    build(settings)
    return settings


def _truth(year: int = 2023) -> dict[str, tuple[float, float]]:
    obs = get("dvf_communes").read(DEMO_DVF / f"dvf{year}.csv.gz").tables["observations"]
    wide = obs.filter(pl.col("year") == year).pivot("variable", index="code", values="value")
    return {r["code"]: (r["PRIX_M2_MOYEN"], r["NB_MUTATIONS"]) for r in wide.iter_rows(named=True)}


def _attack(settings: Settings, commune: str, year: int = 2023) -> tuple[float, float]:
    """The interval of a masked commune's mean price an attacker derives from the
    published means x public sale counts of every territory (the issue's recipe,
    generalised: all EPCIs, départements, régions, France and groupings at once)."""
    ref = referential_for(settings)
    with Cube(settings, ref) as cube:
        prices = {lvl: cube.values_at(PRICE, lvl, year) for lvl in Level}
        sales = {lvl: cube.values_at(SALES, lvl, year) for lvl in Level}
    parents = []
    for level in (Level.EPCI, Level.DEP, Level.REG, Level.FR, Level.GRP):
        for code, v in prices[level].items():
            members = set(ref.communes_of(Territory(level, code)))
            if v.status == "ok" and v.value is not None:
                parents.append((members, v.value * sales[level][code].value))
    everyone = set().union(*(m for m, _ in parents))
    com_price, com_sales = prices[Level.COM], sales[Level.COM]
    unknown = sorted(
        c
        for c in everyone
        if c in com_sales
        and (com_sales[c].value or 0) > 0
        and not (com_price.get(c) and com_price[c].status == "ok")
    )
    known = {
        c: com_price[c].value * com_sales[c].value
        for c in everyone
        if c in com_price and com_price[c].status == "ok" and com_price[c].value is not None
    }
    index = {c: i for i, c in enumerate(unknown)}
    rows, cols = [], []
    b_eq = np.zeros(len(parents))
    for r, (members, total) in enumerate(parents):
        for c in members:
            if c in index:
                rows.append(r)
                cols.append(index[c])
        b_eq[r] = total - sum(known.get(c, 0.0) for c in members)
    a_eq = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(parents), len(unknown)))
    # A priori: a mean price is positive and under twice the highest published one.
    seen = [v.value for v in com_price.values() if v.status == "ok" and v.value]
    n = np.array([com_sales[c].value for c in unknown])
    bounds = [(0.0, hi) for hi in n * max(seen) * 2]
    # Published sums are floats: each equation holds up to a rounding tolerance.
    tol = 1e-6 * np.abs(b_eq) + 1.0
    a_ub = vstack([a_eq, -a_eq])
    b_ub = np.concatenate([b_eq + tol, -b_eq + tol])
    target = np.zeros(len(unknown))
    target[index[commune]] = 1.0
    ends = []
    for sign in (1.0, -1.0):
        res = linprog(sign * target, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        assert res.success, res.message
        ends.append(sign * res.fun / com_sales[commune].value)
    return ends[0], ends[1]


@pytest.mark.parametrize(("commune", "year"), sorted(ATTACKED))
def test_a_masked_mean_price_is_not_recovered_through_overlapping_parents(
    attacked: Settings, commune: str, year: int
) -> None:
    truth, sales = _truth(year)[commune]
    assert sales < 5  # masked by the primary rule: the cell the attack aims at
    low, high = _attack(attacked, commune, year)
    assert low <= truth <= high
    # Before the fix: low == high == truth (e.g. 1,091 €/m² for Vitz-sur-Authie in 2023).
    assert high - low >= 0.2 * truth, ATTACKED[(commune, year)]


def test_a_grouping_of_fewer_than_three_communes_shows_no_secret_bound_value(
    attacked: Settings,
) -> None:
    with Cube(attacked, referential_for(attacked)) as cube:
        polincove = cube.value(PRICE, Territory.parse("GRP:polincove-seule"), 2023)
        pairs = [cube.value(PRICE, Territory.parse(f"GRP:paire-{x}"), 2023) for x in "abc"]
        sales = cube.value(SALES, Territory.parse("GRP:polincove-seule"), 2023)
    # Before: 1,939.2 €/m², Polincove's own masked mean.
    assert (polincove.status, polincove.value) == ("secret", None)
    assert "moins de 3 communes" in (polincove.note or "")
    assert all(p.status == "secret" and p.value is None for p in pairs)
    assert sales.status == "ok"  # counts are not secret


def test_three_groupings_of_three_do_not_give_three_equations(attacked: Settings) -> None:
    for commune in PAIR:
        truth, _ = _truth()[commune]
        low, high = _attack(attacked, commune)
        assert high - low >= 0.2 * truth, commune
    with Cube(attacked, referential_for(attacked)) as cube:
        trios = [cube.value(PRICE, Territory.parse(f"GRP:trio-{x}"), 2023) for x in "abc"]
    masked = [t for t in trios if t.status == "secret"]
    assert masked and all("retrouver une valeur masquée" in (t.note or "") for t in masked)


def test_an_epci_minus_one_commune_does_not_give_that_commune(attacked: Settings) -> None:
    # 62380 (2 sales in 2023) is masked; the grouping is the CA de Lens-Liévin without it.
    truth, sales = _truth()["62380"]
    assert sales < 5
    with Cube(attacked, referential_for(attacked)) as cube:
        epci = cube.value(PRICE, Territory.parse(f"EPCI:{LENS}"), 2023)
        rest = cube.value(PRICE, Territory.parse("GRP:call-sauf-62380"), 2023)
    assert not (epci.status == "ok" and rest.status == "ok")
    assert "retrouver une valeur masquée" in (rest.note or "") or epci.status == "secret"
    low, high = _attack(attacked, "62380")
    assert high - low >= 0.2 * truth


def test_the_audit_of_the_built_cube_finds_nothing(attacked: Settings) -> None:
    years = check_secrecy(attacked)
    assert [(y.indicator, y.year) for y in years] == [(PRICE, year) for year in YEARS]
    assert all(y.masked > 10_000 for y in years)  # the national tables, not a toy
    assert [f for y in years for f in y.findings] == []
