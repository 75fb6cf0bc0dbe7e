"""Vega-Lite specs that do not mislead, on the demo's real series: gaps where a year has
no value, distinct round ticks, French number format (the locale is given by charts.js)."""

from __future__ import annotations

import dataclasses
from itertools import pairwise

import pytest

from observatoire.settings import Settings

CALL = "EPCI:246200364"


@pytest.fixture
def dvf_series(web: Settings) -> list:  # type: ignore[type-arg]
    """DVF average price per m² of the CA de Lens-Liévin, 2020-2024 (demo cube)."""
    from observatoire import figures
    from observatoire.territories import Territory

    series = figures.series("dvf_prix_m2_moyen", Territory.parse(CALL))
    assert [v.year for v in series if v.value is not None] == [2020, 2021, 2022, 2023, 2024]
    return series


def _indicator(code: str):  # type: ignore[no-untyped-def]
    from observatoire.indicators.catalog import catalog

    return catalog()[code]


def test_a_year_without_value_breaks_the_line(dvf_series) -> None:  # type: ignore[no-untyped-def]
    from observatoire.portrait.charts import line_spec

    # 2022 secret: points for the four other years, no line drawn across 2022.
    series = [
        dataclasses.replace(v, value=None, status="secret") if v.year == 2022 else v
        for v in dvf_series
    ]
    spec = line_spec(_indicator("dvf_prix_m2_moyen"), series, "CA de Lens - Liévin")
    assert spec is not None
    points = spec["data"]["values"]
    assert [p["annee"] for p in points] == [2020, 2021, 2023, 2024]
    assert [p["segment"] for p in points] == [0, 0, 1, 1]
    line, dots = spec["layer"]
    assert line["mark"]["type"] == "line" and line["encoding"]["detail"]["field"] == "segment"
    assert dots["mark"]["type"] == "point"
    assert spec["encoding"]["x"]["axis"]["values"] == [2020, 2021, 2023, 2024]
    assert "pas de valeur en 2022" in spec["description"]
    # Unbroken series: one segment.
    whole = line_spec(_indicator("dvf_prix_m2_moyen"), dvf_series, "CA de Lens - Liévin")
    assert {p["segment"] for p in whole["data"]["values"]} == {0}  # type: ignore[index]


def test_axis_ticks_are_distinct_once_written(dvf_series) -> None:  # type: ignore[no-untyped-def]
    from observatoire.portrait.charts import line_spec, nice_ticks

    # The Lot vacancy axis: 6.28 to 6.34 % at one decimal read "6,3" four times.
    ticks = nice_ticks(6.28, 6.34, 1)
    assert len({f"{t:.1f}" for t in ticks}) == len(ticks) >= 2
    assert ticks[0] <= 6.28 and ticks[-1] >= 6.34
    # A flat series still gets an axis with distinct ticks.
    assert len(set(nice_ticks(7.2, 7.2, 1))) >= 2
    # Round steps (1, 2, 2.5, 5 x 10^n) on the real DVF prices (0 decimals).
    ind = _indicator("dvf_prix_m2_moyen")
    spec = line_spec(ind, dvf_series, "CA de Lens - Liévin")
    y = spec["encoding"]["y"]  # type: ignore[index]
    values = [p["valeur"] for p in spec["data"]["values"]]  # type: ignore[index]
    assert y["axis"]["values"][0] <= min(values) and y["axis"]["values"][-1] >= max(values)
    assert y["scale"]["domain"] == [y["axis"]["values"][0], y["axis"]["values"][-1]]
    labels = [f"{t:,.{ind.decimals}f}" for t in y["axis"]["values"]]
    assert len(set(labels)) == len(labels)
    steps = {round(b - a, 6) for a, b in pairwise(y["axis"]["values"])}
    assert len(steps) == 1 and steps.pop() in {10, 20, 25, 50, 100, 200, 250, 500}


def test_bar_axis_ticks_are_distinct_and_french(web: Settings) -> None:
    from observatoire import figures
    from observatoire.portrait.charts import bar_spec, number_format
    from observatoire.territories import Territory

    ind = _indicator("taux_vacance")
    rows = [
        (figures.territory_name(t), figures.value(ind.code, t))
        for t in (Territory.parse("COM:62498"), Territory.parse(CALL), Territory.parse("DEP:62"))
    ]
    spec = bar_spec(ind, rows, 2021)
    assert spec is not None
    axis = spec["encoding"]["x"]["axis"]
    labels = [f"{t:.{ind.decimals}f}" for t in axis["values"]]
    assert len(set(labels)) == len(labels) >= 3
    # Axis and bar labels share one d3 format (grouping and decimal comma: fr-FR locale).
    assert axis["format"] == number_format(ind) == spec["layer"][1]["encoding"]["text"]["format"]
