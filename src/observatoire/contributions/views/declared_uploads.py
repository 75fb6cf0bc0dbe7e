"""Partner files of a declared source (issue #13 §3): a contributeur (bailleur, commune,
operator) or an animateur sends a file for their territory; it is checked as the import
checks it (every row in the sender's scope) and kept pending; an animateur in scope
previews the report and the values, then validates it (the same atomic import as the
import page) or refuses it with a reason. Both decisions are audited."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from observatoire import figures
from observatoire.accounts import audit
from observatoire.accounts.models import AuditEvent
from observatoire.accounts.permissions import in_scope, profile_of, reader_of
from observatoire.accounts.refusals import forbidden
from observatoire.contributions import access
from observatoire.contributions.models import DeclaredUpload
from observatoire.contributions.views.declared import GUARD
from observatoire.figures.declared import (
    Checked,
    SourceError,
    check_declared,
    declared_sources,
    import_declared,
)
from observatoire.settings import active
from observatoire.uploads import UploadError

MAX_SHOWN = 1000
NOT_ALLOWED = (
    "Le dépôt d'un fichier de source déclarée est réservé aux contributeurs, animateurs "
    "et administrateurs de l'observatoire ayant un périmètre territorial."
)
NOT_YOURS = (
    "Ce dépôt ne peut être consulté que par son auteur et par les animateurs dont le "
    "périmètre couvre tous ses territoires."
)
NOT_VALIDATOR = (
    "Seuls les administrateurs et les animateurs dont le périmètre couvre tous les "
    "territoires du fichier peuvent valider ou refuser ce dépôt."
)


def _may_deposit(user: Any) -> bool:
    return access.may_propose(user) and in_scope(user, None)


def may_decide(user: Any, upload: DeclaredUpload) -> bool:
    return bool(upload.territories) and all(
        access.can_validate(user, t) for t in upload.territories
    )


def _provider(upload: DeclaredUpload) -> str:
    """The partner's key in the warehouse (warehouse.parts): its organisation, or its
    account when it has none. A partner's new file replaces only this partner's part."""
    if upload.organisation_id is not None:
        return f"org{upload.organisation_id}"
    return f"compte{upload.author_id}"


def _may_see(user: Any, upload: DeclaredUpload) -> bool:
    return upload.author_id == user.pk or may_decide(user, upload)


def provided(user: Any) -> list[DeclaredUpload]:
    """The validated partner files a user follows on the usage dashboard: those whose
    territories are all in their scope (admins: all)."""
    validated = DeclaredUpload.objects.filter(status=DeclaredUpload.Status.VALIDE)
    return [
        u
        for u in validated.select_related("organisation", "author", "decided_by")
        if may_decide(user, u)
    ]


@contextmanager
def _on_disk(name: str, content: bytes) -> Iterator[Path]:
    """The file under its own name (the name the report and the provenance give)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(content)
        yield path


def _deposit_page(request: HttpRequest, **context: Any) -> HttpResponse:
    context.update(
        title="Déposer un fichier de source déclarée",
        sources=[s for s in declared_sources() if not s.expired],
        max_upload_mb=active().max_upload_mb,
    )
    return render(request, "contributions/declared_deposit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def deposit(request: HttpRequest) -> HttpResponse:
    if not _may_deposit(request.user):
        return forbidden(request, NOT_ALLOWED)
    if request.method != "POST":
        return _deposit_page(request)
    name = request.POST.get("source", "")
    if name not in {s.name for s in declared_sources() if not s.expired}:
        raise Http404("Source déclarée inconnue.")
    f = request.FILES.get("fichier")
    if f is None:
        return _deposit_page(request, error="Choisissez un fichier .csv à déposer.")
    try:
        GUARD.check(f)
    except UploadError as exc:
        return _deposit_page(request, error=str(exc))
    content = f.read()
    profile = profile_of(request.user)
    upload = DeclaredUpload(
        author=request.user,
        organisation=profile.organisation if profile is not None else None,
    )
    with _on_disk(f.name, content) as path:
        try:
            checked = check_declared(
                name, path, reader_of(request.user), provider=_provider(upload)
            )
        except SourceError as exc:
            return _deposit_page(request, file_name=f.name, problems=exc.problems[:MAX_SHOWN])
    upload = DeclaredUpload.objects.create(
        author=request.user,
        organisation=upload.organisation,
        source=name,
        file_name=Path(f.name).name,
        content=content,
        digest=hashlib.sha256(content).hexdigest(),
        territories=list(checked.territories),
        millesime=checked.millesime,
        rows=checked.rows,
    )
    audit.record(
        AuditEvent.Action.IMPORT,
        f"dépôt de source déclarée {name} — {upload.file_name} (en attente)",
        {"depot": upload.pk, "lignes": checked.rows, "millesime": checked.millesime},
        request=request,
    )
    messages.success(
        request,
        f"« {upload.file_name} » est contrôlé et en attente de validation par un animateur.",
    )
    return redirect("contributions:declared_upload", pk=upload.pk)


@login_required
@require_safe
def uploads(request: HttpRequest) -> HttpResponse:
    """The sender's own files, and those an animateur may decide."""
    if not _may_deposit(request.user):
        return forbidden(request, NOT_ALLOWED)
    everything = DeclaredUpload.objects.select_related("organisation", "author")
    mine = [u for u in everything if u.author_id == request.user.pk]
    # The decisions the author has not seen yet: said once, above the list.
    news = [u for u in mine if u.status != DeclaredUpload.Status.EN_ATTENTE and not u.decision_seen]
    DeclaredUpload.objects.filter(pk__in=[u.pk for u in news]).update(decision_seen=True)
    pending = [
        u
        for u in everything.filter(status=DeclaredUpload.Status.EN_ATTENTE)
        if may_decide(request.user, u)
    ]
    return render(
        request,
        "contributions/declared_uploads.html",
        {"title": "Dépôts de sources déclarées", "mine": mine, "pending": pending, "news": news},
    )


def _check(upload: DeclaredUpload, user: Any) -> tuple[Checked | None, list[Any]]:
    """The file checked again now (the declaration may have changed since it was sent),
    against the scope of the one who looks at it."""
    with _on_disk(upload.file_name, bytes(upload.content)) as path:
        try:
            checked = check_declared(
                upload.source, path, reader_of(user), provider=_provider(upload)
            )
            return checked, []
        except SourceError as exc:
            return None, exc.problems[:MAX_SHOWN]


def _french(value: float | None) -> str:
    """A previewed value as the portal writes numbers: 40 -> "40", 1234.5 -> "1 234,5"."""
    if value is None:
        return "—"
    # The file's own decimals (a float column), at most 6: no rounding of what was sent.
    decimals = 0 if value.is_integer() else min(len(repr(value).split(".")[-1]), 6)
    return figures.french_number(value, decimals)


def _detail_page(request: HttpRequest, upload: DeclaredUpload, **context: Any) -> HttpResponse:
    checked, problems = _check(upload, request.user)
    context.setdefault("problems", problems)
    values = [
        {"territory": t, "name": figures.territory_name(t), "year": y, "variable": v,
         "value": _french(value), "status": status}
        for t, y, v, value, status in (checked.values if checked else ())[:MAX_SHOWN]
    ]  # fmt: skip
    context.update(
        title=f"Dépôt « {upload.file_name} »",
        upload=upload,
        checked=checked,
        values=values,
        may_decide=may_decide(request.user, upload)
        and upload.status == DeclaredUpload.Status.EN_ATTENTE,
    )
    return render(request, "contributions/declared_upload.html", context)


@login_required
@require_safe
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(DeclaredUpload.objects.select_related("organisation"), pk=pk)
    if not _may_see(request.user, upload):
        return forbidden(request, NOT_YOURS)
    return _detail_page(request, upload)


def _provided_by(upload: DeclaredUpload) -> str:
    # The organisation only: the provenance is shown on the public catalog page.
    who = upload.organisation.name if upload.organisation else "un partenaire"
    return f"{who}, déposé le {timezone.localtime(upload.created_at):%d/%m/%Y}"


def _tell_author(upload: DeclaredUpload) -> None:
    """The decision by e-mail to the author (Django's mail backend: the console when no
    server is configured); their list page says it too (`decision_seen`)."""
    email = upload.author.email if upload.author is not None else ""
    if not email:
        return
    when = f"{timezone.localtime(upload.decided_at):%d/%m/%Y}" if upload.decided_at else ""
    if upload.status == DeclaredUpload.Status.VALIDE:
        subject = f"Fichier validé : {upload.file_name}"
        body = (
            f"Votre fichier « {upload.file_name} » (source {upload.source}, millésime "
            f"{upload.millesime}) a été validé le {when} et importé dans l'observatoire. "
            "Ses valeurs seront servies après le prochain calcul du cube."
        )
    else:
        subject = f"Fichier refusé : {upload.file_name}"
        body = (
            f"Votre fichier « {upload.file_name} » (source {upload.source}, millésime "
            f"{upload.millesime}) a été refusé le {when}.\n\nMotif : {upload.reason}"
        )
    send_mail(
        f"Observatoire de l'habitat : {subject}",
        f"Bonjour,\n\n{body}\n\nVos dépôts : page « Dépôts de sources déclarées » du portail.\n",
        active().email_from,
        [email],
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(
        DeclaredUpload.objects.select_related("organisation", "author"), pk=pk
    )
    if not may_decide(request.user, upload):
        return forbidden(request, NOT_VALIDATOR)
    if upload.status != DeclaredUpload.Status.EN_ATTENTE:
        return _detail_page(request, upload, error="Ce dépôt a déjà été traité.")
    decision = request.POST.get("decision", "")
    reason = request.POST.get("motif", "").strip()
    if decision == "refuser" and not reason:
        return _detail_page(request, upload, error="Indiquez le motif du refus.")
    if decision not in ("valider", "refuser"):
        return _detail_page(request, upload, error="Choisissez de valider ou de refuser.")
    if decision == "valider":
        with _on_disk(upload.file_name, bytes(upload.content)) as path:
            try:
                result = import_declared(
                    upload.source,
                    path,
                    reader_of(request.user),
                    provided_by=_provided_by(upload),
                    provider=_provider(upload),
                )
            except SourceError as exc:
                return _detail_page(
                    request,
                    upload,
                    error="Le fichier n'a pas été importé.",
                    problems=exc.problems[:MAX_SHOWN],
                )
    with transaction.atomic():
        upload.status = (
            DeclaredUpload.Status.VALIDE if decision == "valider" else DeclaredUpload.Status.REFUSE
        )
        upload.reason = reason if decision == "refuser" else ""
        upload.decided_at = timezone.now()
        upload.decided_by = request.user
        upload.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        audit.record(
            AuditEvent.Action.VALIDATION,
            f"dépôt de source déclarée {upload.source} — {upload.file_name}",
            {"depot": upload.pk, "decision": decision, "motif": reason},
            request=request,
        )
    _tell_author(upload)
    if decision == "valider":
        messages.success(
            request,
            f"« {upload.file_name} » importé : {result.rows} lignes, millésime "
            f"{result.millesime}. Les indicateurs seront recalculés au prochain calcul du "
            "cube (observatoire build).",
        )
    else:
        messages.success(request, f"« {upload.file_name} » refusé.")
    return redirect("contributions:declared_upload", pk=upload.pk)
