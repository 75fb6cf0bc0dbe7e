from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from observatoire.settings import Settings


@pytest.fixture
def restricted() -> Iterator[str]:
    """Mark one indicator as restricted for the duration of a test."""
    from observatoire.indicators.catalog import catalog

    items = catalog()
    original = items["taux_pauvrete"]
    items["taux_pauvrete"] = dataclasses.replace(original, diffusion="restreint")
    yield "taux_pauvrete"
    items["taux_pauvrete"] = original


def _reader(name: str, scope: list[str]) -> Any:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Profile

    user, _ = get_user_model().objects.get_or_create(username=f"portail-{name}")
    Profile.objects.update_or_create(user=user, defaults={"role": "lecteur", "territories": scope})
    return user


@pytest.fixture
def reader_lens(web: Settings) -> Any:
    """A `lecteur` whose scope is the CA de Lens-Liévin (restricted data of its communes)."""
    return _reader("lecteur-lens", ["EPCI:246200364"])


@pytest.fixture
def reader_arras(web: Settings) -> Any:
    """A `lecteur` of the CU d'Arras: Lens is outside its scope."""
    return _reader("lecteur-arras", ["EPCI:200033579"])
