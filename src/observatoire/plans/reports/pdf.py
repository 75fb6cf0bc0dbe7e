"""The bilan annuel as a PDF (WeasyPrint): a cover, numbered pages, the same body as the
page. Local CSS and system fonts only: the renderer never fetches anything."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from observatoire.plans.reports.payloads import BilanPayload


def bilan_pdf(payload: BilanPayload, snapshot: dict[str, Any] | None) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol allowed: no image, font, stylesheet or file URL is ever read.
    offline = URLFetcher(allowed_protocols=())
    html = render_to_string(
        "plans/reports/bilan_pdf.html", {"b": payload, "snapshot": snapshot, "pdf": True}
    )
    pdf: bytes = HTML(string=html, url_fetcher=offline, base_url=None).write_pdf()
    return pdf
