"""Plan workbooks: import (administrators and animateurs), export (public, like the
plan pages). The POST carries no valid workbook: allowed roles get the form back with
the error, denied roles are refused and nothing changes."""

from __future__ import annotations

from tests.matrix.cases import EVERYONE, Case, expect

IMPORTERS = ("admin", "animateur")


def _export_path() -> str:
    from observatoire.plans.models import Plan

    plan = Plan.objects.order_by("pk").first()
    if plan is None:
        plan = Plan.objects.create(
            title="Plan de la matrice des droits",
            type="PIG",
            territory="EPCI:246200364",
            start_year=2090,
            end_year=2095,
        )
    return f"/plans/{plan.pk}/export.xlsx"


def _import_data() -> dict[str, str]:
    return {"classeur": "pas un fichier"}


CASES = [
    Case("plans:import", "/plans/importer/", expect(IMPORTERS, anonymous=302)),
    Case(
        "plans:import",
        "/plans/importer/",
        expect(IMPORTERS, anonymous=302),
        method="POST",
        data=_import_data,
    ),
    Case("plans:export", _export_path, expect(EVERYONE)),
]
