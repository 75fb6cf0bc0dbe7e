"""COG vintages: table de passage from the INSEE events file, and harmonisation.

Fixture cog/communes-2022-dep14-46-53-59-62.csv: the commune-actuelle objects of
@etalab/decoupage-administratif 2.3.1 (COG 2022, filtered to départements 14, 46, 53, 59,
62), fields code, nom, type, population written by a script from its communes.json.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatoire.territories import TerritoryError, vintages
from observatoire.territories.perimeters import changed_epci, composition_year
from observatoire.territories.referential import COG_YEAR, mouvements, national

COG_2022 = "cog/communes-2022-dep14-46-53-59-62.csv"
GONE_SINCE_2022 = {
    # old code: current commune (v_mvt_commune_2026)
    "14011": "14581",  # Aurseulles renumbered (MOD 50, 2024-04-24)
    "14300": "14743",  # Gerrots -> Victot-en-Auge (MOD 32, 2025)
    "14623": "14408",  # Saint-Martin-de-Fontenay -> Saint-Martin-de-May
    "46217": "46172",  # Pern -> Pern-Lhospitalet
    "59070": "59006",  # Bermeries -> L'Orée de Mormal
    "62461": "62447",  # Huby-Saint-Leu -> Hesdin-la-Forêt
    "62549": "62447",  # Marconne -> Hesdin-la-Forêt
    "62743": "62447",  # Sainte-Austreberthe -> Hesdin-la-Forêt
}
TARGET_DEPS = ("14", "46", "53", "59", "62")


def communes_2022(fixtures: Path) -> pl.DataFrame:
    """@etalab/decoupage-administratif 2.3.1 (COG 2022), communes of the 5 départements."""
    return pl.read_csv(
        fixtures / COG_2022, separator=";", schema_overrides={"code": pl.Utf8}
    ).filter(pl.col("type") == "commune-actuelle")


def obs(
    codes: list[str], values: list[float | None], statuses: list[str] | None = None
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "code": codes,
            "year": [2021] * len(codes),
            "variable": ["v"] * len(codes),
            "value": values,
            "status": statuses or ["ok"] * len(codes),
        },
        schema_overrides={"value": pl.Float64, "year": pl.Int32},
    )


def row(frame: pl.DataFrame, code: str) -> dict[str, object]:
    found = frame.filter(pl.col("code") == code)
    assert found.height == 1, f"{code}: {found.height} rows"
    return found.row(0, named=True)


# ----------------------------------------------------------------------------- passage


def test_codes_of_2022_are_exactly_the_real_cog_2022(fixtures: Path) -> None:
    real = set(communes_2022(fixtures)["code"])
    derived = {c for c in vintages.codes_at(2022) if c.startswith(TARGET_DEPS)}
    assert len(real) == 2619
    assert derived == real


def test_codes_that_disappeared_since_2022_map_to_their_absorbing_commune() -> None:
    table = vintages.passage(2022)
    current = set(national().commune_dep)
    for old, new in GONE_SINCE_2022.items():
        assert old not in current
        got = table.filter(pl.col("old_code") == old)
        assert got.rows() == [(old, new, 1.0, False)], old


def test_14581_is_a_renumbering_not_a_split() -> None:
    # 14581 was a commune déléguée of Aurseulles (14011) in 2022; on 2024-04-24 the
    # chef-lieu moved and the commune took the code 14581 (MOD 50): a 1:1 rename.
    assert "14581" not in vintages.codes_at(2022)
    assert "14011" in vintages.codes_at(2022)
    table = vintages.passage(2022)
    assert table.filter(pl.col("new_code") == "14581")["old_code"].to_list() == ["14011"]


EVENTS = sorted(mouvements(), key=lambda r: (r["DATE_EFF"], r["MOD"] not in ("41", "50")))


def _codes_from_events(year: int) -> set[str]:
    """Independent derivation: a code was a commune at `year` if the first event after
    1 January `year` in which it appears as a commune has it on the "before" side (or if
    it appears in none and is a current commune). Code changes come first on a date."""
    limit = f"{year}-01-01"
    first: dict[str, tuple[tuple[str, bool], set[str]]] = {}
    for r in EVENTS:
        if r["DATE_EFF"] <= limit or r["TYPECOM_AV"] != "COM":
            continue
        when = (r["DATE_EFF"], r["MOD"] not in ("41", "50"))
        sides = [(r["COM_AV"], "before")]
        if r["TYPECOM_AP"] == "COM":
            sides.append((r["COM_AP"], "after"))
        for code, side in sides:
            seen = first.setdefault(code, (when, set()))
            if seen[0] == when:
                seen[1].add(side)
    out = {c for c in national().commune_dep if c not in first}
    return out | {c for c, (_, sides) in first.items() if "before" in sides}


@pytest.mark.parametrize("year", range(2015, COG_YEAR + 1))
def test_passage_covers_every_commune_of_the_year_and_lands_on_current_communes(year: int) -> None:
    table = vintages.passage(year)
    arrondissements = set(national().arrondissements)
    old = set(table["old_code"]) - arrondissements
    assert old == _codes_from_events(year)
    assert set(table["new_code"]) <= set(national().commune_dep)
    assert set(table["old_code"]) >= arrondissements
    sums = table.group_by("old_code").agg(
        pl.col("weight").sum(), pl.len(), pl.col("estimated").all()
    )
    assert sums.filter((pl.col("weight") - 1).abs() > 1e-9).is_empty()
    # estimated exactly when an old commune is shared
    assert sums.filter((pl.col("len") > 1) != pl.col("estimated")).is_empty()
    assert table.filter(pl.col("weight") < 1 - 1e-12)["estimated"].all()


def test_current_cog_is_identity_plus_arrondissements() -> None:
    table = vintages.passage(COG_YEAR)
    com = table.filter(~pl.col("old_code").is_in(list(national().arrondissements)))
    assert com.height == len(national().commune_dep)
    assert (com["old_code"] == com["new_code"]).all()
    assert table.filter(pl.col("old_code") == "75101").rows() == [("75101", "75056", 1.0, False)]
    assert table.filter(pl.col("old_code") == "69381")["new_code"].to_list() == ["69123"]


def test_same_day_code_change_then_merger() -> None:
    # 2018-01-01: Pont-Farcy 14513 moved to the Manche as 50649 (MOD 41), and 50649 joined
    # Tessy-Bocage 50592 (MOD 32) the same day.
    table = vintages.passage(2017)
    assert table.filter(pl.col("old_code") == "14513")["new_code"].to_list() == ["50592"]
    assert "50649" not in vintages.codes_at(2017)


def test_restored_communes_get_their_old_commune_back_exactly() -> None:
    # Saline (14712) was created on 2017-01-01 from Troarn 14712 (with its commune associée
    # Bures-sur-Dives) and Sannerville 14666, and split on 2019-12-31 (MOD 21): Troarn and
    # Sannerville come back as they were.
    t2016 = vintages.passage(2016)
    for code in ("14712", "14666"):
        assert t2016.filter(pl.col("old_code") == code).rows() == [(code, code, 1.0, False)]
    # In the COG 2018, Saline is the merged commune: shared by population.
    t2018 = vintages.passage(2018).filter(pl.col("old_code") == "14712")
    assert set(t2018["new_code"]) == {"14712", "14666"} and t2018["estimated"].all()


def test_split_of_a_merged_commune_is_apportioned_by_current_population() -> None:
    # Les Hauts-Talican (60054) of 2020 gave back Beaumont-les-Nonains (60054) in 2024 and
    # went on under code 60694: the 2020 commune is shared by 2026 population.
    pop = national().commune_population
    got = {
        r["new_code"]: r
        for r in vintages.passage(2020).filter(pl.col("old_code") == "60054").iter_rows(named=True)
    }
    assert set(got) == {"60054", "60694"}
    assert all(r["estimated"] for r in got.values())
    expected = pop["60054"] / (pop["60054"] + pop["60694"])
    assert got["60054"]["weight"] == pytest.approx(expected)
    # Before its merger (2018), Beaumont-les-Nonains is exactly the restored commune.
    t2018 = vintages.passage(2018)
    assert t2018.filter(pl.col("old_code") == "60054").rows() == [("60054", "60054", 1.0, False)]


def test_saint_barthelemy_and_saint_martin_become_collectivites() -> None:
    table = vintages.passage(2007)
    assert table.filter(pl.col("old_code") == "97123")["new_code"].to_list() == ["97701"]
    assert table.filter(pl.col("old_code") == "97127")["new_code"].to_list() == ["97801"]


def test_successors_of_an_outdated_code() -> None:
    assert vintages.successors("62461") == ["62447"]
    assert vintages.successors("62498") == ["62498"]
    assert vintages.successors("99999") == []
    assert vintages.successors("14513") == ["50592"]  # Pont-Farcy, last a commune in 2017
    assert vintages.successors("60054") == ["60054"]


def test_year_outside_the_referential_is_refused_in_french() -> None:
    with pytest.raises(TerritoryError, match="Millésime géographique 2027"):
        vintages.passage(COG_YEAR + 1)
    with pytest.raises(TerritoryError, match="1942"):
        vintages.harmonise(obs(["62498"], [1.0]), 1942, additive=True)


# ----------------------------------------------------------------------------- harmonise


def test_2022_populations_add_up_on_the_current_communes(fixtures: Path) -> None:
    cog22 = communes_2022(fixtures)
    pop22 = dict(zip(cog22["code"], cog22["population"].cast(pl.Float64), strict=True))
    frame = obs(list(pop22), list(pop22.values()))
    out = vintages.harmonise(frame, 2022, additive=True)
    assert out["geo_vintage"].unique().to_list() == [2022]
    assert out.schema["geo_vintage"] == pl.Int32
    assert out.columns == [*frame.columns, "geo_vintage"]
    assert out["value"].sum() == pytest.approx(sum(pop22.values()))
    hesdin = row(out, "62447")
    assert hesdin["value"] == sum(pop22[c] for c in ("62447", "62461", "62549", "62743"))
    assert hesdin["status"] == "ok"
    aurseulles = row(out, "14581")
    assert aurseulles["value"] == pop22["14011"] and aurseulles["status"] == "ok"
    assert row(out, "62498")["value"] == pop22["62498"]  # Lens, unchanged
    assert not set(GONE_SINCE_2022) & set(out["code"])
    for new in set(GONE_SINCE_2022.values()):
        parts = [old for old, n in GONE_SINCE_2022.items() if n == new] + (
            [new] if new in pop22 else []
        )
        assert row(out, new)["value"] == sum(pop22[c] for c in parts)


def test_a_median_is_unavailable_for_a_merged_commune_but_kept_for_identity_and_rename() -> None:
    frame = obs(
        ["62447", "62461", "62549", "62743", "62498", "14011"], [21.0, 22.0, 23.0, 24.0, 19.5, 25.0]
    )
    out = vintages.harmonise(frame, 2022, additive=False)
    hesdin = row(out, "62447")
    assert hesdin["value"] is None and hesdin["status"] == "unavailable"
    assert row(out, "62498")["value"] == 19.5 and row(out, "62498")["status"] == "ok"
    assert row(out, "14581")["value"] == 25.0  # 14011 renumbered: still one commune
    assert out.height == 3


def test_a_median_of_a_merged_commune_is_unavailable_even_if_only_one_part_is_present() -> None:
    out = vintages.harmonise(obs(["62447"], [21.0]), 2022, additive=False)
    assert row(out, "62447")["status"] == "unavailable"


def test_split_commune_values_are_apportioned_and_estimated() -> None:
    out = vintages.harmonise(obs(["60054"], [1000.0]), 2020, additive=True)
    weights = dict(
        vintages.passage(2020)
        .filter(pl.col("old_code") == "60054")
        .select("new_code", "weight")
        .iter_rows()
    )
    for code in ("60054", "60694"):
        assert row(out, code)["value"] == pytest.approx(1000 * weights[code])
        assert row(out, code)["status"] == "estimated"
    median = vintages.harmonise(obs(["60054"], [20.0]), 2020, additive=False)
    assert set(median["status"]) == {"unavailable"}


def test_status_of_a_sum_is_its_worst_part() -> None:
    codes = ["62447", "62461", "62549", "62743"]
    out = vintages.harmonise(
        obs(codes, [1.0, None, 3.0, None], ["ok", "secret", "ok", "missing"]), 2022, additive=True
    )
    assert row(out, "62447")["value"] is None and row(out, "62447")["status"] == "secret"
    out = vintages.harmonise(
        obs(codes, [1.0, None, 3.0, 4.0], ["ok", "missing", "ok", "estimated"]), 2022, additive=True
    )
    assert row(out, "62447")["status"] == "missing" and row(out, "62447")["value"] is None
    out = vintages.harmonise(
        obs(codes, [1.0, 2.0, 3.0, 4.0], ["ok", "ok", "estimated", "ok"]), 2022, additive=True
    )
    assert row(out, "62447")["value"] == 10.0 and row(out, "62447")["status"] == "estimated"


def test_keys_are_kept_apart() -> None:
    frame = pl.concat(
        [
            obs(["62447", "62461"], [1.0, 2.0]),
            obs(["62447", "62461"], [10.0, 20.0]).with_columns(pl.lit("w").alias("variable")),
            obs(["62447", "62461"], [100.0, 200.0]).with_columns(
                pl.lit(2015, dtype=pl.Int32).alias("year")
            ),
        ]
    )
    out = vintages.harmonise(frame, 2022, additive=True).sort("year", "variable")
    assert out.select("year", "variable", "code", "value").rows() == [
        (2015, "v", "62447", 300.0),
        (2021, "v", "62447", 3.0),
        (2021, "w", "62447", 30.0),
    ]


def test_arrondissements_are_dropped_when_the_city_row_is_present() -> None:
    paris = ["75056", "75101", "75102"]
    both = vintages.harmonise(obs(paris, [100.0, 10.0, 20.0]), COG_YEAR, additive=True)
    assert both.select("code", "value").rows() == [("75056", 100.0)]
    only_arm = vintages.harmonise(obs(paris[1:], [10.0, 20.0]), COG_YEAR, additive=True)
    assert only_arm.select("code", "value", "status").rows() == [("75056", 30.0, "ok")]
    median = vintages.harmonise(obs(paris[1:], [10.0, 20.0]), COG_YEAR, additive=False)
    assert median.select("code", "status").rows() == [("75056", "unavailable")]
    city_median = vintages.harmonise(obs(paris, [15.0, 10.0, 20.0]), COG_YEAR, additive=False)
    assert city_median.select("code", "value", "status").rows() == [("75056", 15.0, "ok")]


def test_codes_unknown_to_the_vintage_are_dropped_and_bad_status_refused() -> None:
    out = vintages.harmonise(obs(["14581", "99999", "62498"], [1.0, 2.0, 3.0]), 2022, additive=True)
    assert out["code"].to_list() == ["62498"]  # 14581 was a commune déléguée in 2022
    with pytest.raises(ValueError, match="statut inconnu : bizarre"):
        vintages.harmonise(obs(["62498"], [1.0], ["bizarre"]), 2022, additive=True)


def test_empty_frame() -> None:
    out = vintages.harmonise(obs([], []), 2022, additive=True)
    assert out.is_empty() and "geo_vintage" in out.columns


# ----------------------------------------------------------------------------- properties

# Communes whose code changes between the year and today are where sums could leak.
_MOVING = {
    year: sorted(
        vintages.passage(year)
        .filter(pl.col("old_code") != pl.col("new_code"))
        .filter(~pl.col("old_code").is_in(list(national().arrondissements)))["old_code"]
        .unique()
    )
    for year in (2015, 2016, 2019, 2022, 2024)
}


@st.composite
def commune_values(draw: st.DrawFn) -> tuple[int, list[str], list[float]]:
    year = draw(st.sampled_from(sorted(_MOVING)))
    moving = _MOVING[year]
    ordinary = sorted(vintages.codes_at(year))
    codes = draw(
        st.lists(st.sampled_from(moving), unique=True, max_size=120).flatmap(
            lambda m: st.lists(st.sampled_from(ordinary), unique=True, max_size=40).map(
                lambda o: sorted(set(m) | set(o))
            )
        )
    )
    values = draw(
        st.lists(st.floats(0, 1e7, allow_nan=False), min_size=len(codes), max_size=len(codes))
    )
    return year, codes, values


@settings(max_examples=25, deadline=None)
@given(commune_values())
def test_additive_totals_are_preserved(data: tuple[int, list[str], list[float]]) -> None:
    year, codes, values = data
    out = vintages.harmonise(obs(codes, list(values)), year, additive=True)
    assert out["value"].sum() == pytest.approx(sum(values), rel=1e-9, abs=1e-6)
    assert set(out["code"]) <= set(national().commune_dep)
    assert out.select("code", "year", "variable").is_duplicated().sum() == 0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(national().commune_dep)), unique=True, max_size=50), st.data()
)
def test_current_codes_are_left_untouched(codes: list[str], data: st.DataObject) -> None:
    values = data.draw(st.lists(st.floats(-1e6, 1e6), min_size=len(codes), max_size=len(codes)))
    frame = obs(codes, list(values))
    for additive in (True, False):
        out = vintages.harmonise(frame, COG_YEAR, additive=additive).drop("geo_vintage")
        assert out.sort("code").equals(frame.sort("code"))


def test_epci_perimeters_that_changed_since_a_producers_geography() -> None:
    assert composition_year(2019) == 2020 and composition_year(2024) == 2026
    changed = changed_epci(2020)
    # 14659 left Cingal-Suisse Normande for Val ès Dunes (INSEE EPCI 2020 vs DGCL 2026).
    assert {"200065589", "200066710"} <= changed
    # Lens-Liévin: the same 36 communes in 2020 and 2026.
    assert "246200364" not in changed
    assert changed_epci(2026) == frozenset()
