"""The CLI's two terminals: results on stdout, errors on stderr; and its progress bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import Progress

console = Console()
err = Console(stderr=True)


def progress_bar(title: str) -> Progress:
    """A transient bar "title ███ 3/12 item 0:00:04" on stdout (rich imported here only:
    `observatoire --help` stays fast)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn(f"[bold]{title}[/]"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} {task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
