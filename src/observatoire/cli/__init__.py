"""`observatoire`: the command line of the observatoire (French help and messages).

Every sub-command is registered in `register_commands` below, in one place: the data
core's (`cli.data`), the web side's (`cli.web`), and one click group per app, which the
app adds itself through its own `register_commands(cli)` (as datasette plugins do), so
that no app imports this package. Every sub-command runs inside the one `friendly` error
wrapper (`cli.errors`). Django starts through `observatoire.startup.start`, only in the
commands that need it; heavy libraries (pandera, polars, duckdb, Django, openpyxl,
weasyprint) are imported inside the commands that use them: `observatoire --help`
answers without them."""

from __future__ import annotations

from pathlib import Path

import click

from observatoire.cli.errors import FriendlyGroup
from observatoire.settings import Settings, activate


@click.group(
    cls=FriendlyGroup,
    help="Observatoire de l'habitat et de l'hébergement : données, indicateurs, territoires.",
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
    # Activated: a value's source (a declared one) is looked up in this data dir.
    ctx.obj = activate(Settings.from_env(data_dir))


def register_commands(cli: click.Group) -> None:
    """Every sub-command of `observatoire`."""
    from observatoire.accounts import commands as accounts
    from observatoire.cli import data, releases, web
    from observatoire.contributions import commands as contributions
    from observatoire.plans import commands as plans
    from observatoire.publications import commands as publications

    for register in (
        data.register_commands,
        web.register_commands,
        plans.register_commands,
        accounts.register_commands,
        contributions.register_commands,
        publications.register_commands,
        # After the fiches: `release` joins the same `publications` group.
        releases.register_commands,
    ):
        register(cli)


register_commands(main)

__all__ = ["main", "register_commands"]
