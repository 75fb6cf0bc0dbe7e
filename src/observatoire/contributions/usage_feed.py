"""The platform's usage statistics feed plan indicators: the Nord PDH's fiche 11
(« Observatoire et plateforme d'échange ») follows « Nombre de profils créés, de
connexion ». Each year of the plan up to now gets an entry of the indicator's series
(profiles created in the year, the year's sign-ins in the comment), written only when
the figures changed, so the series keeps its history like a pilot's entries."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from observatoire.accounts.models import AuditEvent, Profile
from observatoire.plans.models import ActionIndicator, IndicatorEntry
from observatoire.territories import Territory

# (plan territory, action number, indicator label) as typed in the seed workbook
# data/plans/nord-pdh.xlsx, sheet Indicateurs.
USAGE_INDICATORS = {("DEP:59", "11", "Nombre de profils créés, de connexion")}
SOURCE = "statistiques d'usage de la plateforme"


def fed_indicators() -> list[ActionIndicator]:
    out = []
    for territory, number, label in sorted(USAGE_INDICATORS):
        out += ActionIndicator.objects.filter(
            action__plan__territory=Territory.parse(territory), action__number=number, label=label
        ).select_related("action__plan")
    return out


def feed_usage(now: datetime | None = None) -> int:
    """Entries written (0 when every year's figures are already current)."""
    now = now or timezone.now()
    created = Counter(
        timezone.localtime(d).year
        for d in Profile.objects.values_list("user__date_joined", flat=True)
    )
    signins = Counter(
        timezone.localtime(d).year
        for d in AuditEvent.objects.filter(action=AuditEvent.Action.CONNEXION).values_list(
            "at", flat=True
        )
    )
    written = 0
    for ind in fed_indicators():
        plan = ind.action.plan
        current = {e.year: e for e in ind.entries.all()}  # ordered: the latest entry wins
        for year in range(plan.start_year, min(plan.end_year, timezone.localtime(now).year) + 1):
            value = Decimal(created.get(year, 0))
            comment = f"{signins.get(year, 0)} connexions dans l'année"
            last = current.get(year)
            if last is not None and last.value == value and last.comment == comment:
                continue
            IndicatorEntry.objects.create(
                indicator=ind, year=year, value=value, comment=comment, source=SOURCE
            )
            written += 1
    return written
