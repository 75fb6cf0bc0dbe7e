"""The fiche of one territory as a PDF, from its portrait: the same renderer as the batch,
for the reader this request's user is (their restricted figures, marked as such)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from observatoire import figures
from observatoire.accounts import refusals
from observatoire.accounts.permissions import in_scope, reader_of, role_of
from observatoire.accounts.refusals import bad_request, forbidden
from observatoire.figures import QueryError
from observatoire.publications import jobs
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


# ----------------------------------------------------------------- batch page
NOT_ALLOWED = (
    "Les lots de fiches sont réservés aux administrateurs et aux animateurs de "
    "l'observatoire, sur les territoires de leur périmètre."
)


def _may_batch(user: Any, territory: Territory | None) -> bool:
    """Admins anywhere; animateurs on a territory of their scope (None: any scope)."""
    role = role_of(user)
    return role == "admin" or (role == "animateur" and in_scope(user, territory))


def _territory(raw: str) -> Territory:
    try:
        return figures.check(Territory.parse(raw))
    except TerritoryError as exc:
        raise Http404(str(exc)) from None


@login_required
@require_http_methods(["GET", "POST"])
def batches(request: HttpRequest) -> HttpResponse:
    """The animateur's page: pick a territory, start its batch, see the jobs of the scope."""
    if not _may_batch(request.user, None):
        return forbidden(request, NOT_ALLOWED)
    if request.method == "POST":
        raw = request.POST.get("territoire", "").strip()
        try:
            t = figures.check(Territory.parse(raw))
        except TerritoryError as exc:
            return bad_request(request, str(exc))
        if not _may_batch(request.user, t):
            return forbidden(request, NOT_ALLOWED)
        if t.level not in jobs.LEVELS:
            return bad_request(
                request,
                f"« {raw} » : un lot se lance sur un département, une intercommunalité ou "
                "un regroupement de communes.",
            )
        try:
            jobs.start(t)
        except jobs.AlreadyRunning:
            messages.info(request, f"Un lot est déjà en cours pour {figures.territory_name(t)}.")
        return redirect("publications:batch", territory_id=t.id)
    options = jobs.choices(reader_of(request.user))
    current = [(t, name, job) for t, name in options if (job := jobs.status(t)) is not None]
    return render(
        request,
        "publications/batches.html",
        {"title": "Fiches territoire en lot", "options": options, "jobs": current},
    )


@login_required
def batch(request: HttpRequest, territory_id: str) -> HttpResponse:
    """A job's progress (refreshed by the page itself while it runs, no script)."""
    t = _territory(territory_id)
    if not _may_batch(request.user, t):
        return forbidden(request, NOT_ALLOWED)
    job = jobs.status(t)
    response = render(
        request,
        "publications/batch.html",
        {"title": f"Fiches en lot : {figures.territory_name(t)}", "t": t, "job": job},
    )
    if job is not None and job.running:
        response["Refresh"] = "5"  # the browser reloads the page: progress without script
    return response


@login_required
def batch_status(request: HttpRequest, territory_id: str) -> JsonResponse:
    t = _territory(territory_id)
    if not _may_batch(request.user, t):
        return JsonResponse({"detail": NOT_ALLOWED}, status=403)
    job = jobs.status(t)
    data = job.as_dict() if job is not None else {"territory": t.id, "state": "aucun"}
    if job is not None and job.downloadable:
        data["zip"] = reverse("publications:batch_zip", kwargs={"territory_id": t.id})
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def batch_zip(request: HttpRequest, territory_id: str) -> HttpResponseBase:
    t = _territory(territory_id)
    if not _may_batch(request.user, t):
        return forbidden(request, NOT_ALLOWED)
    job = jobs.status(t)
    if job is None or not job.downloadable:
        raise Http404("Aucun lot terminé pour ce territoire.")
    # Streamed from the file, never read into memory.
    return FileResponse(job.zip_path.open("rb"), as_attachment=True, filename=job.zip_path.name)
