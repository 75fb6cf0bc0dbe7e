"""Who may read what: a `Reader` (role and territorial scope, built by the apps from their
user) against a diffusion level. Deny by default: an unknown diffusion level or a reader
without role reads nothing beyond public data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from observatoire.figures.store import referential
from observatoire.territories import Level, Territory

DIFFUSIONS = ("public", "partenaires", "restreint")


@dataclass(frozen=True)
class Reader:
    """The role (`admin`, `animateur`, `contributeur`, `lecteur`; None: the public) and
    the territories of the reader's scope."""

    role: str | None = None
    scope: tuple[Territory, ...] = ()

    def in_scope(self, territory: Territory | None) -> bool:
        """Is `territory` inside the scope? Admins: everywhere. `territory=None` asks
        whether the reader has any scope at all."""
        if self.role is None:
            return False
        if self.role == "admin":
            return True
        if territory is None:
            return bool(self.scope)
        return covers(self.scope, territory)

    def can_read(self, diffusion: str, territory: Territory | None = None) -> bool:
        """- public: everyone;
        - partenaires: any reader with a role;
        - restreint: admins, or a role whose scope contains `territory` (with
          `territory=None`, e.g. listing the catalogue: any role with a scope)."""
        if diffusion == "public":
            return True
        if self.role is None:
            return False
        if diffusion == "partenaires":
            return True
        if diffusion == "restreint":
            return self.in_scope(territory)
        return False

    def unreadable(self, diffusion: str, territories: Iterable[Territory]) -> list[Territory]:
        """Those of `territories` the reader may not read at this diffusion level:
        `can_read` for many territories at once (a map's sub-territories), the scope's
        communes computed once."""
        wanted = list(territories)
        if diffusion == "public" or not wanted:
            return []
        if diffusion not in DIFFUSIONS or self.role is None:
            return wanted
        if diffusion == "partenaires" or self.role == "admin":
            return []
        allowed = _communes(self.scope)
        return [t for t in wanted if t not in self.scope and not _covered(allowed, t)]


PUBLIC = Reader()


def covers(scope: Iterable[Territory], territory: Territory) -> bool:
    """True when every commune of `territory` lies in the scope. France, regions and
    départements are covered only by an equal or larger scope territory."""
    scope = tuple(scope)
    return territory in scope or _covered(_communes(scope), territory)


def _communes(scope: Iterable[Territory]) -> set[str] | None:
    """The communes of a scope (None: all of France)."""
    ref = referential()
    allowed: set[str] = set()
    for t in scope:
        if t.level is Level.FR:
            return None
        if ref.exists(t):
            allowed.update(ref.communes_of(t))
    return allowed


def _covered(allowed: set[str] | None, territory: Territory) -> bool:
    ref = referential()
    if not ref.exists(territory):
        return False
    if allowed is None:
        return True
    wanted = set(ref.communes_of(territory))
    return bool(wanted) and wanted <= allowed
