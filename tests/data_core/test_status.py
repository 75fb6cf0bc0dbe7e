"""The statuses of a figure stay the plain strings stored in the warehouse and the cube,
written in JSON and compared in templates."""

from __future__ import annotations

import json

import polars as pl

from observatoire.ratio import ratio
from observatoire.status import OBSERVED, VISIBLE, WORST_FIRST, Status


def test_status_values_are_the_stored_strings() -> None:
    assert [s.value for s in Status] == ["ok", "secret", "missing", "estimated", "unavailable"]
    assert json.dumps({"status": Status.SECRET}) == '{"status": "secret"}'
    assert f"{Status.ESTIMATED}" == "estimated" and Status("missing") is Status.MISSING
    # A polars literal stays a string column, comparable with the stored values.
    frame = pl.DataFrame({"status": ["ok", "secret"]}).with_columns(
        pl.lit(Status.MISSING).alias("lit")
    )
    assert frame.schema["lit"] == pl.String
    assert frame.filter(pl.col("status") == Status.SECRET).height == 1


def test_status_orders() -> None:
    assert set(WORST_FIRST) == set(Status) and WORST_FIRST[-1] is Status.OK
    assert set(VISIBLE) == {Status.OK, Status.ESTIMATED}
    assert Status.UNAVAILABLE not in OBSERVED


def test_ratio_of_sums_unknown_is_never_zero() -> None:
    assert ratio(147, 750) == 147 / 750
    assert ratio(None, 10) is None and ratio(3, None) is None and ratio(3, 0) is None
    assert ratio(0, 10) == 0.0
