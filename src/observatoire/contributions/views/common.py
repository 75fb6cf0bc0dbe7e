"""What every contributions page shares: the French refusal page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {"title": "Accès refusé", "code": 403, "message": message},
        status=403,
    )


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {"title": "Demande invalide", "code": 400, "message": message},
        status=400,
    )
