"""Partner data uploads: the template, the upload checked line by line (nothing saved
while a problem remains), the confirmation step, then the upload kept with its rows and
the plans' operations it created."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from observatoire import figures
from observatoire.accounts.permissions import acts_for, in_scope, profile_of, role_of
from observatoire.accounts.refusals import bad_request, forbidden
from observatoire.contributions import access, feeding, partner_data
from observatoire.contributions.forms import UploadForm
from observatoire.contributions.models import Upload
from observatoire.contributions.partner_data import PartnerRow
from observatoire.plans.models import Operation, Product
from observatoire.problems import Problem
from observatoire.settings import active
from observatoire.uploads import Guard, UploadError

PRODUCTS = dict(Product.choices)
STAGES = dict(Operation.Stage.choices)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SALT = "contributions.upload"
MAX_AGE = 3600  # seconds between the check and the confirmation
MAX_SHOWN = 1000
NOT_ALLOWED = (
    "Seuls les contributeurs, les animateurs et les administrateurs de l'observatoire "
    "ayant un périmètre territorial peuvent déposer des données."
)


def _may_upload(user: Any) -> bool:
    return access.may_propose(user) and in_scope(user, None)


def _organisation(user: Any) -> Any:
    profile = profile_of(user)
    return profile.organisation if profile is not None else None


_NOT_READABLE = "« {name} » n'est ni un classeur .xlsx ni un fichier .csv."
GUARD = Guard(
    ("xlsx", "csv"),
    extension=_NOT_READABLE,
    too_big="« {name} » dépasse la taille maximale de {limit} Mo.",
    empty="« {name} » est vide.",
    content="« {name} » n'est pas un {expected} lisible : son contenu est {described}.",
)


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    context.setdefault("form", UploadForm())
    context.update(
        title="Déposer des données",
        max_upload_mb=active().max_upload_mb,
        columns=partner_data.COLUMNS,
        products=partner_data.PRODUCTS,
        stages=partner_data.STAGES,
    )
    return render(request, "contributions/upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not _may_upload(request.user):
        return forbidden(request, NOT_ALLOWED)
    if request.method != "POST":
        return _page(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form)
    f = form.cleaned_data["fichier"]
    try:
        GUARD.check(f)
    except UploadError as exc:
        return _page(request, form=form, error=str(exc))
    content = f.read()
    digest = hashlib.sha256(content).hexdigest()
    rows, problems = partner_data.read(
        content, f.name, request.user, form.cleaned_data["modele"] or "projets"
    )
    before = feeding.previous(digest, request.user)
    if before is not None:
        problems.append(
            Problem(
                f.name,
                f"ce fichier a déjà été déposé le {before.created_at:%d/%m/%Y} (dépôt n° "
                f"{before.pk}) : le déposer de nouveau compterait ses logements deux fois.",
                sheet="",
            )
        )
    if problems:
        return _page(
            request,
            form=form,
            file_name=f.name,
            problems=problems[:MAX_SHOWN],
            count=len(problems),
            hidden=max(0, len(problems) - MAX_SHOWN),
        )
    payload = signing.dumps(
        {
            "user": request.user.pk,
            "file": f.name,
            "digest": digest,
            "rows": [r.as_dict() for r in rows],
        },
        salt=SALT,
        compress=True,
    )
    return render(
        request,
        "contributions/upload_confirm.html",
        {
            "title": "Confirmer le dépôt",
            "file_name": f.name,
            "planned": _planned(rows),
            "count": len(rows),
            "dwellings": sum(r.dwellings for r in rows),
            "payload": payload,
        },
    )


def _planned(rows: list[PartnerRow]) -> list[dict[str, Any]]:

    ref = figures.referential()
    out = []
    for row, plans in feeding.targets(rows):
        t = access.territory_of(row.territory)
        out.append(
            {
                "row": row,
                "name": ref.name(t) if t is not None and ref.exists(t) else row.territory,
                "plans": plans,
                "product": PRODUCTS.get(row.product, row.product),
                "stage": STAGES.get(row.stage, row.stage),
            }
        )
    return out


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    if not _may_upload(request.user):
        return forbidden(request, NOT_ALLOWED)
    try:
        payload = signing.loads(request.POST.get("depot", ""), salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return bad_request(
            request, "La vérification date de plus d'une heure : déposez de nouveau le fichier."
        )
    except signing.BadSignature:
        return bad_request(request, "Confirmation illisible : déposez de nouveau le fichier.")
    if payload.get("user") != request.user.pk:
        return bad_request(request, "Cette confirmation a été préparée pour un autre compte.")
    rows = [PartnerRow(**r) for r in payload["rows"]]
    # The scope may have changed since the check.
    outside = sorted(
        {r.territory for r in rows if not in_scope(request.user, access.territory_of(r.territory))}
    )
    if outside:
        return forbidden(request, "Communes hors de votre périmètre : " + ", ".join(outside) + ".")
    if feeding.previous(payload["digest"], request.user) is not None:
        messages.info(request, "Ce fichier est déjà enregistré.")
        return redirect("contributions:uploads")
    saved = feeding.save(
        rows,
        file_name=payload["file"],
        digest=payload["digest"],
        user=request.user,
        organisation=_organisation(request.user),
    )
    messages.success(
        request, f"Dépôt enregistré : {len(rows)} ligne{'s' if len(rows) > 1 else ''}."
    )
    return redirect("contributions:upload_detail", saved.pk)


def _visible(user: Any, item: Upload) -> bool:
    """Admins: all; the depositor; its organisation's members whose scope covers its
    communes (`acts_for`); animateurs: deposits touching their scope."""
    role = role_of(user)
    if role == "admin":
        return True
    if role is None:
        return False
    if item.author_id == user.pk:
        return True
    communes = {row.territory for row in item.rows.all()}
    if acts_for(user, item.organisation_id, communes):
        return True
    return role == "animateur" and any(in_scope(user, c) for c in communes)


@login_required
@require_safe
def uploads(request: HttpRequest) -> HttpResponse:
    if not _may_upload(request.user):
        return forbidden(request, NOT_ALLOWED)
    items = Upload.objects.select_related("organisation", "author").prefetch_related("rows")
    visible = [u for u in items[:2000] if _visible(request.user, u)]
    return render(
        request, "contributions/upload_list.html", {"title": "Dépôts de données", "items": visible}
    )


@login_required
@require_safe
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_upload(request.user):
        return forbidden(request, NOT_ALLOWED)
    item = get_object_or_404(Upload.objects.select_related("organisation", "author"), pk=pk)
    if not _visible(request.user, item):
        return forbidden(
            request,
            "Ce dépôt n'est visible que de son organisation, des animateurs de ses communes et des administrateurs.",
        )
    rows = item.rows.prefetch_related("operations__plan")
    return render(
        request,
        "contributions/upload_detail.html",
        {"title": f"Dépôt n° {item.pk}", "item": item, "rows": rows},
    )


@require_safe
def template(request: HttpRequest) -> HttpResponse:
    """The empty template (public, like its documentation)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    examples = {
        partner_data.PROJETS: [
            "62498",
            "12 rue de la République",
            "Résidence des Tilleuls",
            24,
            "plus",
            2027,
            "autorisee",
        ],
        partner_data.PROGRAMMATION: [
            "62510",
            "Les Jardins du centre",
            30,
            "plai",
            2026,
            "Bailleur social",
        ],
    }
    for sheet, columns in partner_data.COLUMNS.items():
        ws = wb.create_sheet(sheet)
        ws.append(list(columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
    example = wb.create_sheet("Exemples (non importés)")
    for sheet, row in examples.items():
        example.append([f"Feuille {sheet}"])
        example.append(list(partner_data.COLUMNS[sheet]))
        example.append(row)
        example.append([])
    out = io.BytesIO()
    wb.save(out)
    return HttpResponse(
        out.getvalue(),
        content_type=XLSX,
        headers={
            "Content-Disposition": content_disposition_header(
                True, "modele-donnees-partenaires.xlsx"
            )
        },
    )
