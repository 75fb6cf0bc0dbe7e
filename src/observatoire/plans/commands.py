"""`observatoire plans ...`: import / export plan workbooks (French messages)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.markup import escape

from observatoire.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """The CLI's `friendly` (French errors, never a traceback), looked up when called:
    observatoire.cli imports this module."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from observatoire.cli import friendly as cli_friendly

        return cli_friendly(func)(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _start(settings: Settings) -> None:
    from observatoire.web import start

    start(settings)


@click.group(help="Plans (PLH, PDH, PD2H...) : import et export des classeurs Excel.")
def plans() -> None:
    pass


@plans.command(
    "import",
    help="Contrôler puis importer un plan depuis un classeur Excel (modèle docs/modele-plan.md). "
    "Un plan de même type, territoire et première année est remplacé d'un bloc.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@friendly
def import_cmd(settings: Settings, path: Path) -> None:
    from observatoire.cli import EXIT_INPUT, console, err

    _start(settings)
    from observatoire.plans.workbook import WorkbookError, find_existing, read_workbook, save

    with console.status(f"Contrôle de {path.name}..."):
        parsed, problems = read_workbook(path)
    if parsed is None:
        err.print("[bold red]Classeur refusé.[/]")
        err.print(
            WorkbookError(path.name, problems).render(),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise click.exceptions.Exit(EXIT_INPUT)
    replaced = find_existing(parsed) is not None
    plan = save(parsed)
    verb = "remplace le plan précédent" if replaced else "nouveau plan"
    console.print(
        f"[green]Importé[/] : {escape(plan.title)} ({plan.type} {plan.territory}, "
        f"{plan.period}), n° {plan.pk} — {verb}.",
        highlight=False,
    )
    console.print(
        f"  {len(parsed.orientations)} orientations, {len(parsed.actions)} actions, "
        f"{len(parsed.actors)} acteurs, {len(parsed.budget)} lignes de budget, "
        f"{len(parsed.milestones)} jalons, {len(parsed.indicators)} indicateurs, "
        f"{len(parsed.objectives)} objectifs.",
        highlight=False,
    )


@plans.command("export", help="Exporter le plan n° ID dans un classeur Excel (même modèle).")
@click.argument("plan_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@friendly
def export_cmd(settings: Settings, plan_id: int, path: Path) -> None:
    from observatoire.cli import EXIT_USAGE, console, err

    _start(settings)
    from observatoire.plans.models import Plan
    from observatoire.plans.workbook import export_workbook

    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        err.print(
            f"[bold red]Erreur :[/] aucun plan n° {plan_id} (liste : « observatoire plans list »).",
            highlight=False,
        )
        raise click.exceptions.Exit(EXIT_USAGE)
    path.write_bytes(export_workbook(plan))
    console.print(f"[green]Exporté[/] : {escape(plan.title)} → {path}", highlight=False)


@plans.command("list", help="Lister les plans enregistrés.")
@click.pass_obj
@friendly
def list_cmd(settings: Settings) -> None:
    from django.db.models import Count
    from rich.table import Table

    from observatoire.cli import console

    _start(settings)
    from observatoire.plans.models import Plan

    found = Plan.objects.annotate(n_actions=Count("actions")).order_by("type", "territory")
    if not found:
        console.print("Aucun plan : importez-en un avec « observatoire plans import ».")
        return
    table = Table(title="Plans")
    for col in ("N°", "Type", "Territoire", "Période", "Intitulé", "Actions"):
        table.add_column(col)
    for p in found:
        actions = str(p.n_actions)
        table.add_row(str(p.pk), p.type, p.territory.id, p.period, escape(p.title), actions)
    console.print(table)
