"""The deck as a file, for the CLI and the animateurs' page alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.utils.text import slugify

from observatoire import figures
from observatoire.errors import UserError
from observatoire.publications.deck.slides import slides
from observatoire.publications.report.files import File
from observatoire.territories import Territory

FORMATS = ("pptx", "pdf")


def deck_file(
    t: Territory, themes: list[str], fmt: str, releases: Path, today: date | None = None
) -> File:
    if fmt not in FORMATS:
        raise UserError(f"Format « {fmt} » inconnu : {' ou '.join(FORMATS)}.")
    today = today or date.today()
    deck = slides(t, themes, releases, today)
    title = deck[0].title
    name = f"cinq-minutes-{t.code}-{slugify(figures.territory_name(t))}-{today.isoformat()}.{fmt}"
    if fmt == "pptx":
        from observatoire.publications.deck.pptx import CONTENT_TYPE, deck_pptx

        return File(name, deck_pptx(deck, title), CONTENT_TYPE)
    from observatoire.publications.deck.pdf import deck_pdf

    return File(name, deck_pdf(deck, title), "application/pdf")
