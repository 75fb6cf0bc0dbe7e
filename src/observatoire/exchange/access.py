"""Who may do what in the exchange platform. Every reading goes through
accounts.permissions (can_read with the object's territories); deny by default."""

from __future__ import annotations

from typing import Any

from observatoire.accounts.permissions import acts_for, can_read, has_role, in_scope, role_of
from observatoire.exchange.models import Call, Defi, Document
from observatoire.territories import Territory

WRITERS = ("animateur", "contributeur")


def can_read_document(user: Any, document: Document) -> bool:
    """Public: everyone; partenaires: any role; restreint: a role whose scope covers one
    of the document's territories (a restricted document without territory: admins)."""
    if document.diffusion != "restreint":
        return can_read(user, document.diffusion)
    return any(can_read(user, "restreint", t) for t in document.territories) or has_role(user)


def is_partner(user: Any) -> bool:
    """Calls for contribution and défis are read by signed-in partners (any role)."""
    return role_of(user) is not None


def can_write(user: Any) -> bool:
    """Deposit documents, answer calls, ask and answer défis: contributeurs, animateurs."""
    return has_role(user, *WRITERS)


def animates(user: Any, territories: list[Territory]) -> bool:
    """Admins; animateurs whose scope covers one of the territories. Nothing without
    territory is anybody's to animate but the admins' (deny by default)."""
    if has_role(user):
        return True
    if role_of(user) != "animateur":
        return False
    return any(in_scope(user, t) for t in territories)


def can_edit_document(user: Any, document: Document) -> bool:
    """New version, deletion: admins, the depositor or a writer of the author
    organisation, animateurs of its territories — and only if they can read it."""
    if not can_read_document(user, document):
        return False
    if has_role(user):
        return True
    if not can_write(user):
        return False
    if document.author_id == user.pk:
        return True
    if acts_for(user, document.organisation_id, document.territories):
        return True
    return animates(user, document.territories)


def can_manage_call(user: Any, call: Call) -> bool:
    """Tag and moderate answers, write the synthesis, close the call."""
    if has_role(user):
        return True
    if role_of(user) != "animateur":
        return False
    return call.author_id == user.pk or animates(user, call.territories)


def can_accept(user: Any, defi: Defi) -> bool:
    """The asker, or an animateur (of the défi's territories)."""
    if not is_partner(user):
        return False
    return defi.author_id == user.pk or animates(user, defi.territories)
