"""The deck as a tagged PDF: one landscape page per slide, with the fiches' renderer."""

from __future__ import annotations

from django.template.loader import render_to_string

from observatoire.publications.deck.slides import Slide
from observatoire.publications.render import html_pdf


def deck_pdf(deck: list[Slide], title: str) -> bytes:
    return html_pdf(render_to_string("publications/deck.html", {"deck": deck, "title": title}))
