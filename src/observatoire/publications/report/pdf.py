"""The annual report as a tagged PDF (PDF/UA-1), with the fiches' renderer."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from observatoire.publications.render import html_pdf
from observatoire.publications.report.content import EDITIONS, ELUS_EDITION
from observatoire.publications.report.plans import BUDGET_HEADER, COMMUNES_HEADER, plan_lines


def report_html(r: dict[str, Any], edition: str) -> str:
    return render_to_string(
        "publications/report.html",
        {
            "r": r,
            "edition_label": EDITIONS[edition],
            # The public edition has no plan section at all.
            "plans": [plan_lines(b) for b in r["plans"]] if edition == ELUS_EDITION else None,
            "budget_header": BUDGET_HEADER,
            "communes_header": COMMUNES_HEADER,
        },
    )


def report_pdf(r: dict[str, Any], edition: str) -> bytes:
    return html_pdf(report_html(r, edition))
