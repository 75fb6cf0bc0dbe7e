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
    # DSFR's disclosure state on the button (its script sets it when the modal opens).
    assert burger.get_attribute("data-fr-opened") == "true"
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
    # Every table stays within the screen: what does not fit scrolls inside its box.
    rights = page.locator("table").evaluate_all(
        "ts => ts.map(t => Math.round(t.getBoundingClientRect().right))"
    )
    assert rights and max(rights) <= PHONE["width"], rights
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], page_width  # the page itself does not
    assert not journey.errors, journey.errors
