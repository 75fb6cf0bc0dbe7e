"""Import of a plan workbook (administrators and animateurs) and export of a plan in
the same template (public, like the plan's pages)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from observatoire.accounts import refusals
from observatoire.accounts.permissions import has_role, in_scope
from observatoire.plans.models import Plan
from observatoire.plans.workbook import WorkbookError, find_existing, read_workbook, save
from observatoire.plans.workbook.format import SHEETS
from observatoire.problems import Problem
from observatoire.settings import active
from observatoire.territories import Territory
from observatoire.uploads import Guard, UploadError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHOWN = 1000  # problems listed on the page; the heading gives the full count


def _forbidden(request: HttpRequest) -> HttpResponse:
    return refusals.forbidden(
        request,
        "Seuls les administrateurs de l'observatoire et les animateurs peuvent importer un plan.",
    )


def plan_url(plan: Plan) -> str:
    try:
        return reverse("plans:plan", args=[plan.pk])
    except NoReverseMatch:  # the plan pages are optional for this view
        return f"/plans/{plan.pk}/"


# Refusals before reading: a file the workbook reader could not open.
_NOT_XLSX = (
    "« {name} » n'est pas un classeur .xlsx : enregistrez-le au format "
    "« Classeur Excel (.xlsx) » puis recommencez."
)
GUARD = Guard(
    ("xlsx",),
    missing="Choisissez le classeur du plan (fichier .xlsx).",
    extension=_NOT_XLSX,
    too_big="« {name} » dépasse la taille maximale de {limit} Mo.",
    empty=_NOT_XLSX,
    content=_NOT_XLSX,
)


@login_required
@require_http_methods(["GET", "POST"])
def import_workbook(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, "animateur"):
        return _forbidden(request)
    context: dict[str, Any] = {
        "title": "Importer un plan",
        "sheets": list(SHEETS),
        "max_upload_mb": active().max_upload_mb,
    }
    if request.method == "POST":
        upload = request.FILES.get("classeur")
        try:
            GUARD.check(upload)
        except UploadError as exc:
            context["error"] = str(exc)
            return render(request, "plans/workbook_import.html", context)
        assert upload is not None
        parsed, problems = read_workbook(upload)
        if parsed is not None and not in_scope(request.user, Territory.parse(parsed.territory)):
            problems = [
                Problem(
                    upload.name,
                    "le territoire du plan est hors de votre périmètre : demandez à un "
                    "administrateur de l'observatoire de l'importer.",
                    None,
                    "territoire",
                    parsed.territory,
                    "Plan",
                )
            ]
        if problems or parsed is None:
            report = WorkbookError(upload.name, problems)
            context.update(
                file_name=upload.name,
                problems=report.problems[:MAX_SHOWN],
                count=len(report.problems),
                hidden=max(0, len(report.problems) - MAX_SHOWN),
            )
            return render(request, "plans/workbook_import.html", context)
        replaced = find_existing(parsed) is not None
        plan = save(parsed, request.user, ip=request.META.get("REMOTE_ADDR"))
        context.update(
            file_name=upload.name,
            plan=plan,
            plan_url=plan_url(plan),
            replaced=replaced,
            parsed=parsed,
        )
    return render(request, "plans/workbook_import.html", context)


@require_safe
def export_workbook(request: HttpRequest, plan_id: int) -> HttpResponse:
    from observatoire.plans.workbook import export_workbook as export

    plan = get_object_or_404(Plan.objects.select_related("owner"), pk=plan_id)
    name = f"{slugify(plan.title)[:80] or 'plan'}.xlsx"
    return HttpResponse(
        export(plan),
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
