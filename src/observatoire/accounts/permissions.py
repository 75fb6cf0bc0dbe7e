"""The one permission function: the portal pages, the exports, the API and the document
library all ask `can_read`. Deny by default: an unknown diffusion level, a user without
profile or a territory outside the user's scope reads nothing beyond public data.

The territorial reasoning is the figures service's (`observatoire.figures.Reader`): this
module only turns a Django user into a reader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from observatoire.figures import Reader
from observatoire.territories import Territory


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


def reader_of(user: Any) -> Reader:
    """What the figures service needs to know of a user: role and territorial scope."""
    role = role_of(user)
    if role is None or role == "admin":
        return Reader(role)
    profile = profile_of(user)
    return Reader(role, tuple(profile.scope()) if profile is not None else ())


def in_scope(user: Any, territory: Territory | None) -> bool:
    """Is `territory` inside the user's territorial scope? Admins: everywhere.
    `territory=None` asks whether the user has any scope at all."""
    return reader_of(user).in_scope(territory)


def can_read(user: Any, diffusion: str, territory: Territory | None = None) -> bool:
    """May `user` read something of this diffusion level about `territory`?

    - public: everyone;
    - partenaires: any signed-in user with a role;
    - restreint: admins, or a role whose territorial scope contains `territory`
      (with `territory=None`, e.g. listing the catalogue: any role with a scope).
    """
    if diffusion == "public":
        return True
    return reader_of(user).can_read(diffusion, territory)


def unreadable(user: Any, diffusion: str, territories: Iterable[Territory]) -> list[Territory]:
    """Those of `territories` the user may not read at this diffusion level: `can_read`
    for many territories at once (a map's sub-territories), the scope computed once."""
    return reader_of(user).unreadable(diffusion, territories)


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


def acts_for(
    user: Any, organisation_id: int | None, territories: Iterable[Territory | None] = ()
) -> bool:
    """May the user use the rights of organisation `organisation_id` (pilot of an action,
    author of a document, depositor of an upload) over an object about `territories`?

    Belonging to the organisation is not enough: an account put into an organisation
    of another territory (issue #11: an animateur of the Lot inviting into the CA de
    Lens-Liévin) must not inherit its rights. The user's scope must also cover the
    organisation's own territory (when it has one) and one of the object's territories
    (when it has any; otherwise the user needs some scope)."""
    profile = profile_of(user)
    if organisation_id is None or profile is None or role_of(user) is None:
        return False
    if profile.organisation_id != organisation_id:
        return False
    reader = reader_of(user)
    own = profile.organisation.territory
    if own is not None and not reader.in_scope(own):
        return False
    listed = [t for t in territories if t is not None]
    if not listed:
        return reader.in_scope(None)
    return any(reader.in_scope(t) for t in listed)
