"""Django project of the observatoire (the data core stays Django-free)."""

from __future__ import annotations

import os

from observatoire.settings import Settings, activate


def setup(settings: Settings) -> None:
    """Start Django on these settings (CLI commands, tests)."""
    activate(settings)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.web.settings")
    import django

    django.setup()


def start(settings: Settings) -> None:
    """Start Django and bring the database schema up to date (CLI commands)."""
    setup(settings)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
