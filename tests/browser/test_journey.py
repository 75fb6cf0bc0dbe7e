"""A user's journey through the portal in a real browser, on the real demo data: search
"lens", open the CA de Lens - Liévin, read its vacancy rate against its référents, map it
in the explorer, download the figures of its 36 communes."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.serial]

LENS = "EPCI:246200364"


def test_search_then_portrait_with_referents(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    page.goto("/")
    assert page.title() == "Accueil — Observatoire de l'habitat"
    journey.shot("accueil")

    page.get_by_label("Commune, intercommunalité").fill("lens")
    journey.shot("saisie")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("#search-results")
    link = results.get_by_role("link", name="CA de Lens - Liévin", exact=True)
    assert link.count() == 1
    journey.shot("resultats")

    link.click()
    page.wait_for_url(f"**/territoires/{LENS}/")
    assert "CA de Lens - Liévin" in page.locator("h1").inner_text()
    row = page.locator('tr[data-indicator="taux_vacance"]')
    row.scroll_into_view_if_needed()
    journey.shot("portrait")
    assert row.locator("th").inner_text() == "Taux de vacance"
    headers = row.locator("xpath=ancestor::table//thead//th").all_inner_texts()
    cells = row.locator("td").all_inner_texts()
    # Columns: indicator, the EPCI, its référents, year and source.
    assert headers[1:5] == ["CA de Lens - Liévin", "Pas-de-Calais", "Hauts-de-France", "France"]
    # Census 2021 vacancy rates, as computed in the cube (ratio of sums, never averages).
    assert [c.strip().splitlines()[0] for c in cells[:4]] == ["7,2 %", "7,3 %", "7,7 %", "8,1 %"]
    # A référent's value says its perimeter where it is not the whole territory.
    assert "France hors Mayotte" in cells[3]
    assert re.match(r"2021 — .*Recensement", cells[4])
    assert journey.errors == []


# Counts, in a screenshot of the map, the pixels of each class colour (the palette of
# portal/static/portal/choropleth.js for 5 classes): a map that is only a grey box, or a
# canvas that stayed blank, has none.
COUNT_COLOURS = """async ([png, colours]) => {
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data;
  const wanted = colours.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  const counts = wanted.map(() => 0);
  for (let i = 0; i < px.length; i += 4) {
    wanted.forEach((c, k) => {
      if (Math.abs(px[i] - c[0]) + Math.abs(px[i + 1] - c[1]) + Math.abs(px[i + 2] - c[2]) < 12) {
        counts[k] += 1;
      }
    });
  }
  return counts;
}"""
FIVE_CLASSES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]


def test_explorer_map_then_csv_of_the_36_communes(journey, demo_data) -> None:  # type: ignore[no-untyped-def]
    from observatoire.indicators.cube import referential_for
    from observatoire.settings import Settings
    from observatoire.territories import Territory

    members = referential_for(Settings(data_dir=demo_data[0])).communes_of(Territory.parse(LENS))
    assert len(members) == 36

    page = journey.page
    page.goto(f"/territoires/{LENS}/")
    page.get_by_role("link", name="Explorer ses sous-territoires").click()
    page.wait_for_url("**/explorer/**")
    journey.shot("explorateur")
    page.locator("#f-indicator").select_option("taux_vacance")
    page.locator("#f-level").select_option("COM")
    assert page.locator("#f-within").input_value() == LENS
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/explorer/?*indicator=taux_vacance*")

    # The map: MapLibre draws into a <canvas> in the container, the legend gets its classes.
    carte = page.locator("#carte")
    page.wait_for_selector('#carte[data-state="ready"]', timeout=30_000)
    assert carte.locator("canvas").count() >= 1
    legende = page.locator("#legende")
    assert legende.is_visible()
    classes = legende.locator("li[data-class]").all_inner_texts()
    assert len(classes) == 5
    # Every commune with a value is counted in exactly one class (« (7 communes) »).
    in_classes = sum(int(re.search(r"\((\d+) communes?\)", c).group(1)) for c in classes)  # type: ignore[union-attr]
    assert in_classes == 36
    carte.scroll_into_view_if_needed()
    journey.shot("carte")
    png = base64.b64encode(carte.screenshot()).decode()
    painted = page.evaluate(COUNT_COLOURS, [png, FIVE_CLASSES])
    assert sum(1 for n in painted if n > 100) >= 4, painted

    # The table beside the map holds the same 36 communes.
    table = page.locator("#tableau-valeurs tbody tr")
    assert sorted(table.evaluate_all("rows => rows.map(r => r.dataset.code)")) == sorted(members)
    lievin = page.locator('#tableau-valeurs tr[data-code="62510"] td.nombre').inner_text()

    # The CSV download: one line per commune, the same figures as the page.
    with page.expect_download() as info:
        page.locator(".telechargements").get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    journey.shot("telechargement")
    assert download.suggested_filename.endswith(".csv")
    saved = journey.folder / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8")), delimiter=";"))
    assert sorted(r["code"] for r in rows) == sorted(members)
    assert {r["indicateur"] for r in rows} == {"taux_vacance"}
    assert {r["annee"] for r in rows} == {"2021"}
    row = next(r for r in rows if r["code"] == "62510")
    assert row["nom"] == "Liévin"
    assert f"{float(row['valeur']):.1f}".replace(".", ",") + " %" == lievin
    assert journey.errors == []
