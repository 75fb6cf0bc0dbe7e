"""Ports: what one web app offers the others about a territory, without their importing
each other (the independence contract in pyproject.toml). The offering app registers a
provider when Django starts (its AppConfig.ready); the asking app calls `offered()` and
gets whatever the installed apps provide, or nothing. Kept free of Django and of every
app so that any of them may import it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The plans of a territory, for its portrait and its publications: a provider is called
# with (territory, user) and returns a list of mappings (see plans/apps.py).
TERRITORY_PLANS = "territory_plans"

# The plans of a territory as their bilan of a year, for the annual report's élus edition
# and the "5 minutes" deck: a provider is called with (territory, year) and returns the
# plans' bilan payloads, plain JSON values (see plans/reports/payloads.py BilanPayload),
# frozen when the plan's photographie of that year was taken.
PLAN_PROGRESS = "plan_progress"

_providers: dict[str, list[Callable[..., list[Any]]]] = {}


def provide(port: str, provider: Callable[..., list[Any]]) -> None:
    """Register `provider` for `port`; registering the same function twice is a no-op
    (Django may call ready() more than once in tests)."""
    registered = _providers.setdefault(port, [])
    if provider not in registered:
        registered.append(provider)


def offered(port: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Everything the providers of `port` offer for these arguments, in registration order."""
    return [item for provider in _providers.get(port, []) for item in provider(*args, **kwargs)]
