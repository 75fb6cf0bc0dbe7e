"""The plans' printable outputs: fiche de suivi PLH of a commune, fiche de suivi of an
action, bilan annuel (page, PDF, XLSX) and its "photographie au 31/12". Reading is
public; taking the photograph is for animateurs of the plan's territory and admins."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from observatoire import figures
from observatoire.accounts import audit, refusals
from observatoire.accounts.permissions import has_role, in_scope
from observatoire.plans import reports
from observatoire.plans.models import Action, Plan, Snapshot
from observatoire.plans.reports import charts
from observatoire.plans.reports import fiches as reports_fiches
from observatoire.plans.reports import pdf as reports_pdf
from observatoire.plans.reports import xlsx as reports_xlsx
from observatoire.territories import Level, Territory, TerritoryError


def today() -> date:
    return date.today()


def _plan(plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("owner"), pk=plan_id)


def _year(plan: Plan, year: int) -> int:
    if year not in reports.years(plan):
        raise Http404(f"Le plan « {plan.title} » couvre les années {plan.period}.")
    return year


def can_snapshot(user: Any, plan: Plan) -> bool:
    """Animateurs whose scope covers the plan's territory, and admins."""
    return has_role(user, "animateur") and in_scope(user, plan.territory)


def _snapshot_info(snap: Snapshot | None) -> dict[str, Any] | None:
    if snap is None:
        return None
    by = snap.taken_by
    return {
        "taken_at": snap.taken_at,
        "by": (by.get_full_name() or by.username) if by else "",
    }


def _filename(plan: Plan, year: int, ext: str) -> str:
    return f"bilan-{plan.type.lower()}-{plan.pk}-{year}.{ext}"


def bilan_latest(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The bilan of the last year already started."""
    plan = _plan(plan_id)
    year = max(plan.start_year, min(today().year, plan.end_year))
    return redirect("plans:bilan", plan_id=plan.pk, year=year)


def bilan(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan(plan_id)
    payload, snap = reports.bilan(plan, _year(plan, year), today())
    return render(
        request,
        "plans/reports/bilan.html",
        {
            "title": f"Bilan annuel {year} — {plan.title}",
            "crumb": f"Bilan annuel {year}",
            "plan": plan,
            "b": payload,
            "charts": {
                "budget": charts.budget_chart(payload),
                "production": charts.production_chart(payload),
            },
            "snapshot": _snapshot_info(snap),
            "years": reports.years(plan),
            "can_snapshot": can_snapshot(request.user, plan),
            "snapshot_allowed": year <= today().year,
        },
    )


def bilan_pdf(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan(plan_id)
    payload, snap = reports.bilan(plan, _year(plan, year), today())
    pdf = reports_pdf.bilan_pdf(payload, _snapshot_info(snap))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(plan, year, "pdf")}"'
    return response


def bilan_xlsx(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan(plan_id)
    payload, snap = reports.bilan(plan, _year(plan, year), today())
    content = reports_xlsx.bilan_xlsx(payload, _snapshot_info(snap))
    response = HttpResponse(content, content_type=reports_xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, year, "xlsx")}"'
    return response


@login_required
@require_POST
def bilan_snapshot(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan(plan_id)
    _year(plan, year)
    if not can_snapshot(request.user, plan):
        return refusals.forbidden(
            request,
            "Seuls les animateurs du territoire du plan et les administrateurs "
            "peuvent prendre la photographie au 31/12 d'un bilan.",
        )
    target = reverse("plans:bilan", kwargs={"plan_id": plan.pk, "year": year})
    if year > today().year:
        messages.error(request, f"L'année {year} n'a pas commencé : pas de photographie possible.")
        return redirect(target)
    replaced = reports.frozen(plan, year) is not None
    reports.take_snapshot(plan, year, request.user, today())
    audit.record(
        audit.Action.VALIDATION,
        f"plan {plan.pk} : photographie du bilan {year}",
        {"plan": plan.pk, "year": year, "replaced": replaced},
    )
    messages.success(
        request,
        f"Photographie au 31/12/{year} enregistrée"
        + (" (elle remplace la précédente)" if replaced else "")
        + " : le bilan de cette année ne changera plus, même si les données sont modifiées.",
    )
    return redirect(target)


def _commune(plan: Plan, raw: str) -> Territory:
    """A commune of the plan's territory ("COM:62498" or "62498"), 404 otherwise."""
    try:
        t = Territory.parse(raw if ":" in raw else f"COM:{raw}")
    except TerritoryError:
        raise Http404(f"Commune « {raw} » inconnue.") from None
    ref = figures.referential()
    inside = ref.communes_of(plan.territory)
    if t.level is not Level.COM or t.code not in inside:
        raise Http404(f"« {raw} » n'est pas une commune du territoire du plan.")
    return t


def fiche_commune(request: HttpRequest, plan_id: int, commune: str) -> HttpResponse:
    plan = _plan(plan_id)
    chosen = request.GET.get("commune", "").strip()
    if chosen and chosen != commune:  # the commune selector of the page
        return redirect("plans:fiche_commune", plan_id=plan.pk, commune=_commune(plan, chosen).id)
    t = _commune(plan, commune)
    fiche = reports_fiches.commune_fiche(plan, t, today())
    ref = figures.referential()
    others = [
        {"id": f"COM:{code}", "name": ref.name(Territory(Level.COM, code))}
        for code in sorted(ref.communes_of(plan.territory))
    ]
    return render(
        request,
        "plans/reports/commune.html",
        {
            "title": f"Fiche de suivi — {fiche['commune']['name']} — {plan.title}",
            "crumb": f"Fiche de suivi — {fiche['commune']['name']}",
            "plan": plan,
            "f": fiche,
            "communes": sorted(others, key=lambda c: c["name"]),
        },
    )


def fiche_action(request: HttpRequest, plan_id: int, number: str) -> HttpResponse:
    plan = _plan(plan_id)
    action = get_object_or_404(
        Action.objects.select_related("plan", "orientation", "parent"), plan=plan, number=number
    )
    fiche = reports_fiches.action_fiche(action, today())
    return render(
        request,
        "plans/reports/action.html",
        {
            "title": f"Fiche de suivi — action {action.number} — {plan.title}",
            "crumb": f"Fiche de suivi — action {action.number}",
            "plan": plan,
            "f": fiche,
        },
    )
