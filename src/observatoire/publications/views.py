"""The fiche of one territory as a PDF, from its portrait: the same renderer as the batch,
for the reader this request's user is (their restricted figures, marked as such)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from observatoire import figures
from observatoire.accounts import refusals
from observatoire.accounts.permissions import reader_of
from observatoire.figures import QueryError
from observatoire.publications.batch import filename
from observatoire.publications.fiche import fiche
from observatoire.publications.render import fiche_pdf
from observatoire.territories import Territory, TerritoryError


def fiche_view(request: HttpRequest, territory_id: str) -> HttpResponse:
    try:
        t = figures.check(Territory.parse(territory_id))
    except TerritoryError as exc:
        raise Http404(str(exc)) from None
    try:
        reader = reader_of(request.user)
        f = fiche(t, reader)
    except QueryError as exc:
        return refusals.error_page(request, 503, "Données absentes", str(exc))
    response = HttpResponse(fiche_pdf(f, reader), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(t)}"'
    # A fiche made for a signed-in reader may hold restricted figures: never cached.
    response["Cache-Control"] = "private, no-store"
    return response
