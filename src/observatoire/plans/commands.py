"""`observatoire plans ...`: import / export plan workbooks (French messages).

The CLI registers the group through `register_commands` and runs every command inside
its error wrapper: this module never imports the CLI."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from observatoire.errors import EXIT_INPUT, UserError
from observatoire.settings import Settings

console = Console()
err = Console(stderr=True)


@click.group(help="Plans (PLH, PDH, PD2H...) : import et export des classeurs Excel.")
def plans() -> None:
    pass


def register_commands(cli: click.Group) -> None:
    cli.add_command(plans)


@plans.command(
    "import",
    help="Contrôler puis importer un plan depuis un classeur Excel (modèle docs/modele-plan.md). "
    "Un plan de même type, territoire et première année est remplacé d'un bloc.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def import_cmd(settings: Settings, path: Path) -> None:
    from observatoire.startup import start

    start(settings)
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
def export_cmd(settings: Settings, plan_id: int, path: Path) -> None:
    from observatoire.startup import start

    start(settings)
    from observatoire.plans.models import Plan
    from observatoire.plans.workbook import export_workbook

    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise UserError(f"aucun plan n° {plan_id} (liste : « observatoire plans list »).")
    path.write_bytes(export_workbook(plan))
    console.print(f"[green]Exporté[/] : {escape(plan.title)} → {path}", highlight=False)


@plans.command("list", help="Lister les plans enregistrés.")
@click.pass_obj
def list_cmd(settings: Settings) -> None:
    from django.db.models import Count
    from rich.table import Table

    from observatoire.startup import start

    start(settings)
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
