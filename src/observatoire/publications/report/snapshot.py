"""One frozen report per territory and year (ReportSnapshot): the first generation stores
the payload it used with its sha256; every later one reads it back, so the report of year
N regenerates identically after the data changed. `refresh=True` takes a new photograph."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.db import transaction

from observatoire.errors import UserError
from observatoire.publications.models import ReportSnapshot
from observatoire.publications.report.content import payload
from observatoire.territories import Territory


def checksum(p: dict[str, Any]) -> str:
    canonical = json.dumps(p, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def frozen(
    territory: Territory,
    year: int,
    user: Any = None,
    refresh: bool = False,
    today: date | None = None,
) -> dict[str, Any]:
    """The payload of the report of `territory` for `year`: the stored one, else built
    now and stored."""
    with transaction.atomic():
        snap = ReportSnapshot.objects.filter(territory=territory, year=year).first()
        if snap is not None and not refresh:
            stored: dict[str, Any] = snap.payload
            if checksum(stored) != snap.checksum:
                raise UserError(
                    f"Le rapport {year} de {territory.id} enregistré a été modifié depuis sa "
                    "génération (empreinte sha256 différente) : régénérez-le avec --refresh."
                )
            return stored
        built = payload(territory, year, today)
        ReportSnapshot.objects.filter(territory=territory, year=year).delete()
        taken_by = user if getattr(user, "is_authenticated", False) else None
        ReportSnapshot.objects.create(
            territory=territory,
            year=year,
            taken_by=taken_by,
            payload=built,
            checksum=checksum(built),
        )
        return built
