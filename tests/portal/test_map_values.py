"""GET /api/v1/map/values and the vector tiles of France, on the real demo data: the values
of a map without geometry, the same figures as the GeoJSON map, diffusion honoured, and the
tiles served as a static file that honours HTTP Range requests."""

from __future__ import annotations

from typing import Any

import pytest

from observatoire.geo import tiles

LENS = "EPCI:246200364"


def _values(client, **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/map/values", params)
    assert response.status_code == 200, response.content[:300]
    body: dict[str, Any] = response.json()
    return body


def test_pas_de_calais_values_match_the_geojson_map_in_a_fraction_of_its_bytes(client) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": "taux_vacance", "level": "COM", "within": "DEP:62"}
    response = client.get("/api/v1/map/values", params)
    assert response.status_code == 200
    body = response.json()
    geojson = client.get("/api/v1/map", params)
    features = {f["properties"]["code"]: f["properties"] for f in geojson.json()["features"]}
    assert len(features) == 887 and body["count"] == 887 and body["year"] == 2021
    assert body["breaks"] == geojson.json()["breaks"]
    rows = zip(body["codes"], body["values"], body["statuses"], body["class"], strict=True)
    served = {code: (value, status, klass) for code, value, status, klass in rows}
    # Every commune with a figure is served, with the value, status and class of the map.
    expected = {
        code: (p["value"], p["status"], p["class"])
        for code, p in features.items()
        if p["status"] != "missing" or p["value"] is not None
    }
    assert served == expected and len(served) > 800
    assert served["62498"][0] == features["62498"]["value"]  # Lens
    assert len(response.content) < 60_000 < len(geojson.content) / 10
    assert body["bbox"][0] < 2.0 < body["bbox"][2]  # the box of the Pas-de-Calais


def test_france_commune_values_leave_out_communes_without_figures(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        "/api/v1/map/values", {"indicator": "taux_vacance", "level": "COM", "within": "FR"}
    )
    body = response.json()
    assert body["count"] == 34875 and body["within"] == {"id": "FR", "name": "France"}
    assert {"62498", "75056", "97411"} <= set(body["codes"])  # Lens, Paris, Saint-Denis
    rows = list(zip(body["values"], body["statuses"], strict=True))
    # A commune without any figure is left out (drawn "non disponible" by the browser).
    assert (None, "missing") not in rows
    print(f"France: {len(body['codes'])} communes, {len(response.content)} octets")


def test_region_map_of_departements(client) -> None:  # type: ignore[no-untyped-def]
    body = _values(client, indicator="taux_vacance", level="DEP", within="REG:32")
    assert {"59", "62"} <= set(body["codes"]) <= {"02", "59", "60", "62", "80"}
    assert body["count"] == 5 and len(body["breaks"]) >= 2


def test_restricted_values_are_served_to_readers_of_the_territory_only(  # type: ignore[no-untyped-def]
    client, restricted, reader_lens, reader_arras
) -> None:
    params = {"indicator": restricted, "level": "COM", "within": LENS, "year": 2021}
    response = client.get("/api/v1/map/values", params)
    assert response.status_code == 401 and "connectez-vous" in response.json()["erreur"]
    assert "62498" not in response.content.decode()
    client.force_login(reader_arras)
    response = client.get("/api/v1/map/values", params)
    assert response.status_code == 403 and "62498" not in response.content.decode()
    client.force_login(reader_lens)
    body = _values(client, **params)
    assert "62498" in body["codes"] and any(v is not None for v in body["values"])


def test_secret_values_are_not_served(client) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": "dvf_prix_m2_moyen", "level": "COM", "within": LENS, "year": 2023}
    body = _values(client, **params)
    secret = {c for c, s in zip(body["codes"], body["statuses"], strict=True) if s == "secret"}
    assert {"62107", "62380", "62793", "62854"} <= secret
    for code, value, klass in zip(body["codes"], body["values"], body["class"], strict=True):
        if code in secret:
            assert value is None and klass is None


@pytest.fixture(scope="module")
def tiles_file() -> Any:
    return tiles.ensure()


def test_explorer_map_draws_on_the_tiles_served_with_range_requests(client, tiles_file) -> None:  # type: ignore[no-untyped-def]
    page = client.get(
        "/explorer/", {"indicator": "taux_vacance", "level": "COM", "within": "DEP:62"}
    ).content.decode()
    assert 'data-layer="communes"' in page and "/api/v1/map/values?" in page
    assert "vendor/pmtiles/pmtiles.js" in page
    url = page.split('data-tiles="', 1)[1].split('"', 1)[0]
    response = client.get(url, HTTP_RANGE="bytes=0-126")
    assert response.status_code == 206
    head = b"".join(response.streaming_content)
    assert len(head) == 127 and head.startswith(b"PMTiles")
