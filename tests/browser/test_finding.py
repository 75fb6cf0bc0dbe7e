"""Finding a territory in a real browser: suggestions under the comparison's fields (a
postcode gives its communes, with their département), chosen with the keyboard, then
the bar charts drawn with distinct French ticks."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.serial]


def test_postcode_suggestions_then_compare_with_french_ticks(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    page.goto("/comparer/")
    field = page.get_by_label("Territoire 1", exact=True)
    field.fill("62300")
    suggestions = page.locator("#t-1-suggestions a")
    suggestions.first.wait_for()
    texts = [t.split(" — ")[0] for t in suggestions.all_inner_texts()]
    assert texts == ["Éleu-dit-Leauwette (62)", "Lens (62)"]
    journey.shot("suggestions")
    # Keyboard only: Down arrow to the suggestions, Down again, Enter follows the link.
    field.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent").startswith("Lens (62)")
    page.keyboard.press("Enter")
    page.wait_for_url("**/comparer/?t=COM%3A62498*")

    page.get_by_label("Territoire 2", exact=True).fill("CA Lens")
    page.locator("#t-2-suggestions a").first.wait_for()
    page.locator("#t-2-suggestions a").first.click()
    page.wait_for_url("**t=EPCI%3A246200364*")
    assert "Comparaison : Lens, CA de Lens - Liévin" in page.title()

    chart = page.locator('[data-vega-spec="comparaison-1"]')
    chart.scroll_into_view_if_needed()
    page.wait_for_selector('[data-vega-spec="comparaison-1"][data-state="ready"]', timeout=30_000)
    journey.shot("graphiques")
    # The value axis (Vega names it "X-axis" in its aria-label); SVG text has no innerText.
    ticks = chart.locator('g.role-axis[aria-label^="X-axis"] g.role-axis-label text').evaluate_all(
        "nodes => nodes.map(n => n.textContent)"
    )
    assert ticks and len(set(ticks)) == len(ticks), ticks
    # French format: decimal comma, never a decimal point.
    assert all(re.fullmatch(r"[\d\u202f]+(,\d+)?", t) for t in ticks), ticks
