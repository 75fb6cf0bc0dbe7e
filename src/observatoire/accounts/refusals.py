"""The error page every app answers with (`portal/error.html`): a refusal says why, in
French, with its status code. Deny by default ends here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def error_page(request: HttpRequest, code: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {"title": title, "code": code, "message": message},
        status=code,
    )


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """403 « Accès refusé », with what the user's role or scope does not allow."""
    return error_page(request, 403, "Accès refusé", message)


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """400 « Demande invalide »: what in the request cannot be served."""
    return error_page(request, 400, "Demande invalide", message)
