from __future__ import annotations

import itertools
from typing import Any

import pytest

from observatoire.settings import Settings

_counter = itertools.count()


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}@exemple.fr"


@pytest.fixture
def make_user(web: Settings) -> Any:
    """make_user(role, *territories, organisation=...) -> (user, API key)."""
    from observatoire.accounts import provisioning
    from observatoire.accounts.models import ApiToken

    def make(role: str, *territories: str, organisation: str = "CA de Lens-Liévin") -> Any:
        created = provisioning.create_user(unique(role), organisation, role, list(territories))
        _, key = ApiToken.issue(created.user, label="test")
        return created.user, key

    return make
