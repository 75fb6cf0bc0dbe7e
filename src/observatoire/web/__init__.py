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
