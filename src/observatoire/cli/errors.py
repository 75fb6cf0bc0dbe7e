"""`friendly`: every error of every sub-command becomes a French message and an exit
code, never a traceback. The root group runs each sub-command inside it, so the apps'
commands get it without importing the CLI."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

from observatoire.cli.console import err
from observatoire.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_USAGE, UserError
from observatoire.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn every error into a French message and an exit code: never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:
            ctx.exit(_report(ctx, exc))

    return wrapper  # type: ignore[return-value]


def _report(ctx: click.Context, exc: Exception) -> int:
    """Print what the user must know about `exc`; the exit code."""
    if isinstance(exc, UserError):
        message = exc.args[0] if exc.args else str(exc)
        err.print(f"[bold red]Erreur :[/] {message}", highlight=False)
        return EXIT_USAGE
    # Imported here, not at start: sources.base pulls pandera and pandas, which
    # `observatoire --help` must not wait for. A SourceError can only come from a
    # command that already imported it.
    from observatoire.sources.base import SourceError
    from observatoire.territories.groupings import GroupingError

    if isinstance(exc, SourceError):
        err.print(f"[bold red]Import refusé.[/] {exc.render()}", highlight=False)
        return EXIT_INPUT
    if isinstance(exc, GroupingError):
        err.print(f"[bold red]Regroupements refusés.[/] {exc}", highlight=False)
        return EXIT_INPUT
    # A bug (a KeyError included): logged in the data dir, never shown as a traceback.
    settings: Settings = ctx.find_object(Settings) or Settings.from_env()
    log = settings.data_dir / "observatoire-erreurs.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {datetime.now(UTC).isoformat()}\n{traceback.format_exc()}\n")
    err.print(
        f"[bold red]Erreur interne[/] ({type(exc).__name__}) : l'opération n'a pas abouti "
        f"et les données déjà stockées sont intactes. Détail technique dans {log}.",
        highlight=False,
    )
    return EXIT_INTERNAL


class FriendlyGroup(click.Group):
    """The root group: every sub-command, the apps' included, runs inside `friendly`."""

    def invoke(self, ctx: click.Context) -> Any:
        return friendly(super().invoke)(ctx)
