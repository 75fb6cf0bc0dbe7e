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
