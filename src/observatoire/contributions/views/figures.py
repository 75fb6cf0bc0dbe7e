"""Contributions on figures: propose a correction or a local figure on a value of the
portal, follow it, validate or reject it (animateurs in scope, admins), and the list of
validated local figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from observatoire.accounts.permissions import can_read
from observatoire.accounts.refusals import forbidden
from observatoire.contributions import access, figures
from observatoire.contributions.forms import DecisionForm, FigureForm
from observatoire.contributions.models import FigureContribution
from observatoire.figures import territory_name
from observatoire.indicators.catalog import catalog
from observatoire.territories import Territory

Status = FigureContribution.Status


def _out_of_scope(request: HttpRequest, t: Territory) -> HttpResponse:
    return forbidden(
        request,
        f"{territory_name(t.id)} ({t.id}) est hors du périmètre de votre compte : vous ne pouvez "
        "proposer de chiffre que sur les territoires de votre périmètre.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    if not access.may_propose(request.user):
        return forbidden(
            request,
            "Seuls les contributeurs, les animateurs et les administrateurs de l'observatoire "
            "peuvent proposer un chiffre.",
        )
    indicators = [i for i in catalog().values() if can_read(request.user, i.diffusion)]
    if request.method == "POST":
        form = FigureForm(request.POST, indicators=indicators)
    else:
        initial = {
            "indicateur": request.GET.get("indicateur", ""),
            "territoire": request.GET.get("territoire", ""),
            "annee": request.GET.get("annee", ""),
        }
        form = FigureForm(initial=initial, indicators=indicators)
    raw = (form.data if form.is_bound else form.initial).get("territoire") or ""
    asked = access.territory_of(raw) if raw else None
    if asked is not None and not access.can_propose(request.user, asked):
        return _out_of_scope(request, asked)
    if form.is_bound and form.is_valid():
        t = form.cleaned_data["territoire"]
        code = form.cleaned_data["indicateur"]
        if not access.indicator_readable(request.user, code, t):
            return forbidden(
                request, "Cet indicateur n'est pas diffusé à votre compte sur ce territoire."
            )
        contribution = figures.propose(
            indicator_code=code,
            territory=t,
            year=form.cleaned_data["annee"],
            kind=form.cleaned_data["nature"],
            value=form.cleaned_data["valeur"],
            unit=form.cleaned_data["unite"],
            source=form.cleaned_data["source"],
            comment=form.cleaned_data["commentaire"],
            author=request.user,
        )
        messages.success(
            request,
            "Votre proposition est enregistrée : un animateur de l'observatoire va l'examiner.",
        )
        return redirect("contributions:figure", contribution.pk)
    context: dict[str, Any] = {"title": "Proposer un chiffre", "form": form}
    code = (form.data if form.is_bound else form.initial).get("indicateur") or ""
    year = (form.data if form.is_bound else form.initial).get("annee") or ""
    if asked is not None and code in form.indicators:
        context["territory_name"] = territory_name(asked.id)
        context["official"] = figures.official(
            code, asked, int(year) if str(year).isdigit() else None
        )
        context["locals"] = [_row(c) for c in figures.validated(asked).get(code, [])]
    return render(request, "contributions/figure_propose.html", context)


@require_safe
def validated_list(request: HttpRequest) -> HttpResponse:
    """Every validated local figure the visitor may read (optionally one territory)."""
    wanted = request.GET.get("territoire", "").strip()
    rows = FigureContribution.objects.filter(status=Status.VALIDEE).select_related("organisation")
    if wanted:
        rows = rows.filter(territory=wanted)
    visible = [
        c
        for c in rows.order_by("territory", "indicator_code", "-year", "-decided_at")
        if access.can_see(request.user, c)
    ]
    page = Paginator(visible, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/figure_list.html",
        {
            "title": "Chiffres locaux validés",
            "page": page,
            "rows": [_row(c) for c in page.object_list],
            "wanted": wanted,
        },
    )


def _row(c: FigureContribution) -> dict[str, Any]:
    return {
        "item": c,
        "label": figures.indicator_label(c.indicator_code),
        "name": territory_name(c.territory),
        "value": figures.formatted(c),
    }


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Proposals waiting for a decision, in the animateur's scope."""
    if not access.may_validate(request.user):
        return forbidden(
            request,
            "Seuls les animateurs et les administrateurs de l'observatoire valident les chiffres proposés.",
        )
    waiting = FigureContribution.objects.filter(status=Status.PROPOSEE).select_related(
        "organisation", "author"
    )
    rows = [
        _row(c)
        for c in waiting.order_by("created_at", "id")
        if access.can_validate(request.user, c.territory)
    ]
    return render(
        request, "contributions/figure_queue.html", {"title": "Chiffres à valider", "rows": rows}
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    own = FigureContribution.objects.filter(author=request.user).order_by("-created_at", "-id")
    return render(
        request,
        "contributions/figure_mine.html",
        {"title": "Mes propositions de chiffres", "rows": [_row(c) for c in own[:500]]},
    )


def _detail_page(
    request: HttpRequest, c: FigureContribution, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    can_decide = c.status == Status.PROPOSEE and access.can_validate(request.user, c.territory)
    current = figures.official(c.indicator_code, c.territory, c.year)
    return render(
        request,
        "contributions/figure_detail.html",
        {
            "title": f"{c.get_kind_display()} — {figures.indicator_label(c.indicator_code)}",
            "row": _row(c),
            "c": c,
            "history": c.history.select_related("by").all(),
            "official": current,
            "form": (form or DecisionForm()) if can_decide else None,
        },
        status=status,
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(
        FigureContribution.objects.select_related("organisation", "author"), pk=pk
    )
    if not access.can_see(request.user, c):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return forbidden(
            request,
            "Cette proposition n'est visible que de son auteur et des animateurs de son territoire.",
        )
    return _detail_page(request, c)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(FigureContribution, pk=pk)
    if not access.can_validate(request.user, c.territory):
        return forbidden(
            request,
            "Seuls les animateurs du territoire et les administrateurs de l'observatoire "
            "valident ou rejettent un chiffre proposé.",
        )
    if c.status != Status.PROPOSEE:
        messages.info(request, f"Cette proposition est déjà {c.get_status_display().lower()}.")
        return redirect("contributions:figure", c.pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, c, form, status=200)
    validate = form.cleaned_data["decision"] == "valider"
    try:
        figures.decide(
            c, validate=validate, by=request.user, comment=form.cleaned_data["motif"].strip()
        )
    except figures.AlreadyDecided as exc:
        messages.info(request, f"Cette proposition a déjà été décidée ({exc}).")
        return redirect("contributions:figure", c.pk)
    messages.success(
        request,
        "Chiffre validé : il apparaît désormais comme chiffre local sur le portrait du territoire."
        if validate
        else "Proposition rejetée ; le motif figure dans son historique.",
    )
    return redirect("contributions:figure", c.pk)
