"""The audit log: sign-ins (and failures, sign-outs), permission changes, invitations,
API tokens, imports and deletions, with who, when and from which address.

The acting user and address come from the request being served (AuditMiddleware keeps
them in a context variable), so a change made anywhere — a page, the Django admin, a
signal — is attributed without passing the request around. Other apps call `record`
for their own events (imports, validations)."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from observatoire.accounts.models import AuditEvent

Action = AuditEvent.Action

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "observatoire_audit_request", default=None
)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. In production gunicorn listens on 127.0.0.1 behind nginx,
    which appends the address it sees to X-Forwarded-For (docs/deploiement.md): the last
    entry is the only one not written by the client. Embedded mode: REMOTE_ADDR."""
    if request is None:
        return None
    from observatoire.settings import active

    if active().production:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or None


def current_request() -> HttpRequest | None:
    return _request.get()


def record(
    action: Any,
    target: str = "",
    detail: dict[str, Any] | None = None,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one event (`action`: a member of AuditEvent.Action, or its value); actor and
    address default to those of the request being served."""
    request = request or _request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return AuditEvent.objects.create(
        actor=actor,
        action=str(action),
        target=target[:300],
        detail=detail or {},
        ip=client_ip(request),
    )


class AuditMiddleware:
    """Make the request being served known to `record` (signals have no request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
