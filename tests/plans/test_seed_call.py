"""The shipped workbook of the PLH 2014-2020 of the CA de Lens-Liévin, typed from the
seed « Programme d'actions PLH 2014-2020 »: what a habitat officer checks against the
real plan (counts, verbatim texts, yearly budgets, production objectives, actors)."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from observatoire.settings import Settings

CALL_WORKBOOK = Path(str(resources.files("observatoire") / "data" / "plans")) / (
    "call-plh-2014-2020.xlsx"
)
CALL = "EPCI:246200364"
CALL_NAME = "Communauté d'agglomération de Lens-Liévin"
YEARS = list(range(2014, 2021))

ACTIONS = [
    "1-1", "1-2", "1-3", "1-4", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "3-4",
    "4-1", "4-2", "4-3", "4-4", "4-5", "4-6",
]  # fmt: skip
SUB_ACTIONS = [
    "1-2-1", "1-2-2", "1-2-3", "1-3-1", "1-3-2", "1-3-3", "1-4-1", "1-4-2", "1-4-3",
    "2-1-1", "2-1-2", "3-2-1", "3-2-2", "3-3-1",
]  # fmt: skip


@pytest.fixture
def call(web: Settings) -> Any:
    """The plan as the demo loaded it; imported here when the demo did not."""
    from observatoire.plans.models import Plan
    from observatoire.plans.workbook import import_workbook

    plan = Plan.objects.filter(type="PLH", territory=CALL, start_year=2014).first()
    return plan or import_workbook(CALL_WORKBOOK)


def _actors(action: Any, role: str) -> set[str]:
    return {a.organisation.name for a in action.actors.filter(role=role)}


def test_the_call_workbook_reads_without_any_problem(web: Settings) -> None:
    from observatoire.plans.workbook import read_workbook

    parsed, problems = read_workbook(CALL_WORKBOOK)
    assert [str(p) for p in problems] == []
    assert parsed is not None
    # The seed has no progress: every action is still to be launched.
    assert {a.status for a in parsed.actions} == {"a_lancer"}


def test_four_orientations_17_actions_and_14_sous_actions(call: Any) -> None:
    assert (call.type, call.territory.id, call.period) == ("PLH", CALL, "2014-2020")
    assert call.title == (
        "Programme local de l'habitat 2014-2020 de la Communauté d'agglomération de Lens-Liévin"
    )
    assert call.owner.name == CALL_NAME and call.owner.kind == "epci"
    assert call.child_label == "sous-action"
    assert "« six années du PLH »" in call.description
    assert list(call.orientations.values_list("number", "title")) == [
        ("1", "Mettre en marché 1310 logements par an répondant à une diversité de besoins"),
        ("2", "Agir pour l'amélioration et l'adaptation du parc existant"),
        ("3", "Logement des publics particuliers"),
        ("4", "Partager la politique de l'habitat"),
    ]
    top = list(call.actions.filter(parent=None).select_related("orientation"))
    assert [a.number for a in top] == ACTIONS
    assert [a.orientation.number for a in top] == [n[0] for n in ACTIONS]
    subs = list(call.actions.exclude(parent=None).select_related("parent", "orientation"))
    assert [s.number for s in subs] == SUB_ACTIONS
    for s in subs:
        assert s.parent.number == s.number.rsplit("-", 1)[0]
        assert s.orientation_id == s.parent.orientation_id


def test_texts_are_the_seed_texts(call: Any) -> None:
    actions = {a.number: a for a in call.actions.all()}
    assert actions["1-2"].title == "L'action foncière, clé de voûte des politiques de l'habitat"
    assert actions["3-2"].title == "Améliorer les conditions de logement des jeunes"
    assert actions["1-2-3"].title == (
        "Charge foncière : agir pour la maîtrise urbaine et sociale du renouvellement des quartiers"
    )
    assert actions["1-1"].context.startswith(
        "Sur la période 2005-2009 le rythme de la construction neuve sur le territoire "
        "s'établit à une moyenne de 1006 logements par an"
    )
    assert (
        "un potentiel constructif de 16 207 logements pour les six années du PLH"
        in actions["1-1"].context
    )
    assert actions["1-1"].territories == "A la commune."
    assert actions["1-1"].description.splitlines()[1] == (
        "- Présentation annuelle du suivi de l'évolution de la construction neuve à "
        "l'échelle communautaire (instance à définir)"
    )
    assert actions["1-3-2"].objectives.splitlines()[0] == (
        "Développer l'offre en logement social pour atteindre les objectifs volontariste de "
        "la collectivité à savoir financer ou agréer 524 logements locatifs sociaux par an "
        "(40% des 1310 logements). En termes de répartition par produits logements cette "
        "quotité se déclinerait en la production, en moyenne et par an, tout au long de la "
        "durée du P.L.H. de 147 P.L.A.I., 344 P.L.U.S. & 49 P.L.S.."
    )
    assert "8 378 logements potentiellement indignes" in actions["2-1-1"].context
    assert actions["3-4"].description.splitlines()[3:7] == [
        "- la création de solutions permettant la sédentarisation",
        "  - terrains familiaux",
        "  - logements adaptés",
        "  - logements HLM",
    ]
    assert actions["2-3"].territories.startswith(
        "Dans les cités minières « classées UNESCO » du territoire communautaire."
    )
    assert "- LOOS-EN-GOHELLE : Cité n°11 de Lens" in actions["2-3"].territories
    assert actions["3-3-1"].publics.startswith("Publics prioritaires au sens de la loi")


def test_linked_actions(call: Any) -> None:
    actions = {a.number: a for a in call.actions.all()}

    def linked(number: str) -> list[str]:
        return sorted(a.number for a in actions[number].linked.all())

    assert linked("1-2-1") == ["1-3", "1-4", "3-1", "3-2", "4-1", "4-2"]
    assert linked("1-3-2") == ["1-3-1", "1-3-3", "4-6"]
    assert linked("1-4-2") == ["2-1-1", "2-1-2", "4-2"]
    assert linked("3-3-1") == []


def test_yearly_budgets(call: Any) -> None:
    from observatoire.plans.models import BudgetLine

    a12 = call.actions.get(number="1-2")
    assert a12.budget_note == (
        "1 200 000 €/an sur la totalité de l'action 1-2 « l'action foncière, clé de voûte "
        "des politiques de l'habitat »."
    )
    lines = list(a12.budget.order_by("year").values_list("year", "prevu", "engage", "realise"))
    assert lines == [(y, Decimal("1200000"), None, None) for y in YEARS]
    # The sous-actions quote the sentence; the amount is counted once, on the action.
    assert call.actions.get(number="1-2-1").budget_note == a12.budget_note
    assert not call.actions.get(number="1-2-1").budget.exists()
    yearly = {
        n: {b.prevu for b in call.actions.get(number=n).budget.all()}
        for n in ("1-3", "1-4", "2-1", "2-2", "3-1", "3-2", "3-3-1", "4-1")
    }
    assert yearly == {
        "1-3": {Decimal(300000)},
        "1-4": {Decimal(250000)},
        "2-1": {Decimal(236000)},
        "2-2": {Decimal(1000000)},
        "3-1": {Decimal(20000)},
        "3-2": {Decimal(150000)},
        "3-3-1": {Decimal(40000)},
        "4-1": {Decimal(10000)},
    }
    total = sum(b.prevu for b in BudgetLine.objects.filter(action__plan=call, year=2016))
    assert total == Decimal(3206000)
    # Amounts without a year stay text only.
    a45 = call.actions.get(number="4-5")
    assert a45.budget_note == (
        "Communauté d'Agglomération de Lens-Liévin - Fonds pour l'habitat innovant : 20 000 €."
    )
    assert not a45.budget.exists() and not call.actions.get(number="4-6").budget.exists()


def test_production_objectives_1310_per_year_of_which_plai_plus_pls(call: Any) -> None:
    rows = call.objectives.filter(territory=CALL, is_demo=False)
    by_year: dict[int, dict[str, int]] = {}
    for o in rows:
        by_year.setdefault(o.year, {})[o.product] = o.value
    assert by_year == {y: {"total": 1310, "plai": 147, "plus": 344, "pls": 49} for y in YEARS}


def test_pilots_and_partners(call: Any) -> None:
    for action in call.actions.filter(parent=None):
        assert CALL_NAME in _actors(action, "pilote"), action.number
    assert _actors(call.actions.get(number="3-1"), "pilote") == {
        CALL_NAME,
        "Département du Pas-de-Calais",
    }
    assert _actors(call.actions.get(number="3-2-1"), "pilote") == {
        CALL_NAME,
        "Département du Pas-de-Calais",
    }
    assert _actors(call.actions.get(number="1-2-1"), "partenaire") == {
        "Communes (CA de Lens-Liévin)",
        "EPF NPDC",
        "SAFER (Nord-Pas-de-Calais)",
        "Aménageurs publics (CA de Lens-Liévin)",
        "Promoteurs (CA de Lens-Liévin)",
    }
    # The sheet of 1-2-2 lists no partner.
    assert not call.actions.get(number="1-2-2").actors.exists()
    epf = call.actions.get(number="1-2-1").actors.get(organisation__name="EPF NPDC")
    assert epf.organisation.kind == "etablissement_public"


def test_indicators_and_milestones(call: Any) -> None:
    a121 = call.actions.get(number="1-2-1")
    assert list(a121.indicators.values_list("label", flat=True)) == [
        "Rythme de mobilisation des terrains",
        "Part de la charge foncière sur les opérations",
        "Nombre d'hectares acquis, requalifiés et remis sur le marché par l'EPF, par la "
        "Communauté d'Agglomération de Lens-Liévin",
        "Nombre de logements produits sur du foncier public et spécifiquement sur du foncier "
        "communautaire",
        "Nombre de logements produits sur du foncier aménagé",
        "Suivi des opérations financées par le F.I.F. (mesurer « l'effet levier » des opérations)",
    ]
    coded = call.actions.filter(indicators__indicator_code="logements_commences")
    assert sorted(coded.values_list("number", flat=True)) == ["1-3-1", "1-3-2", "2-3"]
    assert not call.actions.get(number="1-1").indicators.exists()
    a44 = call.actions.get(number="4-4")
    assert ("Conférence Intercommunale du Logement", "annuel", None) in [
        (m.label, m.due, m.due_date) for m in a44.milestones.all()
    ]
    assert call.actions.get(number="1-1").milestones.get().due == "annuel"
