"""Appels à contribution: an animateur opens a call, contributeurs and animateurs answer
(text and attachments), the animateur tags and moderates the answers, writes the cahier
de synthèse (page and PDF) and closes the call. Signed-in partners read everything but
hidden answers, which only the call's animateurs and the answer's author see."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from observatoire.accounts import audit
from observatoire.accounts.permissions import has_role
from observatoire.exchange import library, synthesis
from observatoire.exchange.access import can_manage_call, can_write
from observatoire.exchange.forms import AnswerForm, CallForm, ModerateForm, SynthesisForm
from observatoire.exchange.models import Answer, Attachment, Call
from observatoire.exchange.views.common import forbidden, labelled, partner_required


def _visible_answers(request: HttpRequest, call: Call, manager: bool) -> list[Answer]:
    answers = call.answers.select_related("author", "organisation").prefetch_related("attachments")
    return [a for a in answers if manager or not a.hidden or a.author_id == request.user.pk]


@partner_required
def call_list(request: HttpRequest) -> HttpResponse:
    calls = Call.objects.select_related("organisation")
    return render(
        request,
        "exchange/calls.html",
        {
            "title": "Appels à contribution",
            "open_calls": [labelled(c) for c in calls if not c.is_closed],
            "closed_calls": [labelled(c) for c in calls if c.is_closed],
            "can_open": has_role(request.user, "animateur"),
        },
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, "animateur"):
        return forbidden(request, "Seuls les animateurs ouvrent un appel à contribution.")
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile = getattr(request.user, "profile", None)
        call = Call.objects.create(
            author=request.user, organisation=getattr(profile, "organisation", None),
            **form.cleaned_data,
        )  # fmt: skip
        messages.success(request, f"Appel « {call.title} » ouvert aux partenaires.")
        return redirect("exchange:call", pk=call.pk)
    return render(
        request,
        "exchange/call_form.html",
        {"title": "Ouvrir un appel à contribution", "form": form},
    )


def _detail_context(
    request: HttpRequest, call: Call, answer_form: AnswerForm | None = None
) -> dict[str, Any]:
    manager = can_manage_call(request.user, call)
    answers = _visible_answers(request, call, manager)
    tag = request.GET.get("etiquette", "")
    rows = [
        {
            "answer": a,
            "moderate": ModerateForm(
                initial={"tags": ", ".join(a.tags), "hidden": a.hidden, "reason": a.hidden_reason},
                prefix=f"r{a.pk}",
            )
            if manager
            else None,
        }
        for a in answers
        if not tag or tag in a.tags
    ]
    may_answer = can_write(request.user) and call.accepts_answers()
    return {
        "title": call.title,
        "call": call,
        "item": labelled(call),
        "rows": rows,
        "tags": sorted({t for a in answers for t in a.tags}),
        "tag": tag,
        "manager": manager,
        "may_answer": may_answer,
        "answer_form": answer_form or (AnswerForm() if may_answer else None),
        "blocks": synthesis.blocks(call.synthesis),
    }


@partner_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("organisation", "author"), pk=pk)
    return render(request, "exchange/call.html", _detail_context(request, call))


@login_required
def call_answer(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    if not can_write(request.user):
        return forbidden(
            request,
            "Seuls les contributeurs et les animateurs répondent aux appels ; les lecteurs les consultent.",
        )
    if not call.accepts_answers():
        return forbidden(
            request,
            "Cet appel est clos ou sa date limite est passée : il ne reçoit plus de réponses.",
        )
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        library.create_answer(
            call, request.user, form.cleaned_data["text"], form.cleaned_data["attachments"]
        )
        messages.success(request, "Votre contribution est enregistrée. Merci !")
        return redirect("exchange:call", pk=call.pk)
    return render(
        request,
        "exchange/answer_form.html",
        {"title": f"Répondre — {call.title}", "call": call, "form": form},
    )


@login_required
@require_POST
def call_moderate(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    answer = get_object_or_404(Answer, pk=answer_pk, call=call)
    if not can_manage_call(request.user, call):
        return forbidden(request, "Seuls les animateurs de l'appel modèrent les réponses.")
    form = ModerateForm(request.POST, prefix=f"r{answer.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Réponse #{answer.pk} : {error}")
        return redirect("exchange:call", pk=call.pk)
    hidden = form.cleaned_data["hidden"]
    with transaction.atomic():
        changed = hidden != answer.hidden
        answer.tags = form.cleaned_data["tags"]
        answer.hidden = hidden
        answer.hidden_reason = form.cleaned_data["reason"].strip() if hidden else ""
        answer.hidden_by = request.user if hidden else None
        answer.save(update_fields=["tags", "hidden", "hidden_reason", "hidden_by"])
        audit.record(
            audit.Action.VALIDATION,
            f"réponse #{answer.pk} à l'appel #{call.pk}",
            {
                "modération": ("masquée" if hidden else "rétablie") if changed else "étiquettes",
                "motif": answer.hidden_reason,
                "étiquettes": answer.tags,
            },
        )
    messages.success(request, f"Réponse #{answer.pk} {'masquée' if hidden else 'mise à jour'}.")
    return redirect("exchange:call", pk=call.pk)


@login_required
def call_synthesis(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    if not can_manage_call(request.user, call):
        return forbidden(request, "Seuls les animateurs de l'appel rédigent le cahier de synthèse.")
    form = SynthesisForm(request.POST or None, initial={"synthesis": call.synthesis})
    if request.method == "POST" and form.is_valid():
        call.synthesis = form.cleaned_data["synthesis"]
        call.synthesis_updated = timezone.now()
        call.synthesis_by = request.user
        call.save(update_fields=["synthesis", "synthesis_updated", "synthesis_by"])
        messages.success(request, "Cahier de synthèse enregistré.")
        return redirect("exchange:call", pk=call.pk)
    manager = True
    return render(
        request,
        "exchange/synthesis_form.html",
        {
            "title": f"Cahier de synthèse — {call.title}",
            "call": call,
            "form": form,
            "answers": [a for a in _visible_answers(request, call, manager) if not a.hidden],
        },
    )


@partner_required
def call_synthesis_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("organisation", "author"), pk=pk)
    answers = [a for a in _visible_answers(request, call, False) if not a.hidden]
    pdf = synthesis.render_pdf(
        call,
        {
            "item": labelled(call),
            "answers": answers,
            "organisations": sorted({str(a.organisation) for a in answers if a.organisation}),
        },
    )
    audit.record(audit.Action.TELECHARGEMENT, f"cahier de synthèse de l'appel #{call.pk}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="cahier-de-synthese-appel-{call.pk}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    if not can_manage_call(request.user, call):
        return forbidden(request, "Seuls les animateurs de l'appel le clôturent.")
    if not call.is_closed:
        call.closed_at = timezone.now()
        call.save(update_fields=["closed_at"])
        audit.record(audit.Action.VALIDATION, f"appel #{call.pk} : {call.title}", {"clôture": True})
    messages.success(request, "Appel clos : il reste consultable, il ne reçoit plus de réponses.")
    return redirect("exchange:call", pk=call.pk)


@partner_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("answer__call"), pk=pk)
    answer = attachment.answer
    if answer.hidden and not (
        can_manage_call(request.user, answer.call) or answer.author_id == request.user.pk
    ):
        return forbidden(request, "Cette réponse a été masquée par l'animateur de l'appel.")
    return library.download(attachment, f"pièce jointe #{attachment.pk} (appel #{answer.call_id})")
