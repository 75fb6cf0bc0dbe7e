"""The shipped workbooks of the PD2H du Lot 2024-2030 and of the PDH du Nord, typed from
the seed documents: what a habitat officer checks against the real plans (counts,
verbatim texts, calendar, pilots)."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from observatoire.settings import Settings

PLANS_DIR = Path(str(resources.files("observatoire") / "data" / "plans"))
LOT = PLANS_DIR / "lot-pd2h-2024-2030.xlsx"
NORD = PLANS_DIR / "nord-pdh.xlsx"

LOT_MODALITES = [
    "1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3",
    "6.1", "6.2", "6.3", "7.1", "7.2", "8.1", "8.2", "8.3", "9.1", "9.2", "9.3",
]  # fmt: skip


def _plan(path: Path, type_: str, territory: str, start: int) -> Any:
    """The plan as the demo loaded it; imported here when the demo did not."""
    from observatoire.plans.models import Plan
    from observatoire.plans.workbook import import_workbook

    plan = Plan.objects.filter(type=type_, territory=territory, start_year=start).first()
    return plan or import_workbook(path)


@pytest.fixture
def lot(web: Settings) -> Any:
    return _plan(LOT, "PD2H", "DEP:46", 2024)


@pytest.fixture
def nord(web: Settings) -> Any:
    return _plan(NORD, "PDH", "DEP:59", 2021)


def _actors(action: Any, role: str) -> set[str]:
    return {a.organisation.name for a in action.actors.filter(role=role)}


@pytest.mark.parametrize("path", [LOT, NORD], ids=["lot", "nord"])
def test_the_seed_workbooks_read_without_any_problem(web: Settings, path: Path) -> None:
    from observatoire.plans.workbook import read_workbook

    parsed, problems = read_workbook(path)
    assert [str(p) for p in problems] == []
    assert parsed is not None


def test_lot_has_the_four_orientations_actions_1_to_9_and_modalites_1_1_to_9_3(lot: Any) -> None:
    assert (lot.type, lot.territory.id, lot.period) == ("PD2H", "DEP:46", "2024-2030")
    assert lot.child_label == "modalité"
    assert lot.owner.name == "Département du Lot"
    orientations = list(lot.orientations.values_list("number", "title"))
    assert [n for n, _ in orientations] == ["1", "2", "3", "4"]
    assert orientations[0][1] == (
        "Comprendre et s'organiser pour apporter et produire des réponses sur-mesure"
    )
    top = list(lot.actions.filter(parent=None).values_list("number", flat=True))
    assert top == [str(n) for n in range(1, 10)]
    modalites = list(lot.actions.exclude(parent=None).select_related("parent", "orientation"))
    assert [m.number for m in modalites] == LOT_MODALITES
    for m in modalites:
        assert m.parent.number == m.number.split(".")[0]
        assert m.orientation_id == m.parent.orientation_id
    by_orientation = {
        o.number: o.actions.filter(parent=None).count() for o in lot.orientations.all()
    }
    assert by_orientation == {"1": 3, "2": 2, "3": 2, "4": 2}


def test_lot_texts_are_the_seed_texts(lot: Any) -> None:
    actions = {a.number: a for a in lot.actions.all()}
    assert actions["1"].title == (
        "Déployer un observatoire de l'habitat et de l'hébergement au service des "
        "territoires et du PDHH"
    )
    assert actions["1.1"].title == "Remettre en place un observatoire adossé au PDHH"
    assert actions["1"].context.startswith("Des constats issus du diagnostic...\n- ")
    assert "- Un observatoire départemental de l'habitat peu animé ces dernières années" in (
        actions["1"].context
    )
    assert actions["4.1"].territories == (
        "- La production de logements locatifs très sociaux sera à développer notamment sur "
        "les Communes Petites Villes de Demain"
    )
    assert "- Centre ancien commune de Cahors : Une population très vulnérable." in (
        actions["4.1"].conditions
    )
    assert actions["9.2"].objectives.splitlines()[0] == (
        "- Mieux se connaître, sensibiliser et communiquer en rendant efficient les instances "
        "de prévention des expulsions locatives"
    )
    assert actions["5.1"].publics == "- Nouveaux arrivants, saisonniers, étudiants, alternants"
    assert {a.number for a in actions["9.3"].linked.all()} == {"8.3", "8"}
    indicators = list(actions["4.3"].indicators.values_list("label", flat=True))
    assert len(indicators) == 7
    assert indicators[2] == "Montant et évolution des loyers"
    # The draft gives no amount and no production objective.
    assert not lot.objectives.exists()
    assert not any(a.budget.exists() for a in actions.values())


def test_lot_calendar_gives_the_milestones_of_a_modalite(lot: Any) -> None:
    m11 = lot.actions.get(number="1.1")
    assert m11.calendar.splitlines() == [
        "- T1 2024 : (1)",
        "- T2 2024 : (2)",
        "- T3 2024 : (4)",
        "- T4 2024 : (5)",
    ]
    milestones = [(m.label, m.due, m.due_date) for m in m11.milestones.all()]
    assert milestones == [
        (
            "Définir les relations entre comité stratégique, observatoire et comité technique",
            "T1 2024",
            date(2024, 3, 31),
        ),
        (
            "Définir le rôle de l'Etat et du Département : qui anime? qui participe et "
            "comment? qui communique et comment? qui valide?",
            "T2 2024",
            date(2024, 6, 30),
        ),
        ("Validation par le comité stratégique", "T3 2024", date(2024, 9, 30)),
        ("Première publication = faire connaître le PDHH", "T4 2024", date(2024, 12, 31)),
    ]
    m42 = lot.actions.get(number="4.2")
    assert [(m.label, m.due) for m in m42.milestones.all()] == [
        ("Observation (en lien avec l'action 1)", "T1 2024"),
        ("Mobilisation et analyse de THLV", "T3 2024"),
        (
            "Suivi des logements et rénovation selon les opportunités (lien avec action 1)",
            "durée du plan",
        ),
    ]
    # « Durée du plan » alone: the milestone is the modalité itself, with no date.
    m92 = lot.actions.get(number="9.2")
    assert [(m.label, m.due, m.due_date) for m in m92.milestones.all()] == [
        (m92.title, "durée du plan", None)
    ]


def test_lot_pilots_and_partners_of_a_modalite(lot: Any) -> None:
    m72 = lot.actions.get(number="7.2")
    assert _actors(m72, "pilote") == {"DDT du Lot"}
    assert {"ADIL 46", "CAF du Lot", "Département du Lot", "EPCI du Lot"} <= _actors(
        m72, "partenaire"
    )
    m42 = lot.actions.get(number="4.2")
    assert _actors(m42, "pilote") == {"DDT du Lot", "Département du Lot"}
    assert _actors(m42, "partenaire") == {"Communes du Lot", "EPCI du Lot"}
    adil = m72.actors.get(organisation__name="ADIL 46").organisation
    assert adil.kind == "adil"


def test_nord_has_four_axes_and_fiches_1_to_12(nord: Any) -> None:
    assert (nord.type, nord.territory.id, nord.period) == ("PDH", "DEP:59", "2021-2027")
    axes = list(nord.orientations.values_list("number", "title"))
    assert axes == [
        ("1", "Produire l'habitat solidaire de demain"),
        ("2", "Mieux répondre aux besoins des publics cibles"),
        ("3", "Renforcer les interventions sur le parc existant"),
        ("4", "Vision stratégique"),
    ]
    fiches = list(nord.actions.select_related("orientation"))
    assert [f.number for f in fiches] == [str(n) for n in range(1, 13)]
    assert all(f.parent_id is None for f in fiches)
    axis = {f.number: f.orientation.number for f in fiches}
    assert [axis[str(n)] for n in range(1, 13)] == list("111222233344")
    for f in fiches:
        assert f.objectives.startswith("- ") and f.territories.startswith("- ")
        assert f.description.startswith("Nature de l'action\n- ")


def test_nord_texts_indicators_and_milestones(nord: Any) -> None:
    fiches = {f.number: f for f in nord.actions.all()}
    assert fiches["1"].title == (
        "La BRIC 59 « Bâtir le Réseau Ingénierie et Construction du Nord »"
    )
    assert fiches["11"].title == "Observatoire et plateforme d'échange"
    assert "- Fréquence : trimestrielle (4 au total dans l'année)" in fiches["1"].description
    assert fiches["11"].publics == "- EPCI, opérateurs, partenaires institutionnels"
    assert "Liste des indicateurs (base de données)" in fiches["11"].description
    linked = fiches["1"].indicators.get(indicator_code="logements_commences")
    assert linked.label == (
        "Dynamique de construction dans les villes et bourgs (cf. typologie SRADDET)"
    )
    assert list(fiches["7"].indicators.values_list("label", flat=True)) == [
        "Nombre de PLAI adaptés construits par an",
        "Nombre de « MOUS offre nouvelle » réalisées",
    ]
    assert [(m.due, m.due_date) for m in fiches["12"].milestones.all()] == [
        ("T4 2021", date(2021, 12, 31)),
        ("annuel", None),
    ]
    assert _actors(fiches["9"], "partenaire") == {
        "Action Logement",
        "URHLM (Union Régionale HLM)",
        "État (Nord)",
        "Département du Nord",
        "Banque des Territoires",
    }
    # The fiches name partners only, no pilot.
    assert not any(f.actors.filter(role="pilote").exists() for f in fiches.values())
