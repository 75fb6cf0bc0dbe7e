"""« Plans en cours » on a portrait (issue #14 §1), through the port TERRITORY_PLANS (the
portal does not import the plans app): the CA de Lens-Liévin lists its PLH 2014-2020 with
its progress as the plan overview counts it (actions done over actions not abandoned,
sub-actions left out); Lens links its fiche de suivi in that PLH; a plan that does not
cover the territory (the Nord PDH, the Lot PD2H; the CA's PLH on the Pas-de-Calais) is not
listed."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

CALL, LENS = "EPCI:246200364", "COM:62498"


@pytest.fixture
def call(web: Any) -> Any:
    from observatoire.plans.models import Plan

    return Plan.objects.get(type="PLH", territory=CALL, start_year=2014)


def _block(territory: str) -> str:
    html = Client().get(f"/territoires/{territory}/").content.decode()
    if 'id="plans-en-cours"' not in html:
        return ""
    return unescape(html.split('id="plans-en-cours"')[1].split("</section>")[0])


def test_the_epci_portrait_lists_its_plh_with_its_progress(call: Any) -> None:
    # A plan under way: 3 actions done, 1 abandoned (left out of the base), sub-actions
    # done too (never counted: the overview counts the plan's actions).
    # The demo gives the ended CALL PLH the states of a finished plan: start from a plan
    # whose actions are all under way, so the expected figure is the test's own.
    call.actions.filter(parent__isnull=True).update(status="en_cours")
    actions = list(call.actions.filter(parent__isnull=True).order_by("number"))
    for a in actions[:3]:
        a.status = "realisee"
        a.save(update_fields=["status"])
    actions[3].status = "abandonnee"
    actions[3].save(update_fields=["status"])
    call.actions.filter(parent__isnull=False).update(status="realisee")
    block = _block(CALL)
    assert f'href="/plans/{call.pk}/"' in block and call.title in block
    assert "2014-2020" in block and ">PLH<" in block
    expected = round(100 * 3 / (len(actions) - 1))
    assert re.search(rf"data-plan-progress>{expected}\s%</strong>", block), block
    assert f"3 sur {len(actions) - 1} actions" in block
    assert "data-fiche-suivi" not in block  # a fiche de suivi is a commune's


def test_a_commune_portrait_links_its_fiche_de_suivi(call: Any) -> None:
    block = _block(LENS)
    fiche = f"/plans/{call.pk}/suivi/communes/{LENS}/"
    assert f'href="{fiche}"' in block and "data-fiche-suivi" in block
    assert "Lens - Liévin" in block  # the plan's territory, named
    page = Client().get(fiche)
    assert page.status_code == 200 and "Lens" in page.content.decode()


def test_plans_that_do_not_cover_the_territory_are_not_listed(call: Any) -> None:
    from observatoire.plans.models import Plan

    others = Plan.objects.exclude(pk=call.pk)
    assert {p.type for p in others} >= {"PDH", "PD2H"}  # the Nord PDH and the Lot PD2H
    lens = _block(LENS)
    for plan in others:
        assert f'href="/plans/{plan.pk}/"' not in lens
    # The CA's PLH does not cover the whole Pas-de-Calais.
    assert f'href="/plans/{call.pk}/"' not in _block("DEP:62")
    nord = _block("DEP:59")
    assert [p for p in others if p.territory.id == "DEP:59"]
    assert (
        all(f'href="/plans/{p.pk}/"' in nord for p in others if p.territory.id == "DEP:59")
        and f'href="/plans/{call.pk}/"' not in nord
    )


def test_the_port_gives_the_plans_to_any_caller(call: Any) -> None:
    """The portal reads through the port only: the plans app registered its provider."""
    from observatoire import ports
    from observatoire.territories import Territory

    offered = ports.offered(ports.TERRITORY_PLANS, Territory.parse(LENS), None)
    [plh] = [p for p in offered if p["url"] == f"/plans/{call.pk}/"]
    assert plh["kind"] == "PLH" and plh["fiche_url"].endswith(f"/suivi/communes/{LENS}/")
