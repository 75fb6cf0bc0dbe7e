"""Défis habitat: a question asked to the network by a contributeur or an animateur,
answers from the partners, and the answer accepted by the asker or an animateur."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from observatoire.accounts import audit
from observatoire.exchange.access import can_accept, can_write
from observatoire.exchange.forms import DefiAnswerForm, DefiForm
from observatoire.exchange.models import Defi, DefiAnswer
from observatoire.exchange.views.common import forbidden, labelled, partner_required


def _organisation(request: HttpRequest) -> Any:
    return getattr(getattr(request.user, "profile", None), "organisation", None)


@partner_required
def defi_list(request: HttpRequest) -> HttpResponse:
    defis = Defi.objects.select_related("organisation", "accepted_answer").prefetch_related(
        "answers"
    )
    return render(
        request,
        "exchange/defis.html",
        {
            "title": "Défis habitat",
            "rows": [{**labelled(d), "answers": len(d.answers.all())} for d in defis],
            "can_ask": can_write(request.user),
        },
    )


@login_required
def defi_create(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        return forbidden(request, "Seuls les contributeurs et les animateurs posent un défi.")
    form = DefiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        defi = Defi.objects.create(
            author=request.user, organisation=_organisation(request), **form.cleaned_data
        )
        messages.success(request, f"Défi « {defi.title} » posé au réseau.")
        return redirect("exchange:defi", pk=defi.pk)
    return render(request, "exchange/defi_form.html", {"title": "Poser un défi", "form": form})


def _detail(request: HttpRequest, defi: Defi, form: DefiAnswerForm | None = None) -> HttpResponse:
    may_answer = can_write(request.user)
    return render(
        request,
        "exchange/defi.html",
        {
            "title": defi.title,
            "defi": defi,
            "item": labelled(defi),
            "answers": defi.answers.select_related("author", "organisation"),
            "may_answer": may_answer,
            "may_accept": can_accept(request.user, defi),
            "form": form or (DefiAnswerForm() if may_answer else None),
        },
        status=200,
    )


@partner_required
def defi_detail(request: HttpRequest, pk: int) -> HttpResponse:
    defi = get_object_or_404(Defi.objects.select_related("organisation", "author"), pk=pk)
    return _detail(request, defi)


@login_required
@require_POST
def defi_answer(request: HttpRequest, pk: int) -> HttpResponse:
    defi = get_object_or_404(Defi, pk=pk)
    if not can_write(request.user):
        return forbidden(request, "Seuls les contributeurs et les animateurs répondent aux défis.")
    form = DefiAnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, defi, form)
    DefiAnswer.objects.create(
        defi=defi, author=request.user, organisation=_organisation(request),
        text=form.cleaned_data["text"],
    )  # fmt: skip
    messages.success(request, "Votre réponse est publiée.")
    return redirect("exchange:defi", pk=defi.pk)


@login_required
@require_POST
def defi_accept(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    defi = get_object_or_404(Defi, pk=pk)
    answer = get_object_or_404(DefiAnswer, pk=answer_pk, defi=defi)
    if not can_accept(request.user, defi):
        return forbidden(
            request, "Seuls l'auteur du défi et les animateurs retiennent une réponse."
        )
    defi.accepted_answer = answer
    defi.accepted_by = request.user
    defi.save(update_fields=["accepted_answer", "accepted_by"])
    audit.record(
        audit.Action.VALIDATION, f"défi #{defi.pk} : {defi.title}", {"réponse retenue": answer.pk}
    )
    messages.success(request, "Réponse retenue : elle est mise en avant pour tout le réseau.")
    return redirect("exchange:defi", pk=defi.pk)
