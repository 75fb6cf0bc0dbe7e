"""« Demander l'accès » (issue #14 §5): a signed-in user asks for the figures of a
diffusion level they may not read on a territory; the animateurs whose scope covers the
territory (and the administrators) grant or refuse it, the requester is told on their
page and by e-mail, and every step is in the audit log.

Granting adds the territory to the requester's scope (Profile.territories): the permission
model has no per-source nor time-limited right, so a grant opens every figure of that
diffusion level on the territory, until an administrator narrows the scope again. An
animateur only widens the scope of a lecteur (or of an account without role, which
becomes lecteur): widening an animateur's or contributeur's scope also widens what they
may edit and whom they may invite, which stays with the administrators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from observatoire import figures
from observatoire.accounts import audit
from observatoire.accounts.models import AccessRequest, Profile, Role
from observatoire.accounts.permissions import can_read, in_scope, profile_of, role_of
from observatoire.territories import Territory

State = AccessRequest.State
# Public figures need no request: these are the levels one may ask for.
REQUESTABLE = {
    "partenaires": "partenaires (comptes de l'observatoire)",
    "restreint": "restreint (comptes dont le périmètre couvre le territoire)",
}


class AccessError(Exception):
    """Why a request cannot be made or decided, in French."""


def territory_label(t: Territory) -> str:
    ref = figures.referential()
    return f"{ref.name(t)} ({t.id})" if ref.exists(t) else t.id


def deciders(territory: Territory) -> list[Any]:
    """Active animateurs whose scope covers `territory` (administrators decide too, but
    are told only through the pending list: they cover every territory)."""
    profiles = Profile.objects.filter(role=Role.ANIMATEUR).select_related("user")
    return [
        p.user for p in profiles if p.user.is_active and in_scope(p.user, territory)
    ]  # fmt: skip


def may_decide(user: Any, request: AccessRequest) -> bool:
    role = role_of(user)
    if role == "admin":
        return True
    return role == "animateur" and in_scope(user, request.territory)


def pending_for(user: Any) -> list[AccessRequest]:
    """The pending requests `user` may decide, oldest first."""
    if role_of(user) not in ("admin", "animateur"):
        return []
    pending = AccessRequest.objects.filter(state=State.PENDING).select_related("requester")
    return [r for r in pending.order_by("created") if may_decide(user, r)]


def unseen_answers(user: Any) -> int:
    """Decisions on the user's requests not yet read on their page."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return (
        AccessRequest.objects.filter(requester=user, seen=False)
        .exclude(state=State.PENDING)
        .count()
    )


def submit(
    user: Any, territory: Territory, diffusion: str, reason: str, indicator: str = ""
) -> AccessRequest:
    if diffusion not in REQUESTABLE:
        raise AccessError(
            f"Niveau de diffusion « {diffusion} » : une demande porte sur "
            f"« partenaires » ou « restreint » (les données publiques sont ouvertes à tous)."
        )
    if can_read(user, diffusion, territory):
        raise AccessError(
            f"Vous avez déjà accès aux données de diffusion « {diffusion} » sur "
            f"{territory_label(territory)} : rechargez la page qui vous a amené ici."
        )
    pending = AccessRequest.objects.filter(
        requester=user, territory=territory.id, diffusion=diffusion, state=State.PENDING
    ).first()
    if pending is not None:
        raise AccessError(_already(pending))
    try:
        with transaction.atomic():
            made = AccessRequest.objects.create(
                requester=user,
                territory=territory,
                diffusion=diffusion,
                indicator=indicator,
                reason=reason,
            )
    except IntegrityError:  # the same form sent twice at once
        raise AccessError(
            f"Une demande d'accès à {territory_label(territory)} est déjà en attente."
        ) from None
    audit.record(audit.Action.ACCES, _target(made), {"décision": "demandée", **_detail(made)})
    _mail(
        [u.email for u in deciders(territory) if u.email],
        f"Demande d'accès : {territory_label(territory)}",
        "accounts/email/access_request.txt",
        made,
    )
    return made


def _already(pending: AccessRequest) -> str:
    return (
        f"Vous avez déjà demandé l'accès aux données de diffusion « {pending.diffusion} » sur "
        f"{territory_label(pending.territory)} le {pending.created:%d/%m/%Y} : elle est en "
        "attente de la réponse d'un animateur."
    )


@transaction.atomic
def grant(actor: Any, request: AccessRequest, answer: str = "") -> AccessRequest:
    locked = _decidable(actor, request)
    requester = locked.requester
    role = role_of(requester)
    if role not in (None, Role.LECTEUR) and role_of(actor) != "admin":
        raise AccessError(
            f"{requester} a le rôle « {Role(role).label} » : seul un administrateur étend "
            "le périmètre d'un compte qui peut modifier ou inviter."
        )
    profile = profile_of(requester) or Profile(user=requester, role=Role.LECTEUR)
    if not in_scope(requester, locked.territory) and role != "admin":
        profile.territories = [*profile.territories, locked.territory]
        profile.save()  # the rights change is logged by signals._profile_after
    return _decide(actor, locked, State.GRANTED, answer)


@transaction.atomic
def refuse(actor: Any, request: AccessRequest, answer: str) -> AccessRequest:
    if not answer.strip():
        raise AccessError("Indiquez le motif du refus : il est transmis au demandeur.")
    return _decide(actor, _decidable(actor, request), State.REFUSED, answer.strip())


def _decidable(actor: Any, request: AccessRequest) -> AccessRequest:
    # Locked: two animateurs answering at once give one decision.
    locked = (
        AccessRequest.objects.select_for_update().select_related("requester").get(pk=request.pk)
    )
    if not may_decide(actor, locked):
        raise PermissionError(locked.territory)
    if locked.state != State.PENDING:
        raise AccessError(
            f"Cette demande a déjà reçu une réponse ({locked.get_state_display().lower()} "
            f"le {locked.decided:%d/%m/%Y})."
        )
    return locked


def _decide(actor: Any, request: AccessRequest, state: Any, answer: str) -> AccessRequest:
    request.state = state
    request.answer = answer
    request.decided = timezone.now()
    request.decided_by = actor
    request.seen = False
    request.save(update_fields=["state", "answer", "decided", "decided_by", "seen"])
    verdict = "accordée" if state == State.GRANTED else "refusée"
    audit.record(
        audit.Action.ACCES,
        _target(request),
        {"décision": verdict, "réponse": answer, **_detail(request)},
        actor=actor,
    )
    email = request.requester.email
    _mail(
        [email] if email else [],
        f"Votre demande d'accès : {verdict}",
        "accounts/email/access_decision.txt",
        request,
    )
    return request


def _target(request: AccessRequest) -> str:
    return f"demande d'accès #{request.pk} de {request.requester}"


def _detail(request: AccessRequest) -> dict[str, Any]:
    return {
        "territoire": request.territory.id,
        "diffusion": request.diffusion,
        "indicateur": request.indicator,
    }


def _mail(to: list[str], subject: str, template: str, request: AccessRequest) -> None:
    if not to:
        return
    body = render_to_string(
        template,
        {"r": request, "territory": territory_label(request.territory), "site": _site()},
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def _site() -> str:
    current = audit.current_request()
    return current.build_absolute_uri("/")[:-1] if current is not None else ""
