"""The France commune map in a real browser: every commune of France drawn from the vector
tiles, its values joined from /api/v1/map/values."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.serial]

# A point inside Lens (62498), whose vacancy rate the demo loads.
LENS_POINT = (2.8319, 50.4325)
# The class colours of 5 classes and the grey of "non disponible" (portal/choropleth.js).
BLUES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NOT_AVAILABLE = "#b4b4b4"


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
                // Coloured by feature state (map.js): the colour set on the feature.
                resolve(f ? { code: f.properties.code, fill: f.state.colour } : null);
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
    assert feature["fill"] in BLUES and feature["fill"] != NOT_AVAILABLE
    journey.shot("carte-france")
    assert not journey.errors


def test_secret_communes_are_hatched_on_the_tiles(journey) -> None:  # type: ignore[no-untyped-def]
    # The mean price per m² (DVF) is secret for the communes of the CA with too few sales.
    page = journey.page
    page.goto("/explorer/?indicator=dvf_prix_m2_moyen&level=COM&within=EPCI:246200364")
    page.wait_for_selector("#carte[data-state='ready']", timeout=60_000)
    values = page.evaluate(
        "fetch(document.getElementById('carte').dataset.values).then((r) => r.json())"
    )
    secret = {c for c, s in zip(values["codes"], values["statuses"], strict=True) if s == "secret"}
    assert secret
    hatched = page.evaluate(
        """() => {
            const map = document.getElementById("carte").observatoireMap;
            const drawn = map.queryRenderedFeatures({ layers: ["zones-secret"] });
            return [...new Set(drawn.map((f) => f.properties.code))];
        }"""
    )
    # Hatched: the secret communes, and only them (the tiles hold all of France).
    assert set(hatched) == secret
    assert not journey.errors
