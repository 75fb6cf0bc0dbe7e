"""Class breaks for choropleth maps: quantiles and natural breaks (Jenks/Fisher).

Breaks follow the usual Jenks convention, `[minimum, upper bound of class 0, ..., maximum]`:
class i holds the values v with breaks[i] < v <= breaks[i + 1] (class 0 also holds the
minimum). Upper bounds are always values of the data and strictly increasing, so
`breaks[0] == breaks[1]` only when the first class holds the minimum alone. With fewer
distinct values than classes asked for, each distinct value is its own class: a legend
never shows an empty class nor two classes with the same bounds.

Callers pass the visible values only: a secret value must never move a boundary.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

METHODS = ("quantiles", "jenks")


def breaks(values: Sequence[float], method: str, classes: int) -> list[float]:
    """The class boundaries of `values` (empty when there is no value)."""
    if method not in METHODS:
        raise ValueError(f"Méthode de classification « {method} » inconnue.")
    if classes < 1:
        raise ValueError("Au moins une classe.")
    data = sorted(values)
    if not data:
        return []
    distinct = sorted(set(data))
    if len(distinct) <= classes:
        uppers = distinct
    elif method == "quantiles":
        n = len(data)
        uppers = [data[math.ceil(i * n / classes) - 1] for i in range(1, classes + 1)]
    else:
        uppers = _jenks(data, classes)
    return [data[0], *_increasing(uppers)]


def classify(value: float | None, bounds: Sequence[float]) -> int | None:
    """The index of the class holding `value`, None for no value or no class."""
    if value is None or len(bounds) < 2:
        return None
    index = bisect_left(bounds, value, 1) - 1
    return min(max(index, 0), len(bounds) - 2)


def _jenks(data: list[float], classes: int) -> list[float]:
    # jenkspy is an exact Fisher-Jenks (dynamic programming, in C): fast enough for the
    # ~900 communes of a département on every request.
    import jenkspy

    result = jenkspy.jenks_breaks(data, n_classes=classes)
    return [float(b) for b in result[1:]]


def _increasing(uppers: list[float]) -> list[float]:
    """Drop repeated upper bounds (ties at a quantile): a class is never empty."""
    out: list[float] = []
    for u in uppers:
        if not out or u > out[-1]:
            out.append(float(u))
    return out
