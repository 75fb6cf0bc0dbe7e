"""The plans' public pages on a small plan built here: what users rely on (orientation
progress, budget consumption, late milestones, filters, communes behind schedule, the
demonstration label)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape
from typing import Any

import pytest

from observatoire.settings import Settings

LENS, LIEVIN, AVION = "COM:62498", "COM:62510", "COM:62065"
EPCI = "EPCI:246200364"


def make_plan(tag: str) -> dict[str, Any]:
    """A PLH of the CA de Lens - Liévin, 2020-2030, with two orientations, a late
    milestone, budget lines, a linked and a manual indicator, demo objectives."""
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
    )

    pilot = Organisation.objects.create(name=f"Pilote {tag}", kind="epci")
    other = Organisation.objects.create(name=f"Autre pilote {tag}", kind="bailleur")
    partner = Organisation.objects.create(name=f"Partenaire {tag}", kind="adil")
    plan = Plan.objects.create(
        title=f"PLH d'essai {tag}",
        type="PLH",
        territory=EPCI,
        start_year=2020,
        end_year=2030,
        description="Plan créé par les tests.",
    )
    o1 = Orientation.objects.create(plan=plan, number="1", title="Produire", position=1)
    o2 = Orientation.objects.create(plan=plan, number="2", title="Réhabiliter", position=2)

    def action(number: str, orientation: Orientation, status: str, **kw: Any) -> Action:
        return Action.objects.create(
            plan=plan,
            orientation=orientation,
            number=number,
            title=f"Action {number} de {tag}",
            status=status,
            position=len(number) * 10 + int(number[-1]),
            **kw,
        )

    a11 = action(
        "1-1",
        o1,
        "en_cours",
        context="Constat : la production baisse.",
        objectives="Relancer la production sociale.",
        description="- réunir les bailleurs\n- programmer",
        territories="Lens, Liévin",
        publics="Ménages modestes",
        calendar="T1 2021 puis annuel",
        conditions="Mobiliser le foncier.",
        budget_note="1 000 € par an",
    )
    a12 = action("1-2", o1, "realisee")
    a13 = action("1-3", o1, "abandonnee", territories="Avion")
    a21 = action("2-1", o2, "a_lancer")
    sub = action("1-1-1", o1, "en_cours", parent=a11)
    a11.linked.add(a21)
    ActionActor.objects.create(action=a11, organisation=pilot, role="pilote")
    ActionActor.objects.create(action=a11, organisation=partner, role="partenaire")
    ActionActor.objects.create(action=a21, organisation=other, role="pilote")
    BudgetLine.objects.create(
        action=a11, year=2020, prevu=Decimal(1000), engage=Decimal(800), realise=Decimal(500)
    )
    BudgetLine.objects.create(action=a11, year=2021, prevu=Decimal(1000), realise=Decimal(700))
    BudgetLine.objects.create(action=a21, year=2020, prevu=Decimal(2000))
    late = Milestone.objects.create(
        action=a11, label=f"Convention signée {tag}", due="T2 2021", due_date=date(2021, 6, 30)
    )
    reached = Milestone.objects.create(
        action=a11,
        label=f"Comité réuni {tag}",
        due="2021",
        due_date=date(2021, 12, 31),
        status="atteint",
        done_on=date(2021, 11, 2),
    )
    future = Milestone.objects.create(
        action=a21, label=f"Étude lancée {tag}", due="S1 2029", due_date=date(2029, 6, 30)
    )
    Milestone.objects.create(action=a21, label=f"Bilan annuel {tag}", due="annuel")
    linked = ActionIndicator.objects.create(
        action=a11, label="Taux de vacance", indicator_code="taux_vacance", territory=EPCI
    )
    manual = ActionIndicator.objects.create(
        action=a11, label=f"Dossiers reçus {tag}", unit="dossiers", target="50 par an"
    )
    IndicatorEntry.objects.create(indicator=manual, year=2021, value=Decimal(12))
    IndicatorEntry.objects.create(indicator=manual, year=2021, value=Decimal(15), comment="corrigé")
    # Lens: 95 + 95 of 100 + 100 (on track); Liévin: 2 + 1 of 10 + 10 (behind).
    for year in (2020, 2021):
        Objective.objects.create(
            plan=plan, territory=LENS, year=year, product="total", value=100, is_demo=True
        )
        Objective.objects.create(
            plan=plan, territory=LIEVIN, year=year, product="total", value=10, is_demo=True
        )
        Operation.objects.create(plan=plan, territory=LENS, year=year, product="plus", dwellings=95)
    Operation.objects.create(plan=plan, territory=LIEVIN, year=2020, product="plai", dwellings=2)
    Operation.objects.create(plan=plan, territory=LIEVIN, year=2021, product="pls", dwellings=1)
    return {
        "plan": plan,
        "actions": {"1-1": a11, "1-2": a12, "1-3": a13, "2-1": a21, "1-1-1": sub},
        "pilot": pilot,
        "other": other,
        "partner": partner,
        "milestones": {"late": late, "reached": reached, "future": future},
        "indicators": {"linked": linked, "manual": manual},
    }


@pytest.fixture
def sample(web: Settings) -> dict[str, Any]:
    return make_plan("pages")


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def text(html: str) -> str:
    """Visible text, spaces collapsed (non-breaking ones included)."""
    bare = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"[\s\u00a0\u202f]+", " ", bare)


def block(html: str, marker: str, end: str = "</tr>") -> str:
    return html.split(marker, 1)[1].split(end, 1)[0]


def test_index_lists_the_plan_with_type_territory_and_period(client, sample) -> None:  # type: ignore[no-untyped-def]
    plan = sample["plan"]
    html = page(client, "/plans/")
    row = text(block(html, f'data-plan="{plan.pk}"'))
    assert plan.title in row
    assert "PLH" in row and "CA de Lens - Liévin" in row and "2020-2030" in row
    assert "données de démonstration" in row


def test_overview_progress_by_orientation(client, sample) -> None:  # type: ignore[no-untyped-def]
    plan = sample["plan"]
    html = page(client, f"/plans/{plan.pk}/")
    one = block(html, 'data-orientation="1"')
    # Orientation 1: three actions (the sub-action is not counted): one done, one in
    # progress, one abandoned -> 1 done of 2 still meant to be carried out = 50 %.
    assert '<td class="nombre">3</td>' in one
    assert 'data-status="realisee">1<' in one and 'data-status="abandonnee">1<' in one
    assert 'data-status="en_cours">1<' in one
    assert "50" in text(block(one, 'data-col="taux">', "</td>"))
    assert "1 / 2" in text(block(one, 'data-col="jalons"', "</td>"))
    assert "1 en retard" in text(block(one, 'data-col="retard"', "</td>"))
    # Budget of orientation 1: (500 + 700) / (1000 + 1000).
    assert text(block(one, 'data-col="budget">', "</td>")).strip() == "60 %"
    two = block(html, 'data-orientation="2"')
    assert text(block(two, 'data-col="taux">', "</td>")).strip() == "0 %"
    # Nothing realised is known for orientation 2: no rate, not 0 %.
    assert text(block(two, 'data-col="budget">', "</td>")).strip() == "—"


def test_overview_budget_consumption_is_sum_realised_over_sum_planned(client, sample) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{sample['plan'].pk}/")
    # (500 + 700) / (1000 + 1000 + 2000) = 30 %; engaged 800 / 4000 = 20 %.
    assert text(block(html, 'data-budget="consommation">', "</span>")).strip() == "30 %"
    assert text(block(html, 'data-budget="engagement">', "</span>")).strip() == "20 %"
    assert "4 000 €" in text(html) and "1 200 €" in text(html)


def test_overview_lists_late_milestones_only(client, sample) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{sample['plan'].pk}/")
    late = block(html, 'id="jalons-en-retard"', "</section>")
    assert sample["milestones"]["late"].label in late
    assert "30/06/2021" in late and "en retard" in late
    assert sample["milestones"]["reached"].label not in late
    assert sample["milestones"]["future"].label not in late


def test_overview_production_and_demo_label(client, sample) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{sample['plan'].pk}/")
    production = text(block(html, 'id="production"', "</section>"))
    # Cumulated 2020 to the current year: 190 + 3 realised of 220.
    assert "193 logements réalisés pour un objectif de 220" in production
    assert "1 commune sur 2 avec un objectif est en retard" in production
    assert "Données de démonstration" in html


def test_action_sheet_has_everything(client, sample) -> None:  # type: ignore[no-untyped-def]
    plan, a = sample["plan"], sample["actions"]["1-1"]
    html = page(client, f"/plans/{plan.pk}/actions/1-1/")
    visible = text(html)
    for expected in (
        a.title,
        "Constat : la production baisse.",
        "Relancer la production sociale.",
        "réunir les bailleurs",
        "Ménages modestes",
        "Mobiliser le foncier.",
        "1 000 € par an",
        sample["pilot"].name,
        sample["partner"].name,
        "En cours",
        "Action 2-1",  # linked action
        "1-1-1",  # sub-action
        "T1 2021 puis annuel",
    ):
        assert expected in visible, expected
    assert sample["other"].name not in block(html, 'id="pilotes"', "</dd>")
    budget = text(block(html, 'id="budget"', "</section>"))
    assert "1 000 €" in budget and "800 €" in budget and "1 200 €" in budget
    assert "Consommation : 60 %" in budget
    milestones = block(html, 'id="calendrier"', "</section>")
    late_row = block(milestones, f'data-milestone="{sample["milestones"]["late"].pk}"')
    assert "en retard" in late_row
    assert "en retard" not in block(
        milestones, f'data-milestone="{sample["milestones"]["reached"].pk}"'
    )
    # Manual series: the latest entry of a year is its value; the first stays in history.
    manual = block(html, f'data-indicator="{sample["indicators"]["manual"].pk}"', "</details>")
    assert "15" in block(manual, 'data-year="2021"') and "corrigé" in manual
    assert "Historique des saisies (2)" in manual
    # Linked indicator: the vacancy rate of the EPCI from the cube (census 2021: 7,2 %).
    linked = text(block(html, f'data-indicator="{sample["indicators"]["linked"].pk}"', "</table>"))
    assert "2021" in linked and "7,2 %" in linked
    assert 'href="/static/plans/print.css"' in html and 'media="print"' in html
    # Anonymous readers see no update button.
    assert "Mettre à jour l'action" not in html


def test_action_sheet_unknown_number_is_404(client, sample) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"/plans/{sample['plan'].pk}/actions/9-9/").status_code == 404
    assert client.get("/plans/999999/").status_code == 404


def test_action_table_filters(client, sample) -> None:  # type: ignore[no-untyped-def]
    plan = sample["plan"]
    url = f"/plans/{plan.pk}/actions/"
    every = page(client, url)
    assert every.count("data-action=") == 5
    by_status = page(client, url + "?etat=realisee")
    assert re.findall(r'data-action="([^"]+)"', by_status) == ["1-2"]
    orientation = plan.orientations.get(number="2")
    by_orientation = page(client, url + f"?orientation={orientation.pk}")
    assert re.findall(r'data-action="([^"]+)"', by_orientation) == ["2-1"]
    # A sub-action without pilots of its own is piloted by its parent's pilots.
    by_pilot = page(client, url + f"?pilote={sample['pilot'].pk}")
    assert sorted(re.findall(r'data-action="([^"]+)"', by_pilot)) == ["1-1", "1-1-1"]
    by_territory = page(client, url + "?territoire=avion")
    assert re.findall(r'data-action="([^"]+)"', by_territory) == ["1-3"]
    bad = page(client, url + "?etat=nimporte")
    assert "Filtre inconnu" in bad and bad.count("data-action=") == 5


def test_gantt_flags_late_milestones(client, sample) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{sample['plan'].pk}/calendrier/")
    late = block(html, f'data-milestone="{sample["milestones"]["late"].pk}"')
    assert "data-late" in late.split(">")[0] and "en retard" in late
    assert "gantt__barre--retard" in late
    future = block(html, f'data-milestone="{sample["milestones"]["future"].pk}"')
    assert "gantt__barre--a_venir" in future and "en retard" not in future
    # "annuel" falls once in each year of the plan (2020-2030), not "sans date".
    rows = re.findall(r'<tr data-milestone="\d+".*?</tr>', html, re.S)
    annual = next(r for r in rows if "Bilan annuel" in r)
    assert annual.count("gantt__barre ") == 11
    assert 'id="jalons-sans-date"' not in html
    assert re.search(r"<strong>1 jalon en retard</strong>", html)


def test_objectives_grid_flags_the_commune_behind(client, sample) -> None:  # type: ignore[no-untyped-def]
    plan = sample["plan"]
    html = page(client, f"/plans/{plan.pk}/objectifs/?annee=2021")
    lievin = block(html, f'data-commune="{LIEVIN}"')
    assert "data-behind" in lievin.split(">")[0] and "en retard" in lievin
    assert "3 / 20" in text(block(lievin, 'data-col="cumul"', "</td>"))
    lens = block(html, f'data-commune="{LENS}"')
    assert "data-behind" not in lens.split(">")[0] and "à jour" in lens
    assert "190 / 200" in text(lens) and "95 %" in text(lens)
    # Ratio of sums over the two communes: 193 / 220 = 88 %, not the mean of 95 % and 15 %.
    assert text(block(html, 'data-total="taux">', "</span>")).strip() == "88 %"
    assert text(block(html, 'data-total="retard">', "</span>")).strip() == "1"
    assert "Données de démonstration" in html and "démonstration</span>" in lievin
    assert "data-objectives-map=" in html
    assert 'src="/static/web/map.js"' in html  # the one MapLibre map, shared with the portal
    only_behind = page(client, f"/plans/{plan.pk}/objectifs/?annee=2021&retard=1")
    assert f'data-commune="{LIEVIN}"' in only_behind
    assert f'data-commune="{LENS}"' not in only_behind
    assert client.get(f"/plans/{plan.pk}/objectifs/?annee=1990").status_code == 400


def test_objectives_map_geojson(client, sample) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/plans/{sample['plan'].pk}/objectifs/carte/?annee=2021")
    assert response.status_code == 200
    doc = response.json()
    states = {f["properties"]["code"]: f["properties"] for f in doc["features"]}
    assert len(states) == 36
    assert states["62510"]["state"] == "retard" and states["62510"]["demo"]
    assert states["62498"]["state"] == "ok" and states["62498"]["rate"] == 0.95
    assert states["62065"]["state"] == "sans_objectif"
