"""The one ratio of the product's follow-up figures (rates, shares, consumptions)."""

from __future__ import annotations

from decimal import Decimal

Number = int | float | Decimal


def ratio(part: Number | None, whole: Number | None) -> float | None:
    """part / whole, None when either is unknown or the whole is 0: an unknown amount is
    never counted as zero. A rate over several items is the ratio of their sums (sum the
    parts and the wholes first), never a mean of their rates."""
    if part is None or whole is None or whole == 0:
        return None
    return float(part) / float(whole)
