"""Helpers shared by the conftests and tests (conftest modules are not imported twice)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def observatoire_command() -> list[str]:
    """The installed `observatoire` script of this interpreter (what a user runs)."""
    script = Path(sys.executable).parent / "observatoire"
    if script.exists():
        return [str(script)]
    found = shutil.which("observatoire")
    return [found] if found else [sys.executable, "-m", "observatoire.cli"]
