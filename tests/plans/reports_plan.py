"""A small but complete plan built with the ORM for the report tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

LENS, LIEVIN, AVION = "COM:62498", "COM:62510", "COM:62065"


def build(title: str) -> Any:
    from observatoire.accounts.models import Organisation
    from observatoire.plans.models import (
        Action,
        ActionActor,
        ActionIndicator,
        BudgetLine,
        IndicatorEntry,
        Milestone,
        Objective,
        Operation,
        Orientation,
        Plan,
        StatusChange,
    )

    org, _ = Organisation.objects.get_or_create(name="CA de Lens-Liévin", defaults={"kind": "epci"})
    p = Plan.objects.create(
        title=title,
        type="PLH",
        territory="EPCI:246200364",
        start_year=2020,
        end_year=2025,
        owner=org,
        child_label="modalité",
    )
    o1 = Orientation.objects.create(plan=p, number="1", title="Produire des logements", position=1)
    o2 = Orientation.objects.create(plan=p, number="2", title="Améliorer le parc", position=2)
    a1 = Action.objects.create(
        plan=p, orientation=o1, number="1-1", title="Logement social", status="en_cours"
    )
    a2 = Action.objects.create(
        plan=p, orientation=o1, number="1-2", title="Accession aidée", status="realisee", position=2
    )
    sub = Action.objects.create(
        plan=p, orientation=o1, parent=a1, number="1-1-1", title="PLAI adapté"
    )
    a3 = Action.objects.create(
        plan=p, orientation=o2, number="2-1", title="Rénovation", status="abandonnee"
    )
    ActionActor.objects.create(action=a1, organisation=org, role="pilote")
    StatusChange.objects.create(action=a1, status="en_cours", comment="Lancement")
    StatusChange.objects.create(action=a2, status="realisee", comment="Import du classeur x.xlsx")
    BudgetLine.objects.create(
        action=a1, year=2024, prevu=Decimal("100000"), engage=Decimal("60000"), realise=None
    )
    BudgetLine.objects.create(
        action=sub, year=2024, prevu=Decimal("20000"), engage=None, realise=Decimal("5000")
    )
    BudgetLine.objects.create(
        action=a1, year=2023, prevu=Decimal("50000"), realise=Decimal("40000")
    )
    BudgetLine.objects.create(action=a3, year=2025, prevu=Decimal("9999"))
    Milestone.objects.create(
        action=a1, label="Convention avec les bailleurs", due="T2 2024", due_date=date(2024, 6, 30)
    )
    Milestone.objects.create(
        action=a1,
        label="Bilan à mi-parcours",
        due="2023",
        due_date=date(2023, 12, 31),
        status="atteint",
        done_on=date(2023, 11, 2),
    )
    Milestone.objects.create(
        action=a3, label="Étude pré-opérationnelle", due="2026", due_date=date(2026, 12, 31)
    )
    manual = ActionIndicator.objects.create(
        action=a1, label="Logements sociaux agréés", unit="logements", target="150 par an"
    )
    IndicatorEntry.objects.create(indicator=manual, year=2024, value=Decimal("120"), source="DDTM")
    IndicatorEntry.objects.create(indicator=manual, year=2024, value=Decimal("131"), source="DDTM")
    ActionIndicator.objects.create(
        action=a3, label="Taux de vacance", indicator_code="taux_vacance", unit="%"
    )
    for year in range(2020, 2026):
        Objective.objects.create(plan=p, territory=LENS, year=year, product="total", value=100)
        Objective.objects.create(plan=p, territory=LENS, year=year, product="plai", value=20)
        Objective.objects.create(
            plan=p, territory=LIEVIN, year=year, product="total", value=50, is_demo=True
        )
        Objective.objects.create(
            plan=p, territory="EPCI:246200364", year=year, product="total", value=1310
        )
    Operation.objects.create(
        plan=p, territory=LENS, year=2024, product="plai", dwellings=30, name="Résidence des Mines"
    )
    Operation.objects.create(plan=p, territory=LENS, year=2023, product="plus", dwellings=97)
    Operation.objects.create(
        plan=p, territory=LIEVIN, year=2024, product="psla", dwellings=12, is_demo=True
    )
    Operation.objects.create(plan=p, territory=AVION, year=2024, product="pls", dwellings=8)
    return p
