"""The pages every public French website links from its footer: déclaration
d'accessibilité, mentions légales, données personnelles, plan du site.

The plan du site is generated from `MENU` (the header's navigation, rendered from the same
list) and `FOOTER` (these pages), so a new section appears in both without a second list."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

# (label, URL name or absolute path): paths for the apps the portal does not import.
MENU = (
    ("Rechercher un territoire", "portal:home"),
    ("Explorer", "portal:explorer"),
    ("Comparer", "portal:compare"),
    ("Indicateurs", "portal:indicators"),
    ("Couverture", "portal:coverage"),
    ("Données ouvertes", "portal:releases"),
    ("Plans", "/plans/"),
    ("Échanges", "/echanges/"),
    ("Contributions", "/contributions/"),
    ("API ouverte", "/api/v1/docs"),
)
FOOTER = (
    ("Plan du site", "portal:sitemap"),
    ("Accessibilité : partiellement conforme", "portal:accessibility"),
    ("Mentions légales", "portal:legal"),
    ("Données personnelles", "portal:privacy"),
)
# Date of the last self-assessment (axe-core on the main pages, keyboard and zoom checks);
# no full RGAA audit has been made yet, hence "partiellement conforme", never more.
AUDIT_DATE = datetime.date(2026, 12, 5)


def links(entries: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(label, to if to.startswith("/") else reverse(to)) for label, to in entries]


def _page(request: HttpRequest, template: str, title: str, **extra: object) -> HttpResponse:
    context = {"title": title, "contact": settings.DEFAULT_FROM_EMAIL, **extra}
    return render(request, f"portal/{template}.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return _page(request, "accessibility", "Déclaration d'accessibilité", audit_date=AUDIT_DATE)


def legal(request: HttpRequest) -> HttpResponse:
    return _page(request, "legal", "Mentions légales")


def privacy(request: HttpRequest) -> HttpResponse:
    return _page(request, "privacy", "Données personnelles")


def sitemap(request: HttpRequest) -> HttpResponse:
    return _page(request, "sitemap", "Plan du site", menu=links(MENU), footer=links(FOOTER))
