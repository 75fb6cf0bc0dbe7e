"""The contributions hub: what the visitor may do here, according to their role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from observatoire.accounts.permissions import in_scope
from observatoire.contributions import access
from observatoire.contributions.models import FigureContribution, Survey


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "title": "Contributions des partenaires",
        "can_propose": access.may_propose(user),
        "can_upload": access.may_propose(user) and in_scope(user, None),
        "can_validate": access.may_validate(user),
        "can_usage": access.can_follow_usage(user),
        "can_answer": access.can_answer_surveys(user),
        "validated": FigureContribution.objects.filter(
            status=FigureContribution.Status.VALIDEE
        ).count(),
        "open_surveys": Survey.objects.filter(is_open=True).count(),
    }
    return render(request, "contributions/index.html", context)
