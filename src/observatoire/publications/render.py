"""A fiche as a tagged PDF (WeasyPrint, PDF/UA-1): language, title, headings, alternative
text and the data table of every chart. Local CSS, system fonts and the charts' data URIs
only: the renderer never fetches anything from the network."""

from __future__ import annotations

from django.template.loader import render_to_string

from observatoire.figures import PUBLIC, Reader
from observatoire.publications import commentary
from observatoire.publications.fiche import Fiche


def fiche_html(f: Fiche, reader: Reader = PUBLIC) -> str:
    # The team's commentary of each section the reader may read (publications.commentary).
    notes = commentary.shown(f.territory, reader)
    return render_to_string("publications/fiche.html", {"f": f, "commentaries": notes})


def html_pdf(html: str) -> bytes:
    """Any publication's HTML (fiche, annual report, deck) as a tagged PDF/UA-1."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only the charts' data: URIs are read; no file, http(s) or other protocol.
    offline = URLFetcher(allowed_protocols=("data",))
    pdf: bytes = HTML(string=html, url_fetcher=offline, base_url=None).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
    return pdf


def fiche_pdf(f: Fiche, reader: Reader = PUBLIC) -> bytes:
    return html_pdf(fiche_html(f, reader))
