"""The migrations describe the models exactly: a model change without its migration would
reach users' databases as a crash at the first page that reads the new column."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from observatoire.settings import Settings

pytestmark = pytest.mark.embedded


def test_no_model_change_is_missing_its_migration(web: Settings) -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when one is missing
        pytest.fail(f"Migrations manquantes :\n{out.getvalue()}")
        raise AssertionError from exc
    assert "No changes detected" in out.getvalue()


def test_every_migration_is_applied_to_the_demo_database(web: Settings) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
