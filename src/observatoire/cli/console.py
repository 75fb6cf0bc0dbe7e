"""The CLI's two terminals: results on stdout, errors on stderr."""

from __future__ import annotations

from rich.console import Console

console = Console()
err = Console(stderr=True)
