"""The Nord PDH's fiche 11 indicator « Nombre de profils créés, de connexion » is fed by
the platform's usage statistics, year by year, and shown on the plan's action page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any


def _indicator() -> Any:
    from observatoire.plans.models import ActionIndicator

    return ActionIndicator.objects.select_related("action__plan").get(
        action__plan__territory="DEP:59",
        action__number="11",
        label="Nombre de profils créés, de connexion",
    )


def test_usage_feeds_the_nord_fiche_11_indicator(client, django_user_model) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone
    from django.utils.html import escape

    from observatoire.accounts.models import AuditEvent, Profile
    from observatoire.contributions.usage_feed import SOURCE, feed_usage

    now = timezone.now()
    year = timezone.localtime(now).year
    ind = _indicator()
    # The demo already fed it: every year of the plan up to now has its entry.
    assert {e.year for e in ind.entries.all()} == set(range(ind.action.plan.start_year, year + 1))
    assert feed_usage(now) == 0  # nothing changed: no new entry
    before = Profile.objects.filter(user__date_joined__year=year).count()
    signins = AuditEvent.objects.filter(action="connexion", at__year=year).count()
    user = django_user_model.objects.create_user("nouveau-profil", date_joined=now)
    Profile.objects.create(user=user, role="lecteur", territories=["DEP:59"])
    for _ in range(3):
        AuditEvent.objects.create(action="connexion", actor=user, target="connexion")
    assert feed_usage(now + timedelta(seconds=1)) == 1
    latest = [e for e in _indicator().entries.all() if e.year == year][-1]
    assert latest.value == Decimal(before + 1)
    assert latest.comment == f"{signins + 3} connexions dans l'année"
    assert latest.source == SOURCE
    a = ind.action
    html = client.get(f"/plans/{a.plan_id}/actions/{a.number}/").content.decode()
    block = html.split(f'data-indicator="{ind.pk}"')[1].split("</table>")[0]
    assert escape(f"{signins + 3} connexions dans l'année") in block and escape(SOURCE) in block
