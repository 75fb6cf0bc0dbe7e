"""`observatoire user ...`: accounts from the command line (scripts, checks)."""

from __future__ import annotations

import click


@click.group(help="Comptes utilisateurs (création, jetons d'API).")
def user() -> None:
    pass
