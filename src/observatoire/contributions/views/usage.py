"""The usage dashboard (administrators and animateurs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from observatoire.accounts.refusals import forbidden
from observatoire.contributions import access, usage
from observatoire.contributions.views.declared_uploads import provided


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    if not access.can_follow_usage(request.user):
        return forbidden(
            request,
            "Le tableau de bord d'usage est réservé aux administrateurs et aux animateurs de l'observatoire.",
        )
    board = usage.compute(request.user)
    return render(
        request,
        "contributions/usage.html",
        {
            "title": "Statistiques d'usage",
            "board": board,
            "chart": usage.chart_spec(board.months),
            "active_days": usage.ACTIVE_DAYS,
            "provided": provided(request.user),
        },
    )
