"""GET /api/v1/map on the real demo data: features, values, classes, secrecy, errors."""

from __future__ import annotations

import csv
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from observatoire.portal import classes as classing

LENS = "EPCI:246200364"
FIXTURES = Path(__file__).parents[1] / "fixtures"


def _map(client, **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/map", params)
    assert response.status_code == 200, response.content[:300]
    body: dict[str, Any] = response.json()
    return body


def _visible(body: dict[str, Any]) -> list[float]:
    return [
        f["properties"]["value"] for f in body["features"] if f["properties"]["value"] is not None
    ]


def test_lens_lievin_communes(client) -> None:  # type: ignore[no-untyped-def]
    body = _map(client, indicator="taux_vacance", level="COM", within=LENS)
    assert body["type"] == "FeatureCollection"
    assert body["year"] == 2021  # the default: the latest year with values
    assert body["within"] == {"id": LENS, "name": "CA de Lens - Liévin"}
    assert body["indicator"] == {"code": "taux_vacance", "label": "Taux de vacance", "unit": "%"}
    assert body["source"]["millesime"] == 2021 and "Recensement" in body["source"]["name"]
    members = {c["code"] for c in client.get(f"/api/v1/territories/{LENS}").json()["children"]}
    by_code = {f["properties"]["code"]: f for f in body["features"]}
    assert len(body["features"]) == 36 and set(by_code) == members
    lens = by_code["62498"]
    assert lens["properties"]["name"] == "Lens" and lens["geometry"]["type"] in (
        "Polygon",
        "MultiPolygon",
    )
    # The same figure as the series endpoint: values come from the cube as computed.
    series = client.get("/api/v1/values", {"indicator": "taux_vacance", "territory": "COM:62498"})
    assert lens["properties"]["value"] == series.json()["values"][0]["value"]
    for f in body["features"]:
        props = f["properties"]
        assert props["status"] == "ok" and isinstance(props["value"], float)
        assert props["class"] == classing.classify(props["value"], body["breaks"])
    assert body["method"] == "quantiles" and body["classes"] == 5
    assert body["breaks"] == sorted(body["breaks"]) and len(set(body["breaks"])) == 6
    assert body["breaks"][0] == min(_visible(body)) and body["breaks"][-1] == max(_visible(body))


def test_epci_of_nord(client) -> None:  # type: ignore[no-untyped-def]
    body = _map(client, indicator="taux_lls", level="EPCI", within="DEP:59", method="jenks")
    expected = {c["code"] for c in client.get("/api/v1/territories/DEP:59").json()["children"]}
    assert {f["properties"]["code"] for f in body["features"]} == expected
    assert len(expected) == 17 and body["year"] == 2024 and body["method"] == "jenks"
    mel = next(f for f in body["features"] if f["properties"]["code"] == "200093201")
    whole = client.get(
        "/api/v1/values", {"indicator": "taux_lls", "territory": "EPCI:200093201", "year": 2024}
    ).json()["values"][0]
    assert mel["properties"]["value"] == whole["value"]  # the whole EPCI, not its part in 59


def test_departements_of_region_fewer_values_than_classes(client) -> None:  # type: ignore[no-untyped-def]
    body = _map(client, indicator="taux_vacance", level="DEP", within="REG:32", classes=9)
    values = _visible(body)
    assert len(values) == 5 and body["classes"] == 5  # one class per distinct value
    assert body["breaks"][1:] == sorted(values)
    assert sorted(f["properties"]["class"] for f in body["features"]) == [0, 1, 2, 3, 4]


def test_pas_de_calais_communes_weight_and_breaks(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        "/api/v1/map",
        {"indicator": "taux_vacance", "level": "COM", "within": "DEP:62", "method": "jenks"},
    )
    assert response.status_code == 200
    assert len(response.content) < 1_500_000
    body = response.json()
    assert len(body["features"]) == 887
    values = _visible(body)
    assert body["breaks"] == classing.breaks(values, "jenks", 5)
    uppers = body["breaks"][1:]
    assert all(a < b for a, b in itertools.pairwise(uppers))
    counts = [0] * body["classes"]
    for f in body["features"]:
        if f["properties"]["class"] is not None:
            counts[f["properties"]["class"]] += 1
    assert all(counts) and sum(counts) == len(values)


def _true_prices(codes: set[str]) -> dict[str, float]:
    with (FIXTURES / "dvf_communes" / "dvf2023.csv").open(encoding="utf-8") as fh:
        return {
            r["INSEE_COM"]: float(r["Prixm2Moyen"])
            for r in csv.DictReader(fh)
            if r["INSEE_COM"] in codes
        }


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)]


@pytest.mark.parametrize("method", ["quantiles", "jenks"])
def test_secret_prices_never_leak(client, method: str) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": "dvf_prix_m2_moyen", "level": "COM", "within": LENS, "year": 2023}
    response = client.get("/api/v1/map", {**params, "method": method})
    body = response.json()
    secret = {
        f["properties"]["code"] for f in body["features"] if f["properties"]["status"] == "secret"
    }
    assert {"62107", "62380", "62793", "62854"} <= secret  # fewer than 5 sales in 2023
    for f in body["features"]:
        if f["properties"]["code"] in secret:
            assert f["properties"]["value"] is None and f["properties"]["class"] is None
    truth = _true_prices(secret)
    assert len(truth) >= 4
    # The breaks are those of the visible values alone (Servins, 2277 €/m² from 3 sales, would be
    # the maximum otherwise).
    visible = _visible(body)
    assert body["breaks"] == classing.breaks(visible, method, 5)
    assert body["breaks"][-1] == max(visible) < max(truth.values())
    for content in (
        response.content,
        client.get("/api/v1/map", {**params, "format": "geojson"}).content,
        client.get("/api/v1/map", {**params, "format": "csv"}).content,
    ):
        found = _numbers(content.decode())
        for code, price in truth.items():
            assert not any(abs(x - price) < 0.01 for x in found), code


def test_default_year_and_explicit_year(client) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": "dvf_prix_m2_moyen", "level": "COM", "within": LENS}
    assert _map(client, **params)["year"] == 2024
    older = _map(client, **params, year=2020)
    assert older["year"] == 2020 and older["source"]["millesime"] == 2020
    # Bénifontaine: no sale at all in 2020, the source says nothing about it.
    benifontaine = next(f for f in older["features"] if f["properties"]["code"] == "62107")
    assert benifontaine["properties"]["value"] is None


def _error(client, status: int, **params: Any) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/map", params)
    assert response.status_code == status, response.content[:300]
    message: str = response.json()["erreur"]
    return message


def test_bad_parameters_are_400_in_french(client) -> None:  # type: ignore[no-untyped-def]
    base = {"indicator": "taux_vacance", "within": "DEP:62"}
    assert "non contenu" in _error(client, 400, **base, level="DEP")
    assert "non contenu" in _error(client, 400, **base, level="REG")
    assert "non contenu" in _error(
        client, 400, indicator="taux_vacance", level="COM", within="COM:62498"
    )
    assert "valeurs possibles" in _error(client, 400, **base, level="IRIS")
    assert "quantiles, jenks" in _error(client, 400, **base, level="COM", method="kmeans")
    for classes in (1, 10):
        assert "entre 2 et 9" in _error(client, 400, **base, level="COM", classes=classes)
    assert "entier" in _error(client, 400, **base, level="COM", classes="cinq")
    assert "requis" in _error(client, 400, indicator="taux_vacance", level="COM")
    assert "Niveau" in _error(client, 400, indicator="taux_vacance", level="COM", within="XX:1")
    assert "format" in _error(client, 400, **base, level="COM", format="pdf")


def test_unknown_and_unmappable_are_404_or_422(client) -> None:  # type: ignore[no-untyped-def]
    assert "inconnu" in _error(client, 404, indicator="inconnu", level="COM", within=LENS)
    assert "inconnu" in _error(client, 404, indicator="taux_vacance", level="COM", within="DEP:00")
    assert "2021" in _error(
        client, 404, indicator="taux_vacance", level="COM", within=LENS, year=1990
    )
    assert "non chargée" in _error(
        client, 404, indicator="dvf_prix_m2_median", level="COM", within=LENS
    )
    # Paris: no commune contour shipped; the message says which départements have them.
    message = _error(client, 422, indicator="taux_vacance", level="COM", within="DEP:75")
    assert "Pas de contour" in message and "14, 46, 53, 59 et 62" in message


def test_restricted_indicator(client, restricted, reader_lens, reader_arras) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": restricted, "level": "COM", "within": LENS, "year": 2021}
    for fmt in ("json", "geojson", "csv", "xlsx"):
        response = client.get("/api/v1/map", {**params, "format": fmt})
        assert response.status_code == 401, fmt
        assert "connectez-vous" in response.json()["erreur"]
        assert (
            "62498" not in response.content.decode() and "feature" not in response.content.decode()
        )
    client.force_login(reader_arras)
    response = client.get("/api/v1/map", params)
    assert response.status_code == 403 and "hors du périmètre" in response.json()["erreur"]
    client.force_login(reader_lens)
    body = _map(client, **params)
    assert len(body["features"]) == 36 and any(_visible(body))


def test_openapi_lists_map_parameters(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/map"]["get"]["parameters"]}
    assert set(params) == {"indicator", "level", "within", "year", "method", "classes", "format"}
    assert params["method"]["schema"]["enum"] == ["quantiles", "jenks"]
    assert (
        params["classes"]["schema"]["minimum"] == 2
        and "classes" in params["classes"]["description"]
    )
    values = {p["name"] for p in spec["paths"]["/api/v1/values"]["get"]["parameters"]}
    assert "format" in values


def _ssd(groups: list[list[float]]) -> float:
    return sum(sum((x - sum(g) / len(g)) ** 2 for x in g) for g in groups)


def test_jenks_is_exact_and_quantiles_handle_ties() -> None:
    import itertools

    from hypothesis import given, settings
    from hypothesis import strategies as st

    assert classing.breaks([1, 2, 3, 10, 11, 12, 30, 31, 40], "jenks", 3) == [1, 3, 12, 40]
    assert classing.breaks([5, 5, 5, 5, 5, 6, 7, 8], "quantiles", 3) == [5, 5, 6, 8]
    # Two quantiles fall on the same value: one class less, never an empty one.
    assert classing.breaks([5, 5, 5, 5, 5, 5, 7, 8, 9], "quantiles", 3) == [5, 5, 9]
    assert classing.breaks([5, 6, 7, 8], "quantiles", 4) == [5, 5, 6, 7, 8]
    assert classing.breaks([4.0, 4.0], "quantiles", 5) == [4.0, 4.0]
    assert classing.breaks([], "jenks", 5) == []
    assert classing.classify(None, [1, 2]) is None and classing.classify(1, []) is None

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.integers(0, 50), min_size=4, max_size=8), st.integers(2, 3))
    def optimal(values: list[int], k: int) -> None:
        data = sorted(float(v) for v in values)
        bounds = classing.breaks(data, "jenks", k)
        groups: dict[int, list[float]] = {}
        for x in data:
            groups.setdefault(classing.classify(x, bounds) or 0, []).append(x)
        if len(set(data)) <= k:
            assert len(groups) == len(set(data))
            return
        best = min(
            _ssd([data[a:b] for a, b in itertools.pairwise((0, *cut, len(data)))])
            for cut in itertools.combinations(range(1, len(data)), k - 1)
        )
        assert abs(_ssd(list(groups.values())) - best) < 1e-6

    optimal()
