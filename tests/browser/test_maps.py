"""The France commune map in a real browser: every commune of France drawn from the vector
tiles, its values joined from /api/v1/map/values."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.serial]

# A point inside Lens (62498), whose vacancy rate the demo loads.
LENS_POINT = (2.8319, 50.4325)


def test_france_commune_map_renders_with_values(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    page.goto("/explorer/?indicator=taux_vacance&level=COM&within=FR")
    page.wait_for_selector("#carte[data-state='ready']", timeout=60_000)
    assert page.locator("#carte canvas").count() == 1
    feature = page.evaluate(
        """([lon, lat]) => {
            const map = document.getElementById("carte").observatoireMap;
            map.jumpTo({ center: [lon, lat], zoom: 9 });
            return new Promise((resolve) => map.once("idle", () => {
                const found = map.queryRenderedFeatures(map.project([lon, lat]), { layers: ["zones"] });
                const f = found[0];
                resolve(f ? { code: f.properties.code, fill: f.layer.paint["fill-color"] } : null);
            }));
        }""",
        list(LENS_POINT),
    )
    values = page.evaluate(
        "fetch(document.getElementById('carte').dataset.values).then((r) => r.json())"
    )
    assert feature is not None and feature["code"] == "62498"
    lens = values["values"][values["codes"].index("62498")]
    assert isinstance(lens, float)
    # Lens is coloured by its class, not the grey of a commune without value.
    assert feature["fill"] != {"r": 180 / 255, "g": 180 / 255, "b": 180 / 255, "a": 1}
    journey.shot("carte-france")
    assert not journey.errors
