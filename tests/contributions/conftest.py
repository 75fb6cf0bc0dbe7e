"""Users of each role for the contributions tests."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from observatoire.indicators.declared import declare
from observatoire.settings import Settings, activate

DOCS = Path(__file__).parents[2] / "docs" / "sources-declarees"

LENS_EPCI = "EPCI:246200364"
LENS, LIEVIN, ARRAS = "COM:62498", "COM:62510", "COM:62041"
_counter = itertools.count()


@pytest.fixture
def make_user(web: Settings) -> Callable[..., Any]:
    """make_user(role, territories, organisation="...", kind="epci") -> a user."""

    def make(
        role: str,
        territories: list[str],
        organisation: str = "CA de Lens-Liévin",
        kind: str = "epci",
    ) -> Any:
        from django.contrib.auth import get_user_model

        from observatoire.accounts.models import Organisation, Profile

        org, _ = Organisation.objects.get_or_create(name=organisation, defaults={"kind": kind})
        name = f"contrib-{role}-{next(_counter)}"
        user = get_user_model().objects.create_user(name, f"{name}@exemple.fr", "x")
        Profile.objects.create(user=user, organisation=org, role=role, territories=territories)
        return user

    return make


@pytest.fixture
def signed_in(make_user: Callable[..., Any]) -> Callable[..., Client]:
    """signed_in(role, territories, ...) -> a Client signed in as a new user (`.user`)."""

    def make(role: str, territories: list[str], **kwargs: Any) -> Client:
        c = Client()
        c.user = make_user(role, territories, **kwargs)  # type: ignore[attr-defined]
        c.force_login(c.user)  # type: ignore[attr-defined]
        return c

    return make


@pytest.fixture
def declared_dir(web: Settings, tmp_path: Path) -> Callable[[date], Settings]:
    """A data dir of its own with the CCAPEX declaration ending on `end`, made active."""

    def make(end: date) -> Settings:
        settings = Settings(data_dir=tmp_path / "data")
        text = (DOCS / "ccapex.toml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^end = .*$", f"end = {end.isoformat()}", text)
        path = tmp_path / "ccapex.toml"
        path.write_text(text, encoding="utf-8")
        declare(settings, path)
        return activate(settings)

    return make
