"""The one permission function: the portal pages, the exports, the API and the document
library all ask `can_read`. Deny by default: an unknown diffusion level, a user without
profile or a territory outside the user's scope reads nothing beyond public data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from observatoire.territories import Level, Territory

DIFFUSIONS = ("public", "partenaires", "restreint")


def profile_of(user: Any) -> Any | None:
    """The user's Profile, or None for anonymous users and users without one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "profile", None) if hasattr(user, "profile") else None


def role_of(user: Any) -> str | None:
    """`admin`, `animateur`, `contributeur`, `lecteur`, or None (public). A Django
    superuser is an administrator of the observatoire."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return "admin"
    profile = profile_of(user)
    return profile.role if profile is not None and user.is_active else None


def covers(scope: list[Territory], territory: Territory) -> bool:
    """True when every commune of `territory` lies in the scope. France, regions and
    départements are covered only by an equal or larger scope territory."""
    return territory in scope or _covered(_communes(scope), territory)


def _communes(scope: list[Territory]) -> set[str] | None:
    """The communes of a scope (None: all of France)."""
    from observatoire.portal import data

    ref = data.referential()
    allowed: set[str] = set()
    for t in scope:
        if t.level is Level.FR:
            return None
        if ref.exists(t):
            allowed.update(ref.communes_of(t))
    return allowed


def _covered(allowed: set[str] | None, territory: Territory) -> bool:
    from observatoire.portal import data

    ref = data.referential()
    if not ref.exists(territory):
        return False
    if allowed is None:
        return True
    wanted = set(ref.communes_of(territory))
    return bool(wanted) and wanted <= allowed


def in_scope(user: Any, territory: Territory | None) -> bool:
    """Is `territory` inside the user's territorial scope? Admins: everywhere.
    `territory=None` asks whether the user has any scope at all."""
    role = role_of(user)
    if role is None:
        return False
    if role == "admin":
        return True
    profile = profile_of(user)
    scope = profile.scope() if profile is not None else []
    if territory is None:
        return bool(scope)
    return covers(scope, territory)


def can_read(user: Any, diffusion: str, territory: Territory | None = None) -> bool:
    """May `user` read something of this diffusion level about `territory`?

    - public: everyone;
    - partenaires: any signed-in user with a role;
    - restreint: admins, or a role whose territorial scope contains `territory`
      (with `territory=None`, e.g. listing the catalogue: any role with a scope).
    """
    if diffusion == "public":
        return True
    role = role_of(user)
    if role is None:
        return False
    if diffusion == "partenaires":
        return True
    if diffusion == "restreint":
        return in_scope(user, territory)
    return False


def unreadable(user: Any, diffusion: str, territories: Iterable[Territory]) -> list[Territory]:
    """Those of `territories` the user may not read at this diffusion level: `can_read`
    for many territories at once (a map's sub-territories), the scope computed once."""
    wanted = list(territories)
    if diffusion == "public" or not wanted:
        return []
    role = role_of(user)
    if diffusion not in DIFFUSIONS or role is None:
        return wanted
    if diffusion == "partenaires" or role == "admin":
        return []
    profile = profile_of(user)
    scope = profile.scope() if profile is not None else []
    allowed = _communes(scope)
    return [t for t in wanted if t not in scope and not _covered(allowed, t)]


def first_unreadable(
    user: Any, diffusion: str, territories: Iterable[Territory]
) -> Territory | None:
    """The first of `territories` the user may not read, None when all are readable."""
    denied = unreadable(user, diffusion, territories)
    return denied[0] if denied else None


def has_role(user: Any, *roles: str) -> bool:
    """True when the user's role is one of `roles` (admin always passes)."""
    role = role_of(user)
    return role is not None and (role == "admin" or role in roles)
