from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from observatoire.settings import Settings


@pytest.fixture(scope="session")
def web(demo_data: tuple[Path, str]) -> Settings:
    """Django started once on the demo data dir, migrated: embedded SQLite, or the
    PostgreSQL database named by OBSERVATOIRE_DATABASE_URL (`make test` runs the portal
    tests a second time on a fresh PostgreSQL database)."""
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from observatoire.web import setup

    # The one settings object reads OBSERVATOIRE_DATABASE_URL; only the data dir is forced.
    settings = Settings(
        data_dir=demo_data[0], database_url=Settings.from_env(demo_data[0]).database_url
    )
    setup(settings)
    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)
    return settings


@pytest.fixture
def client(web: Settings):  # type: ignore[no-untyped-def]
    from django.test import Client

    return Client()


@pytest.fixture
def restricted() -> Iterator[str]:
    """Mark one indicator as restricted for the duration of a test."""
    from observatoire.indicators.catalog import catalog

    items = catalog()
    original = items["taux_pauvrete"]
    items["taux_pauvrete"] = dataclasses.replace(original, diffusion="restreint")
    yield "taux_pauvrete"
    items["taux_pauvrete"] = original
