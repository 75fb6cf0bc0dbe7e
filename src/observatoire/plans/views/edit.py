"""The pilots' entries: status (with its dated history), budget engagé/réalisé,
milestones, manual indicator values (a new entry each time, never overwritten) and
operations. Signed-in users only; `can_edit_action` / `can_edit_plan` decide, 403
otherwise. Changes are POSTed, saved whole or not at all, then redirected."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from observatoire.accounts import audit
from observatoire.accounts.models import AuditEvent
from observatoire.plans import progress
from observatoire.plans.forms import (
    BudgetForm,
    IndicatorEntryForm,
    MilestoneForm,
    OperationForm,
    StatusForm,
)
from observatoire.plans.models import (
    Action,
    ActionIndicator,
    BudgetLine,
    IndicatorEntry,
    Milestone,
    Operation,
    Plan,
    StatusChange,
)
from observatoire.plans.permissions import can_edit_action, can_edit_plan
from observatoire.plans.views.public import (
    forbidden,
    get_action,
    get_plan,
    plan_context,
    territory_name,
)


def _audit(request: HttpRequest, target: str, detail: dict[str, Any]) -> None:
    # The closest kind of event in the journal: a pilot validates the follow-up.
    audit.record(AuditEvent.Action.VALIDATION, target, detail, request=request)


def _target(action: Action) -> str:
    return f"plan {action.plan_id} — action {action.number}"


def _editable(request: HttpRequest, plan_id: int, number: str) -> tuple[Plan, Action]:
    plan = get_plan(plan_id)
    return plan, get_action(plan, number)


def _edit_page(
    request: HttpRequest, plan: Plan, action: Action, status: int = 200, **bound: Any
) -> HttpResponse:
    """The update page of an action; `bound` replaces a blank form by the one that
    failed validation, so its errors are shown next to the fields."""
    milestones = [
        {
            "item": m,
            "form": bound.get(f"milestone_{m.pk}")
            or MilestoneForm(initial={"status": m.status, "done_on": m.done_on}, prefix=f"m{m.pk}"),
        }
        for m in action.milestones.all()
    ]
    indicators = [
        {
            "item": i,
            "form": bound.get(f"indicator_{i.pk}")
            or IndicatorEntryForm(plan=plan, prefix=f"i{i.pk}"),
            "entries": list(i.entries.select_related("entered_by").order_by("-entered_at", "-id")),
        }
        for i in action.indicators.filter(indicator_code="")
    ]
    if status != 200:
        messages.error(request, "Rien n'a été enregistré : corrigez les erreurs signalées.")
    return render(
        request,
        "plans/action_edit.html",
        plan_context(
            plan,
            title=f"Mettre à jour l'action {action.number} — {plan.title}",
            action=action,
            status_form=bound.get("status") or StatusForm(initial={"status": action.status}),
            budget_form=bound.get("budget") or BudgetForm(plan=plan, lines=action.budget.all()),
            milestones=milestones,
            indicators=indicators,
            linked_indicators=action.indicators.exclude(indicator_code=""),
        ),
        status=status,
    )


@login_required
def action_edit(request: HttpRequest, plan_id: int, number: str) -> HttpResponse:
    plan, action = _editable(request, plan_id, number)
    if not can_edit_action(request.user, action):
        return forbidden(request)
    return _edit_page(request, plan, action)


@login_required
@require_POST
def action_status(request: HttpRequest, plan_id: int, number: str) -> HttpResponse:
    plan, action = _editable(request, plan_id, number)
    if not can_edit_action(request.user, action):
        return forbidden(request)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, plan, action, status=400, status_form=form)
    before, after = action.status, form.cleaned_data["status"]
    with transaction.atomic():
        action.status = after
        action.save(update_fields=["status"])
        StatusChange.objects.create(
            action=action, status=after, by=request.user, comment=form.cleaned_data["comment"]
        )
        _audit(
            request,
            _target(action),
            {
                "objet": "état",
                "avant": before,
                "après": after,
                "commentaire": form.cleaned_data["comment"],
            },
        )
    messages.success(request, f"État de l'action {action.number} : {action.get_status_display()}.")
    return redirect("plans:action", plan.pk, action.number)


@login_required
@require_POST
def action_budget(request: HttpRequest, plan_id: int, number: str) -> HttpResponse:
    plan, action = _editable(request, plan_id, number)
    if not can_edit_action(request.user, action):
        return forbidden(request)
    lines = {b.year: b for b in action.budget.all()}
    form = BudgetForm(request.POST, plan=plan, lines=lines.values())
    if not form.is_valid():
        return _edit_page(request, plan, action, status=400, budget=form)
    changes = {}
    with transaction.atomic():
        for year in form.years:
            engage = form.cleaned_data[f"engage_{year}"]
            realise = form.cleaned_data[f"realise_{year}"]
            comment = form.cleaned_data[f"comment_{year}"]
            line = lines.get(year)
            if line is None:
                if engage is None and realise is None and not comment:
                    continue
                line = BudgetLine(action=action, year=year)
            old = (line.engage, line.realise, line.comment)
            if old == (engage, realise, comment):
                continue
            line.engage, line.realise, line.comment = engage, realise, comment
            line.save()
            changes[str(year)] = {
                "avant": [str(old[0]), str(old[1])],
                "après": [str(engage), str(realise)],
            }
        if changes:
            _audit(request, _target(action), {"objet": "budget", "années": changes})
    if changes:
        years = ", ".join(changes)
        messages.success(request, f"Budget de l'action {action.number} enregistré ({years}).")
    else:
        messages.info(request, "Budget inchangé.")
    return redirect("plans:action", plan.pk, action.number)


@login_required
@require_POST
def milestone_status(
    request: HttpRequest, plan_id: int, number: str, milestone_id: int
) -> HttpResponse:
    plan, action = _editable(request, plan_id, number)
    milestone = get_object_or_404(Milestone, pk=milestone_id, action=action)
    if not can_edit_action(request.user, action):
        return forbidden(request)
    form = MilestoneForm(request.POST, prefix=f"m{milestone.pk}")
    if not form.is_valid():
        return _edit_page(request, plan, action, status=400, **{f"milestone_{milestone.pk}": form})
    before = milestone.status
    with transaction.atomic():
        milestone.status = form.cleaned_data["status"]
        milestone.done_on = form.cleaned_data["done_on"]
        milestone.save(update_fields=["status", "done_on"])
        _audit(
            request,
            _target(action),
            {
                "objet": "jalon",
                "jalon": milestone.label[:200],
                "avant": before,
                "après": milestone.status,
            },
        )
    messages.success(
        request, f"Jalon « {milestone.label[:80]} » : {milestone.get_status_display()}."
    )
    return redirect("plans:action", plan.pk, action.number)


@login_required
@require_POST
def indicator_entry(
    request: HttpRequest, plan_id: int, number: str, indicator_id: int
) -> HttpResponse:
    plan, action = _editable(request, plan_id, number)
    indicator = get_object_or_404(ActionIndicator, pk=indicator_id, action=action)
    if not can_edit_action(request.user, action):
        return forbidden(request)
    if indicator.indicator_code:
        messages.error(
            request,
            f"« {indicator.label} » est repris de l'observatoire : il ne se saisit pas.",
        )
        return redirect("plans:action_edit", plan.pk, action.number)
    form = IndicatorEntryForm(request.POST, plan=plan, prefix=f"i{indicator.pk}")
    if not form.is_valid():
        return _edit_page(request, plan, action, status=400, **{f"indicator_{indicator.pk}": form})
    entry = IndicatorEntry.objects.create(
        indicator=indicator,
        year=form.cleaned_data["year"],
        value=form.cleaned_data["value"],
        source=form.cleaned_data["source"],
        comment=form.cleaned_data["comment"],
        entered_by=request.user,
    )
    messages.success(request, f"Valeur {entry.year} de « {indicator.label[:80]} » enregistrée.")
    return redirect("plans:action", plan.pk, action.number)


def _communes(plan: Plan) -> list[tuple[str, str]]:
    return [(c.id, f"{territory_name(c)} ({c.code})") for c in progress.communes(plan)]


def _operations_page(
    request: HttpRequest, plan: Plan, form: OperationForm, status: int = 200
) -> HttpResponse:
    names = dict(_communes(plan))
    operations = [
        {"item": o, "name": names.get(o.territory.id, o.territory.id)}
        for o in plan.operations.select_related("created_by").order_by("-created_at", "-id")[:200]
    ]
    return render(
        request,
        "plans/operations.html",
        plan_context(
            plan,
            title=f"Opérations — {plan.title}",
            form=form,
            operations=operations,
            count=plan.operations.count(),
            demo=plan.operations.filter(is_demo=True).exists(),
        ),
        status=status,
    )


@login_required
def operations(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan(plan_id)
    if not can_edit_plan(request.user, plan):
        return forbidden(request)
    form = OperationForm(plan=plan, communes=_communes(plan))
    return _operations_page(request, plan, form)


@login_required
@require_POST
def operation_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan(plan_id)
    if not can_edit_plan(request.user, plan):
        return forbidden(request)
    form = OperationForm(request.POST, plan=plan, communes=_communes(plan))
    if not form.is_valid():
        messages.error(request, "Rien n'a été enregistré : corrigez les erreurs signalées.")
        return _operations_page(request, plan, form, status=400)
    op = Operation.objects.create(plan=plan, created_by=request.user, **form.cleaned_data)
    messages.success(
        request,
        f"Opération enregistrée : {op.dwellings} logement{'s' if op.dwellings > 1 else ''} "
        f"{op.get_product_display()} en {op.year}, {territory_name(op.territory)}.",
    )
    return redirect("plans:operations", plan.pk)
