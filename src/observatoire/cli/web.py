"""The commands that start the web side: serve, manage, demo."""

from __future__ import annotations

import click

from observatoire.cli.console import console, progress_bar
from observatoire.cli.data import build_cube
from observatoire.settings import Settings


@click.command(help="Servir le portail web (base embarquée SQLite, cube en lecture seule).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port d'écoute.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int) -> None:
    _serve(settings, host, port)


def _serve(settings: Settings, host: str, port: int) -> None:
    from django.core.management import call_command

    from observatoire.startup import start

    start(settings)
    console.print(f"Portail disponible sur http://{host}:{port}/ (Ctrl+C pour arrêter).")
    call_command("runserver", f"{host}:{port}", use_reloader=False, verbosity=0)


@click.command(
    "manage",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    help="Commandes d'administration Django (migrate, createsuperuser, check --deploy...).",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def manage(settings: Settings, args: tuple[str, ...]) -> None:
    from django.core.management import execute_from_command_line

    from observatoire.startup import setup

    setup(settings)
    execute_from_command_line(["observatoire manage", *args])


@click.command(
    help="Construire la démonstration à partir des extraits réels fournis, puis servir le portail."
)
@click.option("--no-serve", is_flag=True, help="Construire seulement, sans lancer le portail.")
@click.pass_obj
def demo(settings: Settings, no_serve: bool) -> None:
    from observatoire import demo as demo_module
    from observatoire.startup import start
    from observatoire.warehouse.imports import import_file

    files = demo_module.files()
    with progress_bar("Import des extraits réels") as progress:
        task = progress.add_task("", total=len(files))
        for source, path in files:
            progress.update(task, description=path.name)
            import_file(settings, source, path)
            progress.advance(task)
    demo_module.install_groupings(settings)
    summary = build_cube(settings)
    demo_module.print_summary(console, settings, summary)
    start(settings)
    from observatoire.web import demo as web_demo

    web_demo.load(console)
    if not no_serve:
        _serve(settings, "127.0.0.1", 8000)


def register_commands(cli: click.Group) -> None:
    for command in (serve, manage, demo):
        cli.add_command(command)
