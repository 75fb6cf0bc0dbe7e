"""A fiche as a tagged PDF (WeasyPrint, PDF/UA-1): language, title, headings, alternative
text and the data table of every chart. Local CSS, system fonts and the charts' data URIs
only: the renderer never fetches anything from the network.

In a batch, WeasyPrint's fixed costs are paid once per process: the stylesheet
(`templates/publications/fiche.css`) is parsed once and the fonts
are looked up once, through one FontConfiguration kept for the process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from django.template.loader import render_to_string

from observatoire.figures import PUBLIC, Reader
from observatoire.publications.fiche import Fiche


def fiche_html(f: Fiche, reader: Reader = PUBLIC) -> str:
    # Imported here: the batch's spawned workers import this module before Django is set
    # up (publications.batch), and the commentary is a model.
    from observatoire.publications import commentary

    # The team's commentary of each section the reader may read.
    notes = commentary.shown(f.territory, reader)
    return render_to_string("publications/fiche.html", {"f": f, "commentaries": notes})


@cache
def _weasy() -> tuple[Any, Any, Any]:
    """(FontConfiguration, the fiche's parsed stylesheet, offline URL fetcher), once per
    process: a batch of fiches does not look fonts up nor parse its CSS again."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fonts = FontConfiguration()
    text = (
        resources.files("observatoire.publications") / "templates" / "publications" / "fiche.css"
    ).read_text("utf-8")
    stylesheet = CSS(string=text, font_config=fonts)
    # Only the charts' data: URIs are read; no file, http(s) or other protocol.
    offline = URLFetcher(allowed_protocols=("data",))
    return fonts, stylesheet, offline


def html_pdf(html: str, *, fiche_styles: bool = False) -> bytes:
    """Any publication's HTML (fiche, annual report, deck) as a tagged PDF/UA-1; the fiche's
    stylesheet is applied to fiches only (the report and the deck carry their own)."""
    from weasyprint import HTML

    fonts, stylesheet, offline = _weasy()
    pdf: bytes = HTML(string=html, url_fetcher=offline, base_url=None).write_pdf(
        stylesheets=[stylesheet] if fiche_styles else None,
        font_config=fonts,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
    )
    return pdf


def fiche_pdf(f: Fiche, reader: Reader = PUBLIC) -> bytes:
    return html_pdf(fiche_html(f, reader), fiche_styles=True)
