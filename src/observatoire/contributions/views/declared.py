"""Import page of the declared sources (docs/sources-declarees/): admins and animateurs
with a scope import a file of a declared source; every territory of the file must be in
their scope, and a refused file is reported line by line, nothing stored."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from observatoire.accounts import audit
from observatoire.accounts.models import AuditEvent
from observatoire.accounts.permissions import in_scope, reader_of, role_of
from observatoire.accounts.refusals import forbidden
from observatoire.figures.declared import SourceError, declared_sources, import_declared
from observatoire.settings import active
from observatoire.uploads import Guard, UploadError

NOT_ALLOWED = (
    "L'import des sources déclarées est réservé aux administrateurs et aux animateurs "
    "de l'observatoire ayant un périmètre territorial."
)
GUARD = Guard(
    ("csv",),
    extension="« {name} » n'est pas un fichier .csv.",
    too_big="« {name} » dépasse la taille maximale de {limit} Mo.",
    empty="« {name} » est vide.",
    content="« {name} » n'est pas un {expected} lisible : son contenu est {described}.",
)


def _may_import(user: Any) -> bool:
    return role_of(user) == "admin" or (role_of(user) == "animateur" and in_scope(user, None))


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    context.update(
        title="Sources déclarées",
        sources=declared_sources(),
        max_upload_mb=active().max_upload_mb,
        is_admin=role_of(request.user) == "admin",
    )
    return render(request, "contributions/declared.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def declared(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        return forbidden(request, NOT_ALLOWED)
    if request.method != "POST":
        return _page(request)
    name = request.POST.get("source", "")
    if name not in {s.name for s in declared_sources()}:
        raise Http404("Source déclarée inconnue.")
    f = request.FILES.get("fichier")
    if f is None:
        return _page(request, error="Choisissez un fichier .csv à importer.")
    try:
        GUARD.check(f)
    except UploadError as exc:
        return _page(request, error=str(exc))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(f.name).name
        path.write_bytes(f.read())
        try:
            result = import_declared(name, path, reader_of(request.user))
        except SourceError as exc:
            return _page(request, file_name=f.name, problems=exc.problems[:1000])
    audit.record(
        AuditEvent.Action.IMPORT,
        f"source déclarée {name} — {f.name}",
        {"fichier": f.name, "millesime": result.millesime, "lignes": result.rows},
        request=request,
    )
    messages.success(
        request,
        f"« {f.name} » importé : {result.rows} lignes, millésime {result.millesime}. Les "
        "indicateurs seront recalculés au prochain calcul du cube (observatoire build).",
    )
    return redirect("contributions:declared")
