"""The annual report as a file, for the CLI and the animateurs' page alike: which
territory may have one, its file name, its bytes in the chosen edition and format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from observatoire import figures
from observatoire.errors import UserError
from observatoire.publications.report.content import EDITIONS
from observatoire.publications.report.snapshot import frozen
from observatoire.territories import Level, Territory, TerritoryError

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LEVELS = (Level.EPCI, Level.DEP)
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class File:
    name: str
    content: bytes
    content_type: str


def territory(raw: str) -> Territory:
    """The territory of a report: an EPCI or a département the referential knows."""
    try:
        t = figures.check(Territory.parse(raw))
    except TerritoryError as exc:
        raise UserError(str(exc)) from None
    if t.level not in LEVELS:
        raise UserError(
            f"L'observatoire annuel se fait pour un EPCI ou un département, pas pour "
            f"« {raw} » ({t.level.label})."
        )
    return t


def check(edition: str, year: int, fmt: str) -> None:
    if edition not in EDITIONS:
        raise UserError(f"Édition « {edition} » inconnue : {' ou '.join(EDITIONS)}.")
    if fmt not in FORMATS:
        raise UserError(f"Format « {fmt} » inconnu : {' ou '.join(FORMATS)}.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"Année « {year} » hors de {FIRST_YEAR}-{LAST_YEAR}.")


def report_file(
    t: Territory, year: int, edition: str, fmt: str, user: Any = None, refresh: bool = False
) -> File:
    check(edition, year, fmt)
    r = frozen(t, year, user=user, refresh=refresh)
    if fmt == "pdf":
        from observatoire.publications.report.pdf import report_pdf

        content = report_pdf(r, edition)
    else:
        from observatoire.publications.report.docx import report_docx

        content = report_docx(r, edition)
    name = f"observatoire-annuel-{year}-{t.code}-{slugify(r['name'])}-{edition}.{fmt}"
    return File(name, content, FORMATS[fmt])
