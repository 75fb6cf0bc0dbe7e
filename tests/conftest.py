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
