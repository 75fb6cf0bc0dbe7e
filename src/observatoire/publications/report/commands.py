"""`observatoire publications rapport`: the annual report of an EPCI or a département."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from observatoire.settings import Settings

console = Console()


@click.command(
    "rapport",
    help="L'observatoire annuel du logement d'un EPCI ou d'un département (édition "
    "grand public ou élus, PDF ou DOCX), dans DIR. La première génération d'une année "
    "fige les chiffres et les bilans des plans utilisés : les suivantes donnent le même "
    "rapport (--refresh prend une nouvelle photographie).",
)
@click.argument("territory")
@click.option("--edition", type=click.Choice(["public", "elus"]), default="public")
@click.option("--year", type=int, default=None, help="Année du rapport (défaut : l'an dernier).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--refresh", is_flag=True, help="Refaire la photographie des chiffres de l'année.")
@click.pass_obj
def rapport_cmd(
    settings: Settings,
    territory: str,
    edition: str,
    year: int | None,
    fmt: str,
    out: Path,
    refresh: bool,
) -> None:
    from observatoire.startup import start

    start(settings)
    from observatoire import figures
    from observatoire.publications.report import files

    t = files.territory(territory)
    figures.cube()  # no cube: the French message before anything is frozen
    with console.status(f"Observatoire annuel de {t.id}..."):
        f = files.report_file(t, year or date.today().year - 1, edition, fmt, refresh=refresh)
    out.mkdir(parents=True, exist_ok=True)
    (out / f.name).write_bytes(f.content)
    console.print(f"[green]Écrit[/] : {escape(str(out / f.name))}", highlight=False)
