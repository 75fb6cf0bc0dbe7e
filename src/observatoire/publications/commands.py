"""`observatoire publications ...`: fiches territoire in batch (French messages).

The CLI registers the group through `register_commands`: this module never imports it."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from observatoire.errors import EXIT_INPUT, UserError
from observatoire.settings import Settings
from observatoire.words import counted

console = Console()
err = Console(stderr=True)


@click.group(help="Publications : fiches territoire (monographies) en PDF.")
def publications() -> None:
    pass


def register_commands(cli: click.Group) -> None:
    from observatoire.publications.deck.commands import cinq_minutes_cmd
    from observatoire.publications.report.commands import rapport_cmd

    publications.add_command(rapport_cmd)
    publications.add_command(cinq_minutes_cmd)
    cli.add_command(publications)


@publications.command(
    "fiches",
    help="Une fiche PDF par territoire donné et par commune de ce territoire, dans DIR "
    "(« <code>-<nom>.pdf »). Les fiches déjà faites sont gardées : relancer reprend là où "
    "le lot s'est arrêté. Diffusion publique seulement.",
)
@click.argument("territories", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Fiches écrites en parallèle (défaut : le nombre de cœurs).",
)
@click.pass_obj
def fiches_cmd(
    settings: Settings, territories: tuple[str, ...], out: Path, jobs: int | None
) -> None:
    from observatoire.startup import start

    start(settings)
    from rich.progress import Progress

    from observatoire import figures
    from observatoire.publications import batch
    from observatoire.territories import Territory, TerritoryError

    try:
        wanted = [figures.check(Territory.parse(raw)) for raw in territories]
    except TerritoryError as exc:
        raise UserError(str(exc)) from None
    figures.cube()  # no cube: the French message before any fiche
    todo = batch.targets(wanted)
    with Progress(console=err, transient=False) as progress:
        task = progress.add_task("Fiches", total=len(todo))
        outcome = batch.run(
            todo,
            out,
            step=lambda t: progress.advance(task),
            jobs=jobs or batch.default_jobs(),
        )
    console.print(
        f"{len(outcome.written)} fiches écrites, {len(outcome.skipped)} déjà faites "
        f"(gardées), {len(outcome.failed)} en échec, dans {escape(str(out))}.",
        highlight=False,
    )
    for t, reason in outcome.failed:
        err.print(f"[red]Échec[/] {t.id} : {escape(reason)}", highlight=False)
    if outcome.failed:
        raise click.exceptions.Exit(EXIT_INPUT)


@publications.command(
    "alertes",
    help="Prévient les utilisateurs qui suivent un territoire ou un indicateur (page « Mes "
    "suivis ») de ce qui a changé depuis leur dernier passage : nouvelle valeur, nouveau "
    "millésime ; notification dans le portail et courriel. À lancer après chaque "
    "« observatoire build » (ou chaque jour par cron).",
)
@click.pass_obj
def alertes_cmd(settings: Settings) -> None:
    from observatoire.startup import start

    start(settings)
    from observatoire import figures
    from observatoire.publications import follows

    figures.cube()  # no cube: the French message, and nothing is compared
    told = follows.run()
    users = {n.user_id for n in told}
    console.print(
        f"{counted(len(told), 'notification')} pour {counted(len(users), 'utilisateur')}.",
        highlight=False,
    )
