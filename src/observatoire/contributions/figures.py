"""Contributions on figures: a proposal, its decision (with the dated history) and the
validated local figures of a territory, shown next to the official values."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from observatoire.accounts import audit
from observatoire.accounts.models import AuditEvent
from observatoire.accounts.permissions import profile_of
from observatoire.contributions.models import FigureContribution, FigureEvent
from observatoire.figures import QueryError, Value, cube
from observatoire.indicators.catalog import catalog
from observatoire.territories import Territory

Status = FigureContribution.Status


class AlreadyDecided(Exception):
    """The contribution was validated or rejected in the meantime."""


def official(code: str, territory: Territory, year: int | None) -> Value | None:
    """The observatory's own value (None when the cube cannot answer)."""

    if code not in catalog():
        return None
    try:
        return cube().value(code, territory, year=year)
    except QueryError:
        return None


def propose(
    *,
    indicator_code: str,
    territory: Territory,
    year: int,
    kind: str,
    value: Decimal,
    unit: str,
    source: str,
    comment: str = "",
    author: Any = None,
    organisation: Any = None,
    is_demo: bool = False,
) -> FigureContribution:
    if organisation is None:
        profile = profile_of(author)
        organisation = profile.organisation if profile is not None else None
    current = official(indicator_code, territory, year)
    with transaction.atomic():
        contribution = FigureContribution.objects.create(
            indicator_code=indicator_code,
            territory=territory,
            year=year,
            kind=kind,
            value=value,
            unit=unit,
            source=source,
            comment=comment,
            official_value=current.value if current is not None and current.year == year else None,
            author=author if author is not None and author.is_authenticated else None,
            organisation=organisation,
            is_demo=is_demo,
        )
        FigureEvent.objects.create(
            contribution=contribution, status=Status.PROPOSEE, by=contribution.author
        )
    return contribution


def decide(contribution: FigureContribution, *, validate: bool, by: Any, comment: str) -> None:
    """Validate or reject a proposal, once: the row is locked so two animateurs deciding
    at the same moment cannot both succeed."""
    status = Status.VALIDEE if validate else Status.REJETEE
    with transaction.atomic():
        locked = FigureContribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.status != Status.PROPOSEE:
            raise AlreadyDecided(locked.get_status_display())
        locked.status = status
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        FigureEvent.objects.create(contribution=locked, status=status, by=by, comment=comment)
        audit.record(
            AuditEvent.Action.VALIDATION,
            f"contribution {locked.pk} — {locked}",
            {"décision": "validée" if validate else "rejetée", "motif": comment},
            actor=by,
        )
    contribution.refresh_from_db()


def validated(territory: Territory) -> dict[str, list[FigureContribution]]:
    """Validated figures of one territory per indicator code, latest year first."""
    out: dict[str, list[FigureContribution]] = defaultdict(list)
    rows = FigureContribution.objects.filter(
        territory=territory, status=Status.VALIDEE
    ).select_related("organisation")
    for c in rows.order_by("-year", "-decided_at", "-id"):
        out[c.indicator_code].append(c)
    return dict(out)


def formatted(c: FigureContribution) -> str:
    """French number format, with the indicator's decimals."""
    indicator = catalog().get(c.indicator_code)
    decimals = indicator.decimals if indicator is not None else 2
    text = f"{float(c.value):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} {c.unit}".strip()


def indicator_label(code: str) -> str:
    indicator = catalog().get(code)
    return indicator.label if indicator is not None else code
