"""The usage dashboard: its figures are the counts of the accounts, the audit log and the
contributions; breakdowns add up; animateurs see the accounts of their départements."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.test import Client

CORSE = ["DEP:2A"]  # no demo account there: its row holds this test's accounts only


def _numbers(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-usage="([a-z]+)">(\d+)<', html)}


def _table(html: str, table_id: str) -> dict[str, list[int]]:
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    out = {}
    for label, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S):
        out[label.strip()] = [int(v) for v in re.findall(r"<td>(\d+)</td>", cells)]
    return out


def _event(action: str, actor: Any, days_ago: int = 0) -> None:
    from django.utils import timezone

    from observatoire.accounts.models import AuditEvent

    e = AuditEvent.objects.create(action=action, actor=actor, target="test d'usage")
    AuditEvent.objects.filter(pk=e.pk).update(at=timezone.now() - timedelta(days=days_ago))


# The demo holds 8 profiles and 9 contributions (figures, uploads and call answers), and no
# sign-in nor download: each figure below is the demo's plus what the test adds.
EXPECTED = {
    "profiles": 8 + 3,  # the Corse bailleur's two accounts and the admin
    "active": 2,  # signed in within 90 days: the bailleur (40 days) and the admin (now)
    "signins": 5,  # in the 12 months: 40, 120 and 200 days ago, and the two test clients
    "downloads": 3,  # every download, anonymous and older than a year included
    "contributions": 9 + 1,
}


def test_dashboard_counts(signed_in: Callable[..., Client], make_user: Callable[..., Any]) -> None:
    from observatoire.accounts.models import AuditEvent, Profile
    from observatoire.contributions.models import FigureContribution

    corse = signed_in(
        "contributeur", CORSE, organisation="Bailleur corse (test d'usage)", kind="bailleur"
    )
    user = corse.user  # type: ignore[attr-defined]
    _event("connexion", user, days_ago=40)
    _event("connexion", user, days_ago=200)  # in the 12 months, not in the 90 days
    _event("telechargement", user)
    _event("telechargement", user, days_ago=500)
    _event("telechargement", None)  # an anonymous download of a public document
    sleeper = make_user(
        "lecteur", CORSE, organisation="Bailleur corse (test d'usage)", kind="bailleur"
    )
    _event("connexion", sleeper, days_ago=120)  # not active any more
    FigureContribution.objects.create(
        indicator_code="log_total",
        territory="COM:2A004",
        year=2030,
        kind="chiffre_local",
        value=Decimal(1),
        source="test d'usage",
        author=user,
    )
    admin = signed_in("admin", [])
    response = admin.get("/contributions/statistiques/")
    html = response.content.decode()
    assert response.status_code == 200
    expected = EXPECTED
    assert _numbers(html) == expected

    # Breakdowns add up to the totals; the one bailleur kind matches the ORM's own count.
    kinds = _table(html, "usage-types")
    columns = ["profiles", "active", "signins", "downloads", "contributions"]
    for i, name in enumerate(columns):
        assert sum(row[i] for row in kinds.values()) == expected[name], name
    bailleurs = kinds["Bailleur social"]
    assert bailleurs[0] == Profile.objects.filter(organisation__kind="bailleur").count()
    assert (
        bailleurs[3]
        == AuditEvent.objects.filter(
            action="telechargement", actor__profile__organisation__kind="bailleur"
        ).count()
    )
    # Corse-du-Sud: only this test's two accounts (the sign-in of the test client counts).
    assert _table(html, "usage-departements")["Corse-du-Sud (2A)"] == [2, 1, 4, 2, 1]
    months = _table(html, "usage-mois")
    assert sum(row[0] for row in months.values()) == expected["signins"]
    assert '"connexions"' in html and "/static/vendor/vega-lite/vega-lite.min.js" in html

    # An animateur of Corse-du-Sud sees its accounts only (and itself).
    animateur = signed_in(
        "animateur", CORSE, organisation="Collectivité de Corse (test)", kind="region"
    )
    numbers = _numbers(animateur.get("/contributions/statistiques/").content.decode())
    assert numbers["profiles"] == 3
    assert numbers["downloads"] == 2 and numbers["contributions"] == 1
    # Contributeurs and readers do not see the dashboard.
    assert corse.get("/contributions/statistiques/").status_code == 403
