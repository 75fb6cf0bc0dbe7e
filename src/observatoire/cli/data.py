"""The data core's commands: import, build, check-secrecy, value, indicators, sources, groupings."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from observatoire.cli.console import console, err, progress_bar
from observatoire.errors import EXIT_INPUT, UserError
from observatoire.settings import Settings
from observatoire.status import Status

if TYPE_CHECKING:
    from observatoire.indicators.cube import BuildSummary


@click.command("import", help="Valider puis charger un fichier d'une source nationale.")
@click.argument("source")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--millesime", type=int, default=None, help="Millésime, s'il ne se lit pas dans le fichier."
)
@click.option(
    "--accept-fewer",
    is_flag=True,
    help="Remplacer l'import précédent même si ce fichier a moins de la moitié de ses "
    "lignes ou de ses territoires (sinon l'import s'arrête : fichier tronqué ?).",
)
@click.option(
    "--complet",
    "complete",
    multiple=True,
    metavar="DEP",
    help=(
        "DVF : le fichier contient toutes les ventes de ce département (fichier "
        "départemental d'Etalab), même si peu de ses communes y figurent ; répétable."
    ),
)
@click.pass_obj
def import_cmd(
    settings: Settings,
    source: str,
    path: Path,
    millesime: int | None,
    accept_fewer: bool,
    complete: tuple[str, ...],
) -> None:
    from observatoire.warehouse.imports import ShrinkError, import_file

    try:
        with console.status(f"Validation de {path.name}..."):
            result = import_file(
                settings, source, path, millesime, complete, accept_fewer=accept_fewer
            )
    except ShrinkError as exc:
        err.print(f"[bold red]Import arrêté.[/] {exc.render()}", highlight=False)
        err.print(
            "Rien n'a été remplacé. Si le fichier est complet, relancez la commande avec "
            "--accept-fewer pour remplacer l'import précédent.",
            highlight=False,
        )
        sys.exit(EXIT_INPUT)
    verb = "remplace l'import précédent" if result.replaced else "nouvel import"
    console.print(
        f"[green]Importé[/] : {result.source} millésime {result.millesime} ({result.part}), "
        f"{result.rows} lignes lues — {verb}.",
        highlight=False,
    )
    for note in result.notes:
        console.print(f"  • {note}", highlight=False)
    console.print("Lancez « observatoire build » pour recalculer les indicateurs.")


def build_cube(settings: Settings) -> BuildSummary:
    """The cube rebuilt under a progress bar (build and demo)."""
    from observatoire.indicators import cube
    from observatoire.indicators.catalog import catalog

    with progress_bar("Calcul des indicateurs") as progress:
        task = progress.add_task("", total=len(catalog(settings)))

        def step(code: str) -> None:
            progress.update(task, advance=1, description=code)

        return cube.build(settings, progress=step)


@click.command(help="Calculer le cube d'indicateurs à toutes les échelles (remplacé d'un bloc).")
@click.pass_obj
def build(settings: Settings) -> None:
    summary = build_cube(settings)
    console.print(
        f"[green]Cube construit[/] : {summary.rows} valeurs, {len(summary.by_indicator)} indicateurs "
        f"calculés à partir de {summary.imports} imports.",
        highlight=False,
    )
    if summary.not_loaded:
        console.print("Source non chargée pour : " + ", ".join(summary.not_loaded), highlight=False)
    for warning in summary.warnings:
        console.print(f"[yellow]Attention[/] : {warning}", highlight=False)


@click.command(
    "check-secrecy",
    help="Rejouer sur le cube publié l'attaque par différence contre le secret statistique "
    "(toutes échelles, regroupements et années) : code de sortie 1 si une valeur masquée "
    "se déduit des valeurs publiées.",
)
@click.pass_obj
def check_secrecy(settings: Settings) -> None:
    from observatoire.indicators import cube

    if not settings.cube_path.exists():
        raise UserError("Aucun cube construit : lancez « observatoire build ».")
    years = cube.check_secrecy(settings)
    exposed = [f for y in years for f in y.findings]
    for y in years:
        mark = "[red]exposé[/]" if y.findings else "[green]protégé[/]"
        console.print(
            f"{y.indicator} {y.year} : {y.masked} valeur(s) sous le seuil, "
            f"{y.complementary} masquée(s) pour les protéger — {mark}",
            highlight=False,
        )
    for f in exposed[:20]:
        console.print(f"  • {f.describe()}", highlight=False)
    if exposed:
        raise SystemExit(EXIT_INPUT)
    console.print("[green]Aucune valeur masquée ne se déduit des valeurs publiées.[/]")


@click.command(
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
def value(settings: Settings, indicator: str, territory: str, year: int | None, fmt: str) -> None:
    from observatoire.indicators.catalog import get
    from observatoire.indicators.cube import referential_for
    from observatoire.indicators.query import Cube
    from observatoire.territories import Territory

    get(indicator, settings)
    ref = referential_for(settings)
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


@click.command(help="Lister le catalogue des indicateurs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def indicators(settings: Settings, fmt: str) -> None:
    from rich.table import Table

    from observatoire.indicators.catalog import catalog

    items = list(catalog(settings).values())
    if fmt == "json":
        click.echo(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
        return
    table = Table(title="Catalogue des indicateurs")
    for col in ("Code", "Libellé", "Unité", "Agrégation", "Sources"):
        table.add_column(col)
    for i in items:
        table.add_row(i.code, i.label, i.unit, i.aggregation, ", ".join(i.sources))
    console.print(table)


@click.group(
    "sources",
    invoke_without_command=True,
    help="Lister les sources (nationales et déclarées) et les imports de ce dossier de données.",
)
@click.pass_context
def sources_cmd(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from observatoire import sources
    from observatoire.warehouse.store import list_imports

    settings: Settings = ctx.obj
    imported = list_imports(settings.warehouse_dir)
    for name in sources.names():  # the CLI activated these settings
        info = sources.get(name, settings)
        console.print(f"[bold]{name}[/] — {info.label} ({info.producer})", highlight=False)
        mine = [i for i in imported if i.source == name]
        if not mine:
            console.print("    source non chargée", highlight=False)
            if info.how_to_obtain:
                console.print(f"    où l'obtenir : {info.how_to_obtain}", highlight=False)
        for i in mine:
            p = i.provenance
            console.print(
                f"    millésime {i.millesime}, partie {i.part} : {p['file_name']}, "
                f"{p['row_count']} lignes, sha256 {str(p['sha256'])[:16]}…, importé le "
                f"{p['imported_at']}, géographie COG {p['geo_vintage'] or 'inconnue'}",
                highlight=False,
            )


@sources_cmd.command(
    "declare",
    help="Vérifier puis enregistrer une source déclarée (fichier TOML : variables, "
    "convention, diffusion, indicateurs) ; voir docs/sources-declarees/README.md.",
)
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_obj
def sources_declare(settings: Settings, path: Path) -> None:
    from observatoire.indicators.declared import declare

    decl, indicators, replaced = declare(settings, path)
    verb = "remplace la déclaration précédente" if replaced else "nouvelle source"
    console.print(
        f"[green]Source déclarée[/] : {decl.name} — {decl.label} ({verb}), diffusion "
        f"{decl.diffusion}, convention « {decl.convention} » jusqu'au {decl.end:%d/%m/%Y}.",
        highlight=False,
    )
    for code, ind in indicators.items():
        console.print(f"  • {code} : {ind.label} ({ind.diffusion})", highlight=False)
    console.print(f"Importez ses fichiers : observatoire import {decl.name} FICHIER.csv")


@click.group(help="Regroupements de communes (SCOT, secteurs PLH, secteurs PDH...).")
def groupings() -> None:
    pass


@groupings.command("import", help="Remplacer les regroupements par ceux d'un fichier CSV.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def groupings_import(settings: Settings, path: Path) -> None:
    from observatoire.territories.groupings import load_groupings, save_groupings

    found = load_groupings(path)
    save_groupings(found, settings.groupings_path)
    console.print(
        f"[green]{len(found)} regroupement(s) enregistrés.[/] Relancez « observatoire build »."
    )


def register_commands(cli: click.Group) -> None:
    for command in (import_cmd, build, check_secrecy, value, indicators, sources_cmd, groupings):
        cli.add_command(command)
