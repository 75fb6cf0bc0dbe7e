"""The page « Couverture de l'observatoire »: generated from the catalog and the declared
mapping `indicators/coverage.toml`, with the millésimes loaded in the warehouse."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from observatoire import figures
from observatoire.indicators.coverage import GROUPS
from observatoire.portal.views import readable


def coverage(request: HttpRequest) -> HttpResponse:
    report = figures.coverage_report()
    groups = [
        {
            "key": key,
            "label": GROUPS[key],
            "fields": [
                {
                    "item": f,
                    "indicators": [(i, readable(i, request)) for i in f.indicators],
                }
                for f in fields
            ],
        }
        for key, fields in report.items()
    ]
    return render(
        request,
        "portal/coverage.html",
        {"title": "Couverture de l'observatoire", "groups": groups},
    )
