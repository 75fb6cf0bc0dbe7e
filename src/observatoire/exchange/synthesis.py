"""The cahier de synthèse of a call: its text in blocks (titles and paragraphs), and the
PDF rendered by WeasyPrint with the packaged CSS, no network access."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from observatoire.exchange.models import Call

CSS = Path(__file__).parent / "static" / "exchange" / "synthese.css"


def blocks(text: str) -> list[dict[str, str]]:
    """Paragraphs separated by blank lines; a line starting with "#" is a part title."""
    out: list[dict[str, str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append({"kind": "p", "text": "\n".join(paragraph)})
            paragraph.clear()

    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            out.append({"kind": "h", "text": stripped.lstrip("#").strip()})
        else:
            paragraph.append(stripped)
    flush()
    return out


def render_pdf(call: Call, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol allowed: the PDF never fetches anything (no image, font or file URL).
    offline = URLFetcher(allowed_protocols=())

    html = render_to_string(
        "exchange/synthesis_pdf.html",
        {**context, "call": call, "blocks": blocks(call.synthesis), "now": timezone.now()},
    )
    css = WeasyCSS(string=CSS.read_text(encoding="utf-8"), url_fetcher=offline)
    document = HTML(string=html, url_fetcher=offline, base_url=None)
    pdf: bytes = document.write_pdf(stylesheets=[css])
    return pdf
