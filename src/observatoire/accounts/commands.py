"""`observatoire user ...` and `observatoire check`: accounts and configuration from the
command line (scripts, checks). The CLI registers them through `register_commands`."""

from __future__ import annotations

import click
from rich.console import Console

from observatoire.accounts.deploy import check
from observatoire.errors import EXIT_USAGE
from observatoire.settings import Settings

console = Console()
err = Console(stderr=True)


@click.group(help="Comptes utilisateurs (création, jetons d'API).")
def user() -> None:
    pass


def register_commands(cli: click.Group) -> None:
    cli.add_command(user)
    cli.add_command(check)


KINDS = (
    "departement",
    "region",
    "etat",
    "epci",
    "commune",
    "bailleur",
    "adil",
    "operateur",
    "association",
    "agence_urbanisme",
    "etablissement_public",
    "autre",
)


@user.command(
    "create",
    help=(
        "Créer (ou mettre à jour) un compte avec son organisation, son rôle et ses territoires, "
        "et lui délivrer un jeton d'API : la clé est imprimée seule sur la dernière ligne."
    ),
)
@click.option("--email", required=True, help="Adresse électronique (identifiant de connexion).")
@click.option(
    "--organisation", required=True, help="Nom de l'organisation (créée si elle n'existe pas)."
)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "animateur", "contributeur", "lecteur"]),
    help="Rôle : admin, animateur, contributeur ou lecteur.",
)
@click.option(
    "--territory",
    "territories",
    multiple=True,
    help="Territoire du périmètre (répétable), par exemple EPCI:246200364 ou DEP:62.",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Type de l'organisation si elle est créée (défaut : déduit du territoire, sinon autre).",
)
@click.option("--label", default="ligne de commande", show_default=True, help="Libellé du jeton.")
@click.pass_obj
def create(
    settings: Settings,
    email: str,
    organisation: str,
    role: str,
    territories: tuple[str, ...],
    kind: str | None,
    label: str,
) -> None:
    from observatoire.startup import start

    start(settings)
    from observatoire.accounts import provisioning

    try:
        result = provisioning.create_user(email, organisation, role, list(territories), kind)
    except provisioning.ProvisioningError as exc:
        err.print(f"[bold red]Erreur :[/] {exc}", highlight=False)
        raise SystemExit(EXIT_USAGE) from None
    from observatoire.accounts.models import ApiToken

    _, key = ApiToken.issue(result.user, label=label)
    verb = "créé" if result.created else "mis à jour"
    scope = ", ".join(result.territories) or "aucun territoire"
    console.print(
        f"Compte {verb} : {result.user.email}, {result.role_label}, organisation "
        f"« {result.organisation.name} », périmètre : {scope}.",
        highlight=False,
    )
    console.print("Jeton d'API (affiché une seule fois) :", highlight=False)
    click.echo(key)
