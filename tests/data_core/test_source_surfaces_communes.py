from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatoire.demo import demo_dir
from observatoire.sources import SourceError, get

READ = get("surfaces_communes").read
NAME = "surfaces-communes-cog2026-extrait.csv"


def _edited(tmp_path: Path, fixtures: Path, old: str, new: str) -> Path:
    text = (fixtures / "surfaces_communes" / NAME).read_text("utf-8")
    path = tmp_path / NAME
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_areas_on_cog_2026(fixtures: Path) -> None:
    batch = READ(fixtures / "surfaces_communes" / NAME)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.geo_vintage) == (2026, 2026)
    lens = obs.filter(pl.col("code") == "62498")
    assert lens["value"][0] == pytest.approx(11.6909)
    assert lens["variable"][0] == "SURFACE_KM2"


def test_shipped_table_covers_every_commune_of_france_but_seven() -> None:
    batch = READ(demo_dir() / "surfaces_communes" / "surfaces-communes-cog2026.csv.gz")
    # 34,875 communes of COG 2026 minus the 7 communes nouvelles without a contour.
    assert batch.row_count == 34868
    total = batch.tables["observations"]["value"].sum()
    # France's land area (INSEE: 632,734 km² including the DROM but Mayotte... ~633,000).
    assert 620_000 < total < 645_000


def test_text_in_an_area_is_located(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, fixtures, "11.6909", "onze"))
    p = err.value.problems[0]
    assert (p.line, p.column, p.value) == (6, "surface_km2", "onze")


def test_zero_area_and_other_cog_are_refused(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, fixtures, "11.6909", "0"))
    assert err.value.problems[0].column == "surface_km2"
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, fixtures, "11.6909;2026", "11.6909;2025"))
    assert err.value.problems[0].column == "cog"


def test_duplicate_and_missing_column(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, fixtures, "59350;", "62498;"))
    assert {p.line for p in err.value.problems} == {5, 6}
    with pytest.raises(SourceError, match="surface_km2"):
        READ(_edited(tmp_path, fixtures, "surface_km2", "surface"))
