"""What the plans tell a territory's portrait (port `observatoire.ports.TERRITORY_PLANS`,
registered in PlansConfig.ready): the plans whose territory covers it, with their progress
and, for a commune, its fiche de suivi in the plan. The portal asks through the port and
never imports this app (independence contract, pyproject.toml).

Reading a plan is public (plans/permissions.py): every plan covering the territory is
offered to every user; `user` is part of the port's signature for providers whose
content depends on the reader."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from observatoire import figures
from observatoire.plans import followup
from observatoire.plans.models import Plan
from observatoire.plans.templatetags.plans_pages import percent
from observatoire.ratio import ratio
from observatoire.territories import Level, Territory


def plans_of(territory: Territory, user: Any = None) -> list[dict[str, Any]]:
    """The plans covering `territory`, the closest territory first (a commune's PLH before
    its département's PDH), the most recent first within a territory: title, kind, period, progress (the overview's « taux de réalisation »:
    actions done over actions not abandoned) and links."""
    ref = figures.referential()
    today = date.today()
    found = []
    for plan in Plan.objects.all():
        if not ref.exists(plan.territory) or not figures.covers([plan.territory], territory):
            continue
        progress = followup.orientations(plan, today)
        done = sum(o.done for o in progress)
        active = sum(o.active for o in progress)
        fiche = None
        if territory.level is Level.COM:
            fiche = reverse("plans:fiche_commune", args=[plan.pk, territory.id])
        found.append(
            {
                "title": plan.title,
                "kind": plan.type,
                "kind_label": plan.get_type_display(),
                "territory": plan.territory,
                "territory_name": ref.name(plan.territory),
                "period": plan.period,
                "start_year": plan.start_year,
                "end_year": plan.end_year,
                "progress": ratio(done, active),
                "progress_label": percent(ratio(done, active)),
                "done": done,
                "active": active,
                "url": reverse("plans:plan", args=[plan.pk]),
                "size": len(ref.communes_of(plan.territory)),
                "fiche_url": fiche,
            }
        )
    found.sort(key=lambda p: (p["size"], -p["start_year"], p["title"]))
    return found
