"""`observatoire check [--deploy]`: Django's system checks, and with --deploy the
security checks run on the production settings (OBSERVATOIRE_SECRET_KEY and
OBSERVATOIRE_ALLOWED_HOSTS taken from the environment). Any warning fails."""

from __future__ import annotations

import dataclasses
from typing import Any

import click
from rich.console import Console

from observatoire.settings import Settings

err = Console(stderr=True)


@click.command(
    "check",
    help=(
        "Vérifier la configuration ; avec --deploy, les réglages de sécurité de production "
        "(variables OBSERVATOIRE_SECRET_KEY et OBSERVATOIRE_ALLOWED_HOSTS). "
        "Code de sortie non nul au moindre avertissement."
    ),
)
@click.option("--deploy", is_flag=True, help="Contrôles de sécurité d'un déploiement.")
@click.pass_obj
def check(settings: Settings, deploy: bool) -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from observatoire.startup import setup

    if deploy:
        settings = dataclasses.replace(settings, production=True)
    setup(settings)
    try:
        call_command("check", deploy=deploy, fail_level="WARNING")
    except SystemCheckError as exc:
        err.print(str(exc), highlight=False, markup=False, soft_wrap=True)
        err.print("[bold red]Vérification échouée[/] : corrigez les points ci-dessus.")
        raise SystemExit(1) from None
    click.echo("Vérification réussie : aucun problème détecté.")


def production_checks(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Deploy checks of our own: the settings an administrator must give in production."""
    from django.core.checks import Warning

    from observatoire.settings import active

    config = active()
    if not config.production:
        return []
    out = []
    if not config.secret_key:
        out.append(
            Warning(
                "OBSERVATOIRE_SECRET_KEY n'est pas renseignée : la clé est générée dans le "
                "dossier de données ; fixez-la (50 caractères aléatoires) pour que tous les "
                "serveurs partagent la même.",
                id="observatoire.W001",
            )
        )
    if set(config.allowed_hosts) <= {"127.0.0.1", "localhost"}:
        out.append(
            Warning(
                "OBSERVATOIRE_ALLOWED_HOSTS n'est pas renseignée : indiquez le nom de domaine "
                "public du portail.",
                id="observatoire.W002",
            )
        )
    return out
