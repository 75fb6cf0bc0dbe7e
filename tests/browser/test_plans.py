"""A reader follows the demo PLH of the CA de Lens - Liévin in a real browser: the list
of plans, an action sheet (pilot, budget, sub-actions; printable), then the objectives
grid per commune with its map and the communes behind schedule."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.serial]

PLAN = re.compile(r"Programme local de l'habitat 2014-2020 .*Lens-Liévin")

# Pixels of the "en retard" colour (plans/objectives_map.js) in a screenshot of the map:
# a map that stayed blank, or only grey, has none.
COUNT_RED = """async (png) => {
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data;
  let n = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (Math.abs(px[i] - 0xce) + Math.abs(px[i + 1] - 0x05) + Math.abs(px[i + 2]) < 12) n += 1;
  }
  return n;
}"""


def test_action_sheet_then_objectives_map(journey) -> None:  # type: ignore[no-untyped-def]
    import base64

    page = journey.page
    page.goto("/plans/")
    assert page.title() == "Plans et programmes — Observatoire de l'habitat"
    row = page.locator("#liste-plans tbody tr", has_text=PLAN)
    assert row.count() == 1
    assert "CA de Lens - Liévin" in row.inner_text() and "2014-2020" in row.inner_text()
    assert "DONNÉES DE DÉMONSTRATION" in row.inner_text().upper()
    journey.shot("liste-des-plans")

    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    assert page.locator("#avancement tbody tr").count() == 4  # the CALL's four orientations
    assert page.locator("#donnees-demonstration").is_visible()
    journey.shot("vue-d-ensemble")

    page.locator("#actions").get_by_role("link", name=re.compile(r"^Action 1-2 — ")).click()
    page.wait_for_url(re.compile(r"/plans/\d+/actions/1-2/$"))
    assert page.locator("h1").inner_text().startswith("Action 1-2 — L'action foncière")
    assert "Lens-Liévin" in page.locator("#pilotes").inner_text()
    budget = page.locator("#budget")
    assert "1 200 000 €/an" in budget.inner_text()
    assert re.search(r"2014\s+1\u202f200\u202f000\s€", budget.locator("tbody").inner_text())
    assert page.locator("#sous-actions li").count() == 3
    journey.shot("fiche-action")

    # Printed, the sheet keeps its content and drops the navigation and buttons.
    page.emulate_media(media="print")
    assert not page.locator("header.fr-header").is_visible()
    assert not page.get_by_role("button", name="Imprimer la fiche").is_visible()
    assert page.locator("#budget").is_visible()
    journey.shot("fiche-action-impression")
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Objectifs par commune").click()
    page.wait_for_url(re.compile(r"/plans/\d+/objectifs/$"))
    carte = page.locator("#carte")
    carte.scroll_into_view_if_needed()
    page.wait_for_selector("#carte[data-state=ready]", timeout=30_000)
    assert page.locator("#carte canvas.maplibregl-canvas").count() == 1
    png = base64.b64encode(carte.screenshot()).decode()
    assert page.evaluate(COUNT_RED, png) > 500
    journey.shot("carte-objectifs")

    behind = page.locator("#grille tbody tr[data-behind]")
    assert behind.count() >= 1
    first = behind.first
    first.scroll_into_view_if_needed()
    assert "EN RETARD" in first.inner_text().upper()
    assert page.locator("#donnees-demonstration").is_visible()
    journey.shot("grille-en-retard")

    page.locator("label[for=f-retard]").click()  # the DSFR label covers its box
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"retard=1"))
    rows = page.locator("#grille tbody tr")
    assert rows.count() == page.locator("#grille tbody tr[data-behind]").count() >= 1
    journey.shot("communes-en-retard")
    assert journey.errors == []
