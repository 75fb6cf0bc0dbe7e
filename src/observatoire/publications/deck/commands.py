"""`observatoire publications cinq-minutes`: the deck for the opening of a commission."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from observatoire.settings import Settings

console = Console()


@click.command(
    "cinq-minutes",
    help="« Les 5 minutes de l'observatoire » d'un territoire (5 à 8 diapositives : chiffres "
    "clés, un graphique par thème choisi, avancement des plans, changements depuis la "
    "dernière publication de données ouvertes), en PPTX ou PDF, dans DIR.",
)
@click.argument("territory")
@click.option(
    "--themes",
    required=True,
    help="De 1 à 4 thèmes du catalogue, séparés par des virgules (« Parc,Vacance »).",
)
@click.option("--format", "fmt", type=click.Choice(["pptx", "pdf"]), default="pptx")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def cinq_minutes_cmd(settings: Settings, territory: str, themes: str, fmt: str, out: Path) -> None:
    from observatoire.startup import start

    start(settings)
    from observatoire import figures
    from observatoire.errors import UserError
    from observatoire.publications.deck.files import deck_file
    from observatoire.releases.writer import releases_dir
    from observatoire.territories import Territory, TerritoryError

    try:
        t = figures.check(Territory.parse(territory))
    except TerritoryError as exc:
        raise UserError(str(exc)) from None
    figures.cube()
    wanted = [theme for theme in themes.split(",") if theme.strip()]
    with console.status(f"Les 5 minutes de l'observatoire : {t.id}..."):
        f = deck_file(t, wanted, fmt, releases_dir(settings))
    out.mkdir(parents=True, exist_ok=True)
    (out / f.name).write_bytes(f.content)
    console.print(f"[green]Écrit[/] : {escape(str(out / f.name))}", highlight=False)
