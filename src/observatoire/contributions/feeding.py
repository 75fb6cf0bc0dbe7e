"""A checked partner file feeds the observatory: it is kept as an upload with its rows,
and each row becomes an operation (a realisation) of every PLH whose territory holds the
commune and whose period holds the year, so the plan's objectives follow it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from observatoire import figures
from observatoire.accounts import audit
from observatoire.accounts.models import AuditEvent, Organisation
from observatoire.contributions.models import Upload, UploadRow
from observatoire.contributions.partner_data import PartnerRow
from observatoire.plans.models import Operation, Plan, PlanType
from observatoire.territories import TerritoryError


class PlanFinder:
    """The PLH plans covering a commune in a year (communes of each plan read once)."""

    def __init__(self) -> None:

        ref = figures.referential()
        self.plans: list[tuple[Plan, set[str]]] = []
        for plan in Plan.objects.filter(type=PlanType.PLH).order_by("pk"):
            try:
                communes = set(ref.communes_of(plan.territory))
            except TerritoryError:
                continue
            self.plans.append((plan, communes))

    def plans_for(self, territory: str, year: int) -> list[Plan]:
        code = territory.removeprefix("COM:")
        return [
            p
            for p, communes in self.plans
            if code in communes and p.start_year <= year <= p.end_year
        ]


def targets(rows: Iterable[PartnerRow]) -> list[tuple[PartnerRow, list[Plan]]]:
    finder = PlanFinder()
    return [(r, finder.plans_for(r.territory, r.year)) for r in rows]


def source_label(organisation: Organisation | None, user: Any, when: datetime) -> str:
    """ "dépôt <organisation> du <date>", as the plans show an operation's source."""
    who = organisation.name if organisation is not None else str(user)
    return f"dépôt {who} du {timezone.localtime(when):%d/%m/%Y}"


def previous(digest: str, user: Any) -> Upload | None:
    """The same file already deposited by the same user (a second deposit would count
    its dwellings twice)."""
    if not digest:
        return None
    return Upload.objects.filter(digest=digest, author=user).first()


def save(
    rows: list[PartnerRow],
    *,
    file_name: str,
    digest: str,
    user: Any,
    organisation: Organisation | None,
) -> Upload:
    """Everything in one transaction: the upload, its rows, their operations, the audit."""
    now = timezone.now()
    source = source_label(organisation, user, now)
    planned = targets(rows)
    with transaction.atomic():
        upload = Upload.objects.create(
            file_name=file_name[:300],
            digest=digest,
            author=user,
            organisation=organisation,
            source=source,
        )
        operations = 0
        plan_ids: set[int] = set()
        for row, plans in planned:
            kept = UploadRow.objects.create(
                upload=upload,
                template=row.template,
                sheet=row.sheet,
                line=row.line,
                territory=row.territory,
                address=row.address,
                name=row.name,
                dwellings=row.dwellings,
                product=row.product,
                year=row.year,
                stage=row.stage,
                bailleur=row.bailleur,
            )
            for plan in plans:
                op = Operation.objects.create(
                    plan=plan,
                    territory=row.territory,
                    year=row.year,
                    product=row.product,
                    dwellings=row.dwellings,
                    name=row.name,
                    stage=row.stage,
                    source=source,
                    is_demo=False,
                    created_by=user,
                )
                kept.operations.add(op)
                operations += 1
                plan_ids.add(plan.pk)
        audit.record(
            AuditEvent.Action.IMPORT,
            f"dépôt de données partenaires {upload.pk} — {file_name}",
            {
                "fichier": file_name,
                "lignes": len(rows),
                "opérations": operations,
                "plans": sorted(plan_ids),
                "sha256": digest,
            },
            actor=user,
        )
    return upload
