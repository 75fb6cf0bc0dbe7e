"""The plan workbook (template: docs/modele-plan.md): `format` describes the template,
`read` reads and checks the cells, `checks` the sheets and the references between them,
`write` exports a plan, `store` saves a checked plan. The public API is re-exported here."""

from observatoire.plans.workbook.store import (
    ParsedPlan,
    WorkbookError,
    export_workbook,
    find_existing,
    import_workbook,
    read_workbook,
    save,
)

__all__ = [
    "ParsedPlan",
    "WorkbookError",
    "export_workbook",
    "find_existing",
    "import_workbook",
    "read_workbook",
    "save",
]
