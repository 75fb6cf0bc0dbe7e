from __future__ import annotations

from pathlib import Path

import pytest

from observatoire.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """An empty, private data dir: two tests never share a warehouse."""
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The embedded demo built once per test session, as `observatoire demo` does."""
    from click.testing import CliRunner

    from observatoire.cli import main

    data = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["--data-dir", str(data), "demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    return data, result.output


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
