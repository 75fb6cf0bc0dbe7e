"""The publications' models: the team's commentary and the follows (each in the module of
its domain), and the frozen content of an annual report, defined here."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from observatoire.publications.commentary import Commentary
from observatoire.publications.follows import Follow, Notification
from observatoire.territory_fields import TerritoryField

__all__ = ["Commentary", "Follow", "Notification", "ReportSnapshot"]


class ReportSnapshot(models.Model):
    """What the report of a territory for a year used (figures, summary, charts, the plans'
    bilans), stored once as JSON with its checksum: regenerating it after the data changed
    gives the same report (as the plans' "photographie au 31/12", plans.models.Snapshot)."""

    territory = TerritoryField("territoire")
    year = models.PositiveSmallIntegerField("année du rapport")
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    payload = models.JSONField()
    # sha256 of the payload's canonical JSON: a stored report altered by hand is refused.
    checksum = models.CharField(max_length=64)

    class Meta:
        ordering = ["-year", "territory"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "year"], name="report_year_unique")
        ]
