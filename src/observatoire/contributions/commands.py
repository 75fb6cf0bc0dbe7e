"""`observatoire conventions`: the contributions app's command, registered by the CLI
through `register_commands` (Django starts inside the command only)."""

from __future__ import annotations

import click

from observatoire.settings import Settings


@click.command(
    help="Prévenir les animateurs du périmètre des sources déclarées dont la convention "
    "est échue (une fois par source) ; à lancer chaque jour."
)
@click.pass_obj
def conventions(settings: Settings) -> None:
    from observatoire.startup import start

    start(settings)
    from observatoire.contributions.conventions import notify_expired

    told = notify_expired()
    for name, emails in told.items():
        click.echo(f"{name} : convention échue, {len(emails)} animateur(s) prévenu(s).")
    if not told:
        click.echo("Aucune convention nouvellement échue.")


def register_commands(cli: click.Group) -> None:
    cli.add_command(conventions)
