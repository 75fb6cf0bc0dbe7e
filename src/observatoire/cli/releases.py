"""`observatoire publications release`: an open data release of the cube (CSV, Parquet,
Table Schema, README) for a territory or for France. In its own module so that other
`publications` commands join the same group."""

from __future__ import annotations

from pathlib import Path

import click

from observatoire.cli.console import console
from observatoire.errors import UserError
from observatoire.settings import Settings

GROUP_HELP = "Publications de l'observatoire : jeux de données ouverts, fiches."


@click.command(
    "release", help="Publier les données ouvertes du cube (CSV, Parquet, schéma, README)."
)
@click.argument("territory", default="FR")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier des publications (défaut : publications/ du dossier de données, "
    "listé par la page du portail).",
)
@click.pass_obj
def release(settings: Settings, territory: str, out: Path | None) -> None:
    from observatoire.releases import writer
    from observatoire.territories import Territory, TerritoryError

    try:
        scope = Territory.parse(territory)
    except TerritoryError as exc:
        raise UserError(str(exc)) from None
    with console.status(f"Publication des données de {scope.id}..."):
        done = writer.write(scope, out or writer.releases_dir(settings))
    console.print(
        f"[green]Publié[/] : {done.rows} lignes, cube du {done.built_at} → {done.path}",
        highlight=False,
    )


def register_commands(cli: click.Group) -> None:
    group = cli.commands.get("publications")
    if not isinstance(group, click.Group):
        group = click.Group("publications", help=GROUP_HELP)
        cli.add_command(group)
    group.add_command(release)
