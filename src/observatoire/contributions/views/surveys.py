"""The annual satisfaction survey: animateurs set the questions, signed-in partners answer
once, animateurs and administrators read the results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from observatoire.accounts.permissions import profile_of
from observatoire.accounts.refusals import forbidden
from observatoire.contributions import access
from observatoire.contributions.forms import AnswerForm, QuestionFormSet, SurveyForm
from observatoire.contributions.models import Question, Survey
from observatoire.contributions.survey_results import results, save_answers

NO_ROLE = "Les enquêtes sont réservées aux partenaires connectés ayant un rôle sur la plateforme."
MANAGERS_ONLY = "Réservé aux animateurs et aux administrateurs de l'observatoire."
CREATOR_ONLY = (
    "Seuls l'animateur qui a créé cette enquête et les administrateurs de l'observatoire "
    "peuvent la clore ou la rouvrir."
)


@login_required
@require_safe
def surveys(request: HttpRequest) -> HttpResponse:
    if not access.can_answer_surveys(request.user):
        return forbidden(request, NO_ROLE)
    answered = set(request.user.survey_responses.values_list("survey_id", flat=True))
    items = [
        {"survey": s, "answered": s.pk in answered, "questions": s.questions.count()}
        for s in Survey.objects.all()
    ]
    return render(
        request,
        "contributions/survey_list.html",
        {
            "title": "Enquêtes de satisfaction",
            "items": items,
            "manager": access.can_manage_surveys(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_surveys(request.user):
        return forbidden(request, MANAGERS_ONLY)
    form = SurveyForm(request.POST or None)
    questions = QuestionFormSet(request.POST or None, prefix="q")
    error = None
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        filled = [q for q in questions.cleaned_data if q.get("texte", "").strip()]
        if not filled:
            error = "Saisissez au moins une question."
        else:
            with transaction.atomic():
                survey = Survey.objects.create(
                    title=form.cleaned_data["titre"],
                    year=form.cleaned_data["annee"],
                    introduction=form.cleaned_data["presentation"],
                    created_by=request.user,
                )
                for position, q in enumerate(filled):
                    Question.objects.create(
                        survey=survey,
                        position=position,
                        text=q["texte"].strip(),
                        kind=q["type"],
                        choices=q.get("choix", "") if q["type"] == Question.Kind.CHOIX else "",
                        required=bool(q.get("obligatoire")),
                    )
            messages.success(
                request, f"Enquête « {survey.title} » créée : les partenaires peuvent y répondre."
            )
            return redirect("contributions:surveys")
    return render(
        request,
        "contributions/survey_create.html",
        {
            "title": "Nouvelle enquête de satisfaction",
            "form": form,
            "questions": questions,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_answer_surveys(request.user):
        return forbidden(request, NO_ROLE)
    survey = get_object_or_404(Survey, pk=pk)
    context: dict[str, Any] = {"title": survey.title, "survey": survey}
    if survey.responses.filter(user=request.user).exists():
        context["already"] = True
        return render(request, "contributions/survey_answer.html", context)
    if not survey.is_open:
        context["closed"] = True
        return render(request, "contributions/survey_answer.html", context)
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        profile = profile_of(request.user)
        answers = {q.pk: form.cleaned_data.get(f"q{q.pk}") for q in form.questions}
        try:
            save_answers(survey, request.user, profile.organisation if profile else None, answers)
        except IntegrityError:  # answered meanwhile, from another tab
            context["already"] = True
            return render(request, "contributions/survey_answer.html", context)
        messages.success(request, "Merci : vos réponses sont enregistrées.")
        return redirect("contributions:surveys")
    context["form"] = form
    return render(request, "contributions/survey_answer.html", context)


@login_required
@require_safe
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_manage_surveys(request.user):
        return forbidden(request, MANAGERS_ONLY)
    survey = get_object_or_404(Survey, pk=pk)
    count, rows = results(survey)
    return render(
        request,
        "contributions/survey_results.html",
        {
            "title": f"Résultats — {survey.title}",
            "survey": survey,
            "count": count,
            "rows": rows,
            "demo_answers": survey.responses.filter(is_demo=True).count(),
            "may_toggle": access.can_open_or_close(request.user, survey),
        },
    )


@login_required
@require_POST
def survey_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the survey to answers, or reopen it."""
    if not access.can_manage_surveys(request.user):
        return forbidden(request, MANAGERS_ONLY)
    survey = get_object_or_404(Survey, pk=pk)
    if not access.can_open_or_close(request.user, survey):
        return forbidden(request, CREATOR_ONLY)
    survey.is_open = not survey.is_open
    survey.save(update_fields=["is_open"])
    messages.success(
        request, "Enquête rouverte." if survey.is_open else "Enquête close aux réponses."
    )
    return redirect("contributions:survey_results", survey.pk)
