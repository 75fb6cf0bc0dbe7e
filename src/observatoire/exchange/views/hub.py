"""The exchange hub: latest documents readable by the visitor, open calls and recent
défis (for partners)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from observatoire.exchange.access import can_write, is_partner
from observatoire.exchange.models import Call, Defi
from observatoire.exchange.views.common import labelled
from observatoire.exchange.views.documents import readable_documents

LATEST = 5


def index(request: HttpRequest) -> HttpResponse:
    partner = is_partner(request.user)
    calls = Call.objects.filter(
        closed_at__isnull=True, deadline__gte=timezone.localdate()
    ).select_related("organisation")
    defis = Defi.objects.select_related("accepted_answer")
    return render(
        request,
        "exchange/index.html",
        {
            "title": "Plateforme d'échange",
            "documents": [labelled(d) for d in readable_documents(request.user)[:LATEST]],
            "partner": partner,
            "calls": [labelled(c) for c in calls[:LATEST]] if partner else [],
            "defis": [labelled(d) for d in defis[:LATEST]] if partner else [],
            "can_write": can_write(request.user),
        },
    )
