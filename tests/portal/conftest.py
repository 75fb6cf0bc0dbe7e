from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest


@pytest.fixture
def restricted() -> Iterator[str]:
    """Mark one indicator as restricted for the duration of a test."""
    from observatoire.indicators.catalog import catalog

    items = catalog()
    original = items["taux_pauvrete"]
    items["taux_pauvrete"] = dataclasses.replace(original, diffusion="restreint")
    yield "taux_pauvrete"
    items["taux_pauvrete"] = original
