"""Demo content of this app, loaded by `observatoire demo` (idempotent)."""

from __future__ import annotations

from rich.console import Console


def load(console: Console) -> None:
    """Nothing yet."""
