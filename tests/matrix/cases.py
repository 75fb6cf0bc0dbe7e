"""The permission matrix format. Each app lists its cases in tests/matrix/cases_<app>.py
as `CASES: list[Case]`; test_matrix.py runs every case for every role and checks that
every named URL of the project has at least one case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLE_NAMES = (
    "anonyme",
    "admin",
    "animateur",
    "contributeur_lens",
    "lecteur_lens",
    "lecteur_arras",
)


@dataclass(frozen=True)
class Case:
    """One request and the status code expected for each role (all six must be given).

    `path` may be a callable (evaluated at run time, e.g. to find a plan id);
    `data` is the POST body (dict or callable returning one)."""

    url_name: str
    path: str | Callable[[], str]
    expect: dict[str, int]
    method: str = "GET"
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = set(ROLE_NAMES) - set(self.expect)
        assert not missing, f"{self.url_name}: rôles sans attente {sorted(missing)}"


def expect(
    allowed: tuple[str, ...] = ROLE_NAMES,
    *,
    ok: int = 200,
    denied: int = 403,
    anonymous: int | None = None,
) -> dict[str, int]:
    """`ok` for `allowed` roles, `denied` for the others; anonymous users get
    `anonymous` when given (302 to the login page for pages, 401 for the API)."""
    out = {role: (ok if role in allowed else denied) for role in ROLE_NAMES}
    if anonymous is not None and "anonyme" not in allowed:
        out["anonyme"] = anonymous
    return out


EVERYONE = ROLE_NAMES
SIGNED_IN = tuple(r for r in ROLE_NAMES if r != "anonyme")


def lens_organisation_elsewhere() -> None:
    """Give the "CA de Lens-Liévin" (organisation of contributeur_lens, scope: the CA) a
    territory of the Lot: its member's scope no longer covers it, so none of the rights
    that follow the organisation apply (issue #11). Rolled back with the case's test."""
    from observatoire.accounts.models import Organisation

    Organisation.objects.update_or_create(
        name="CA de Lens-Liévin", defaults={"kind": "epci", "territory": "DEP:46"}
    )
