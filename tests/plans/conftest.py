"""A small, valid plan workbook built in the tests (never the seed workbooks), and a
canonical form of a saved plan to compare two plans."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from tests.support import workbook_bytes

Sheets = dict[str, list[list[Any]]]

ACTION_HEADERS = [
    "numero",
    "orientation",
    "parent",
    "intitule",
    "etat",
    "contexte",
    "objectifs",
    "descriptif",
    "territoires",
    "publics",
    "calendrier",
    "conditions_reussite",
    "budget_texte",
    "actions_liees",
]


def plan_sheets(start: int = 2031, title: str = "PLH d'essai du classeur") -> Sheets:
    """Every sheet of the template, headers in line 1 (some in the user's spelling)."""
    end = start + 5
    blank = [None] * 8
    return {
        "Plan": [
            ["Champ", "Valeur"],
            ["intitule", title],
            ["type", "PLH"],
            ["territoire", "EPCI:200033579"],
            ["debut", start],
            ["fin", end],
            ["adoption", "2030-11-15"],
            ["maitre_ouvrage", "CU d'Arras"],
            ["libelle_sous_actions", "modalité"],
            ["realisations", "operations"],
            ["presentation", "Un PLH d'essai.\n- première puce\n- seconde puce"],
        ],
        "Orientations": [["numero", "Intitulé"], [1, "Produire"], ["2", "Réhabiliter"]],
        "Actions": [
            ACTION_HEADERS,
            [
                "1-1",
                "1",
                None,
                "Produire du logement social",
                "en cours",
                "Constat.",
                *blank[:7],
                "2-1",
            ],
            ["1-1-1", 1, "1-1", "Modalité PLAI", "à lancer", *blank],
            ["1-2", "1", None, "Accession aidée", "réalisée", *blank, "1-1; 2-1"],
            ["2-1", "2", None, "Rénover le parc privé", None, *blank],
        ],
        "Acteurs": [
            ["action", "organisation", "type_organisation", "role"],
            ["1-1", "CU d'Arras", "epci", "pilote"],
            ["1-1", "Bailleur d'essai du classeur", "bailleur", "partenaire"],
            ["2-1", "Opérateur d'essai du classeur", None, "pilote"],
        ],
        "Budget": [
            ["action", "Année", "prevu", "engage", "realise", "commentaire"],
            ["1-1", start, 1200000, 800000.5, None, "Fonds propres"],
            ["1-1", start + 1, "1 000 000", None, None, None],
            ["2-1", end, 0, None, None, None],
        ],
        "Jalons": [
            ["action", "jalon", "Échéance", "etat", "atteint_le"],
            ["1-1", "Convention signée", f"T1 {start}", "atteint", f"{start}-02-10"],
            ["1-1", "Bilan à mi-parcours", f"S2 {start + 2}", None, None],
            ["2-1", "Comité annuel", "annuel", "en cours", None],
            ["2-1", "Étude pré-opérationnelle", f"{start + 1}", None, None],
        ],
        "Indicateurs": [
            ["action", "indicateur", "code_observatoire", "territoire", "unite", "cible"],
            ["1-1", "Logements vacants", "log_vacants", None, "logements", "-10 %"],
            ["2-1", "Dossiers Anah", None, "COM:62041", "dossiers", "50 par an"],
        ],
        "Objectifs": [
            ["territoire", "annee", "produit", "objectif", "demonstration"],
            ["EPCI:200033579", start, "total", 1310, None],
            ["EPCI:200033579", start, "PLAI", 150, "non"],
            ["62041", start, "plus", 40, "oui"],
            ["COM:62004", start + 1, "total", 30, None],
        ],
    }


def upload(content: bytes, name: str = "plan.xlsx") -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


@pytest.fixture
def make_workbook() -> Callable[..., io.BytesIO]:
    """make_workbook(edit=None, start=2031, name=...) -> an uploaded-like file object."""

    def make(
        edit: Callable[[Sheets], None] | None = None, start: int = 2031, name: str = "plan.xlsx"
    ) -> io.BytesIO:
        sheets = plan_sheets(start)
        if edit is not None:
            edit(sheets)
        return upload(workbook_bytes(sheets), name)

    return make


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def canonical(plan: Any) -> dict[str, Any]:
    """Everything the workbook carries, in a comparable form (ids left out)."""
    plan.refresh_from_db()
    actions = []
    for a in plan.actions.all():
        actions.append(
            {
                "number": a.number,
                "orientation": a.orientation.number,
                "parent": a.parent.number if a.parent else None,
                "title": a.title,
                "status": a.status,
                "texts": [
                    a.context,
                    a.objectives,
                    a.description,
                    a.territories,
                    a.publics,
                    a.calendar,
                    a.conditions,
                    a.budget_note,
                ],
                "linked": sorted(x.number for x in a.linked.all()),
                "actors": [
                    (x.organisation.name, x.organisation.kind, x.role) for x in a.actors.all()
                ],
                "budget": [
                    (b.year, _amount(b.prevu), _amount(b.engage), _amount(b.realise), b.comment)
                    for b in a.budget.all()
                ],
                "milestones": [
                    (m.label, m.due, m.due_date, m.status, m.done_on) for m in a.milestones.all()
                ],
                "indicators": [
                    (i.label, i.indicator_code, i.territory, i.unit, i.target)
                    for i in a.indicators.all()
                ],
            }
        )
    return {
        "plan": (
            plan.title,
            plan.type,
            plan.territory,
            plan.start_year,
            plan.end_year,
            plan.adopted_on,
            plan.owner.name if plan.owner else None,
            plan.child_label,
            plan.realisations,
            plan.description,
        ),
        "orientations": [(o.number, o.title) for o in plan.orientations.all()],
        "actions": actions,
        "objectives": sorted(
            (o.territory, o.year, o.product, o.value, o.is_demo) for o in plan.objectives.all()
        ),
    }


def table_counts() -> dict[str, int]:
    """Rows of every table an import writes to."""
    from observatoire.accounts.models import AuditEvent, Organisation
    from observatoire.plans import models

    tables = [
        models.Plan,
        models.Orientation,
        models.Action,
        models.ActionActor,
        models.BudgetLine,
        models.Milestone,
        models.StatusChange,
        models.ActionIndicator,
        models.Objective,
        Organisation,
        AuditEvent,
    ]
    return {t.__name__: t.objects.count() for t in tables}
