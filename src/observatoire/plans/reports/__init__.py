"""The plans' reports: the bilan annuel (`annual`, re-exported here) built from the
actions' blocks (`actions`) and the production blocks (`production`), the fiches de suivi
(`fiches`), the PDF (`pdf`) and XLSX (`xlsx`) renderings, and the payloads' shapes
(`payloads`)."""

from observatoire.plans.reports.annual import (
    TYPE_LABELS,
    VERSION,
    bilan,
    bilan_payload,
    frozen,
    plan_header,
    reference_date,
    take_snapshot,
    years,
)

__all__ = [
    "TYPE_LABELS",
    "VERSION",
    "bilan",
    "bilan_payload",
    "frozen",
    "plan_header",
    "reference_date",
    "take_snapshot",
    "years",
]
