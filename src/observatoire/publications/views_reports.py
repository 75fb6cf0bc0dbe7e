"""Pages for the animateurs: the annual report (public or élus edition, PDF or DOCX) and
« Les 5 minutes de l'observatoire » (PPTX or PDF) of a territory of their scope. GET shows
the form, POST generates and returns the file (the report's first generation of a year
freezes its figures). Deny by default: admins and animateurs whose scope covers the
territory; no élus role exists in accounts, so the élus edition follows the same rule."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from observatoire.accounts import refusals
from observatoire.accounts.permissions import has_role, in_scope
from observatoire.errors import UserError
from observatoire.figures import QueryError
from observatoire.publications.deck import files as deck_files
from observatoire.publications.deck.slides import known_themes
from observatoire.publications.report import files as report_files
from observatoire.publications.report.content import EDITIONS
from observatoire.publications.report.files import File
from observatoire.releases.writer import releases_dir
from observatoire.settings import active
from observatoire.territories import Territory

REFUSED = (
    "Les publications d'un territoire sont générées par les animateurs dont le périmètre "
    "le couvre et par les administrateurs."
)


def _allowed(request: HttpRequest, t: Territory) -> bool:
    return has_role(request.user, "animateur") and in_scope(request.user, t)


def _download(f: File) -> HttpResponse:
    response = HttpResponse(f.content, content_type=f.content_type)
    response["Content-Disposition"] = f'attachment; filename="{f.name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _territory(territory_id: str) -> Territory:
    try:
        return report_files.territory(territory_id)
    except UserError as exc:
        raise Http404(str(exc)) from None


@login_required
@require_http_methods(["GET", "POST"])
def report_view(request: HttpRequest, territory_id: str) -> HttpResponse:
    t = _territory(territory_id)
    if not _allowed(request, t):
        return refusals.forbidden(request, REFUSED)
    last_year = date.today().year - 1
    context: dict[str, Any] = {
        "title": "Observatoire annuel du logement",
        "territory": t,
        "editions": EDITIONS,
        "formats": report_files.FORMATS,
        "year": last_year,
    }
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            return refusals.bad_request(
                request, f"Année « {request.POST.get('year', '')} » invalide."
            )
        try:
            f = report_files.report_file(
                t,
                year,
                request.POST.get("edition", ""),
                request.POST.get("format", ""),
                user=request.user,
            )
        except UserError as exc:
            return refusals.bad_request(request, str(exc))
        except QueryError as exc:
            return refusals.error_page(request, 503, "Données absentes", str(exc))
        return _download(f)
    return render(request, "publications/report_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def deck_view(request: HttpRequest, territory_id: str) -> HttpResponse:
    t = _territory(territory_id)
    if not _allowed(request, t):
        return refusals.forbidden(request, REFUSED)
    if request.method == "POST":
        try:
            f = deck_files.deck_file(
                t,
                request.POST.getlist("themes"),
                request.POST.get("format", ""),
                releases_dir(active()),
            )
        except UserError as exc:
            return refusals.bad_request(request, str(exc))
        except QueryError as exc:
            return refusals.error_page(request, 503, "Données absentes", str(exc))
        return _download(f)
    context = {
        "title": "Les 5 minutes de l'observatoire",
        "territory": t,
        "themes": known_themes(),
        "formats": deck_files.FORMATS,
    }
    return render(request, "publications/deck_page.html", context)
