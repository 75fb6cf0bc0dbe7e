"""API tokens: `Authorization: Token <key>` authenticates a request to the API as the
token's owner (same rights as their session, through the same permission function).

A token is not an ambient credential (a browser never sends it by itself), so CSRF
checks do not apply to token-authenticated requests. A wrong, revoked or malformed
token is answered 401 in French at once: it never falls back to anonymous access."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from observatoire.accounts.models import ApiToken

API_PREFIX = "/api/"
# last_used is a hint for the owner, not a log: written at most once a minute per token.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def _refused(message: str) -> JsonResponse:
    response = JsonResponse({"erreur": message}, status=401)
    response["WWW-Authenticate"] = 'Token realm="api"'
    return response


def authenticate(header: str) -> ApiToken | str:
    """The token named by an Authorization header, or the French reason it is refused."""
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "token":
        return (
            f"Schéma d'authentification « {scheme} » non pris en charge : utilisez l'en-tête "
            "« Authorization: Token <clé> »."
        )
    key = key.strip()
    token = (
        ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(key)).first()
        if key
        else None
    )
    if token is None:
        return "Jeton d'API invalide ou révoqué : créez-en un depuis la page « Mon compte »."
    if not token.user.is_active:
        return "Le compte de ce jeton d'API est désactivé."
    return token


class TokenAuthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and request.path.startswith(API_PREFIX):
            found = authenticate(header)
            if isinstance(found, str):
                return _refused(found)
            request.user = found.user
            request.api_token = found
            request._dont_enforce_csrf_checks = True
            now = timezone.now()
            if found.last_used is None or now - found.last_used > TOUCH_EVERY:
                ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        return self.get_response(request)
