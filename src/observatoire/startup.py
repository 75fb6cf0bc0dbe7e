"""Starting Django on the one settings object (CLI commands, tests).

It lives outside `observatoire.web`, the Django project that includes every app's URLs:
the apps' commands start Django from here without importing the project above them."""

from __future__ import annotations

import os

from observatoire.settings import Settings, activate


def setup(settings: Settings) -> None:
    """Start Django on these settings."""
    activate(settings)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.web.settings")
    import django

    django.setup()


def start(settings: Settings) -> None:
    """Start Django and bring the database schema up to date."""
    setup(settings)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
