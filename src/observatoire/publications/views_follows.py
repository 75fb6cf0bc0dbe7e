"""« Mes suivis »: the territories and indicators a signed-in user follows, and the
notifications the builds brought them (issue #15 §6)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from observatoire import figures
from observatoire.accounts.permissions import reader_of
from observatoire.accounts.refusals import bad_request, forbidden
from observatoire.indicators.catalog import catalog
from observatoire.publications import follows
from observatoire.territories import Territory, TerritoryError


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    items = follows.Follow.objects.filter(user=request.user)
    notes = follows.Notification.objects.filter(user=request.user)[:200]
    return render(
        request,
        "publications/follows.html",
        {
            "title": "Mes suivis",
            "follows": [
                (
                    f,
                    figures.territory_name(f.territory),
                    catalog()[f.indicator].label if f.indicator in catalog() else "",
                )
                for f in items
            ],
            "notifications": notes,
            "unread": follows.unread(request.user),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("suite", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("publications:follows")


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    try:
        t = figures.check(Territory.parse(request.POST.get("territoire", "")))
    except TerritoryError as exc:
        return bad_request(request, f"Territoire « {request.POST.get('territoire', '')} » : {exc}")
    code = request.POST.get("indicateur", "")
    if code:
        ind = catalog().get(code)
        if ind is None:
            return bad_request(request, f"Indicateur inconnu : « {code} ».")
        if not reader_of(request.user).can_read(ind.diffusion, t):
            return forbidden(
                request,
                f"« {ind.label} » n'est pas lisible par votre compte sur "
                f"{figures.territory_name(t)} : vous ne pouvez pas le suivre.",
            )
    follows.start(request.user, t, code)
    return _back(request)


@login_required
@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    follows.Follow.objects.filter(user=request.user, pk=pk).delete()
    return _back(request)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    follows.Notification.objects.filter(user=request.user, read=False).update(read=True)
    return _back(request)
