"""The portal on a phone: DSFR's own JavaScript (served locally, under the CSP) collapses
the header into the burger menu, which opens the navigation; wide tables scroll inside
their container, not the page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.serial]

PHONE = {"width": 375, "height": 740}


def test_burger_menu_opens_the_navigation_on_a_phone(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    page.set_viewport_size(PHONE)
    page.goto("/")
    burger = page.locator("#button-menu")
    explorer = page.locator("#modal-menu").get_by_role("link", name="Explorer")
    # Collapsed: the button shows, the links do not.
    assert burger.is_visible() and not explorer.is_visible()
    # DSFR's script is what marks a modal's buttons as enhanced: proof it ran.
    page.wait_for_function("document.documentElement.hasAttribute('data-fr-js')")
    journey.shot("ferme")
    burger.click()
    explorer.wait_for(state="visible")
    assert burger.get_attribute("aria-expanded") == "true"
    journey.shot("ouvert")
    page.locator("#modal-menu").get_by_role("button", name="Fermer").click()
    explorer.wait_for(state="hidden")
    assert not journey.errors, journey.errors  # no CSP refusal, no script error


def test_wide_table_scrolls_in_its_container_on_a_phone(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    page.set_viewport_size(PHONE)
    page.goto("/explorer/?indicator=taux_vacance&level=COM&within=EPCI:246200364")
    table = page.locator(".fr-table > table").first
    table.wait_for()
    journey.shot("tableau")
    sizes = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert sizes[0] > sizes[1], sizes  # wider than the phone: it scrolls inside itself
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], page_width  # the page itself does not
    assert not journey.errors, journey.errors
