"""`observatoire`: the command line of the observatoire (French help and messages)."""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from observatoire import demo as demo_module
from observatoire import sources
from observatoire.accounts import commands as accounts_commands
from observatoire.accounts import deploy as accounts_deploy
from observatoire.indicators import cube as cube_module
from observatoire.indicators.catalog import CatalogError, catalog
from observatoire.indicators.query import Cube, QueryError
from observatoire.plans import commands as plans_commands
from observatoire.settings import Settings
from observatoire.sources.base import SourceError
from observatoire.status import Status
from observatoire.territories import Territory, TerritoryError
from observatoire.territories.groupings import GroupingError, load_groupings, save_groupings
from observatoire.warehouse.imports import import_file
from observatoire.warehouse.store import list_imports

console = Console()
err = Console(stderr=True)

EXIT_INPUT = 1  # the file was refused, nothing stored
EXIT_USAGE = 2  # unknown indicator / territory / source, bad option
EXIT_INTERNAL = 70

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn every error into a French message and an exit code: never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except SourceError as exc:
            err.print(f"[bold red]Import refusé.[/] {exc.render()}", highlight=False)
            ctx.exit(EXIT_INPUT)
        except GroupingError as exc:
            err.print(f"[bold red]Regroupements refusés.[/] {exc}", highlight=False)
            ctx.exit(EXIT_INPUT)
        except (TerritoryError, CatalogError, KeyError) as exc:
            message = exc.args[0] if exc.args else str(exc)
            err.print(f"[bold red]Erreur :[/] {message}", highlight=False)
            ctx.exit(EXIT_USAGE)
        except QueryError as exc:
            err.print(f"[bold red]Erreur :[/] {exc}", highlight=False)
            ctx.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # last resort: log, never show a traceback
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
            ctx.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


@click.group(
    help="Observatoire de l'habitat et de l'hébergement : données, indicateurs, territoires."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="OBSERVATOIRE_DATA_DIR",
    default=None,
    help="Dossier des données (entrepôt, imports, cube). Variable OBSERVATOIRE_DATA_DIR, défaut ./var.",
)
@click.version_option(package_name="observatoire", message="observatoire %(version)s")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    ctx.obj = Settings.from_env(data_dir)


@main.command("import", help="Valider puis charger un fichier d'une source nationale.")
@click.argument("source")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--millesime", type=int, default=None, help="Millésime, s'il ne se lit pas dans le fichier."
)
@click.pass_obj
@friendly
def import_cmd(settings: Settings, source: str, path: Path, millesime: int | None) -> None:
    with console.status(f"Validation de {path.name}..."):
        result = import_file(settings, source, path, millesime)
    verb = "remplace l'import précédent" if result.replaced else "nouvel import"
    console.print(
        f"[green]Importé[/] : {result.source} millésime {result.millesime} ({result.part}), "
        f"{result.rows} lignes lues — {verb}.",
        highlight=False,
    )
    for note in result.notes:
        console.print(f"  • {note}", highlight=False)
    console.print("Lancez « observatoire build » pour recalculer les indicateurs.")


def _build(settings: Settings) -> cube_module.BuildSummary:
    with Progress(
        TextColumn("[bold]Calcul des indicateurs[/]"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} {task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=len(catalog()))

        def step(code: str) -> None:
            progress.update(task, advance=1, description=code)

        return cube_module.build(settings, progress=step)


@main.command(help="Calculer le cube d'indicateurs à toutes les échelles (remplacé d'un bloc).")
@click.pass_obj
@friendly
def build(settings: Settings) -> None:
    summary = _build(settings)
    console.print(
        f"[green]Cube construit[/] : {summary.rows} valeurs, {len(summary.by_indicator)} indicateurs "
        f"calculés à partir de {summary.imports} imports.",
        highlight=False,
    )
    if summary.not_loaded:
        console.print("Source non chargée pour : " + ", ".join(summary.not_loaded), highlight=False)
    for warning in summary.warnings:
        console.print(f"[yellow]Attention[/] : {warning}", highlight=False)


@main.command(
    help="Afficher la valeur d'un indicateur pour un territoire (ex. COM:62498, EPCI:246200364, DEP:62, FR)."
)
@click.argument("indicator")
@click.argument("territory")
@click.option(
    "--year", type=int, default=None, help="Année des données (défaut : la plus récente)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Format de sortie."
)
@click.pass_obj
@friendly
def value(settings: Settings, indicator: str, territory: str, year: int | None, fmt: str) -> None:
    from observatoire.indicators.catalog import get

    get(indicator)
    ref = cube_module.referential_for(settings)
    t = ref.check(Territory.parse(territory))
    with Cube(settings, ref) as cube:
        v = cube.value(indicator, t, year)
    if fmt == "json":
        click.echo(json.dumps(v.as_dict(), ensure_ascii=False))
    else:
        year_text = v.year if v.year is not None else "—"
        console.print(
            f"{v.indicator.label} — {v.name} ({t.id}), {year_text} : [bold]{v.formatted()}[/]",
            highlight=False,
        )
        if v.source:
            console.print(
                f"Source : {v.source_detail}, millésime {v.millesime}"
                + (f", géographie COG {v.geo_vintage}" if v.geo_vintage else ""),
                highlight=False,
            )
        if v.note:
            console.print(f"Note : {v.note}", highlight=False)
    if v.status == Status.MISSING:
        sys.exit(EXIT_INPUT)


@main.command(help="Lister le catalogue des indicateurs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def indicators(fmt: str) -> None:
    items = list(catalog().values())
    if fmt == "json":
        click.echo(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
        return
    table = Table(title="Catalogue des indicateurs")
    for col in ("Code", "Libellé", "Unité", "Agrégation", "Sources"):
        table.add_column(col)
    for i in items:
        table.add_row(i.code, i.label, i.unit, i.aggregation, ", ".join(i.sources))
    console.print(table)


@main.command(
    "sources", help="Lister les sources nationales et les imports de ce dossier de données."
)
@click.pass_obj
@friendly
def sources_cmd(settings: Settings) -> None:
    imported = list_imports(settings.warehouse_dir)
    for name in sources.names():
        info = sources.get(name)
        console.print(f"[bold]{name}[/] — {info.label} ({info.producer})", highlight=False)
        mine = [i for i in imported if i.source == name]
        if not mine:
            console.print("    source non chargée", highlight=False)
        for i in mine:
            p = i.provenance
            console.print(
                f"    millésime {i.millesime}, partie {i.part} : {p['file_name']}, "
                f"{p['row_count']} lignes, sha256 {str(p['sha256'])[:16]}…, importé le "
                f"{p['imported_at']}, géographie COG {p['geo_vintage'] or 'inconnue'}",
                highlight=False,
            )


@main.group(help="Regroupements de communes (SCOT, secteurs PLH, secteurs PDH...).")
def groupings() -> None:
    pass


@groupings.command("import", help="Remplacer les regroupements par ceux d'un fichier CSV.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@friendly
def groupings_import(settings: Settings, path: Path) -> None:
    found = load_groupings(path)
    save_groupings(found, settings.groupings_path)
    console.print(
        f"[green]{len(found)} regroupement(s) enregistrés.[/] Relancez « observatoire build »."
    )


def _start_django(settings: Settings) -> None:
    from observatoire.web import start

    start(settings)


@main.command(help="Servir le portail web (base embarquée SQLite, cube en lecture seule).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port d'écoute.")
@click.pass_obj
@friendly
def serve(settings: Settings, host: str, port: int) -> None:
    _serve(settings, host, port)


def _serve(settings: Settings, host: str, port: int) -> None:
    from django.core.management import call_command

    _start_django(settings)
    console.print(f"Portail disponible sur http://{host}:{port}/ (Ctrl+C pour arrêter).")
    call_command("runserver", f"{host}:{port}", use_reloader=False, verbosity=0)


@main.command(
    "manage",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    help="Commandes d'administration Django (migrate, createsuperuser, check --deploy...).",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def manage(settings: Settings, args: tuple[str, ...]) -> None:
    from django.core.management import execute_from_command_line

    from observatoire.web import setup

    setup(settings)
    execute_from_command_line(["observatoire manage", *args])


@main.command(
    help="Construire la démonstration à partir des extraits réels fournis, puis servir le portail."
)
@click.option("--no-serve", is_flag=True, help="Construire seulement, sans lancer le portail.")
@click.pass_obj
@friendly
def demo(settings: Settings, no_serve: bool) -> None:
    files = demo_module.files()
    with Progress(
        TextColumn("[bold]Import des extraits réels[/]"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} {task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=len(files))
        for source, path in files:
            progress.update(task, description=path.name)
            import_file(settings, source, path)
            progress.advance(task)
    demo_module.install_groupings(settings)
    summary = _build(settings)
    demo_module.print_summary(console, settings, summary)
    _start_django(settings)
    from observatoire.web import demo as web_demo

    web_demo.load(console)
    if not no_serve:
        _serve(settings, "127.0.0.1", 8000)


main.add_command(plans_commands.plans)
main.add_command(accounts_commands.user)
main.add_command(accounts_deploy.check)


if __name__ == "__main__":  # pragma: no cover
    main()
