"""Open API v1 on the real demo data: content, errors, permissions."""

from __future__ import annotations


def test_indicator_catalog(client) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/indicators").json()
    codes = {i["code"] for i in data}
    assert {"taux_vacance", "taux_lls", "dvf_prix_m2_median"} <= codes


def test_territory_search_and_detail(client) -> None:  # type: ignore[no-untyped-def]
    found = client.get("/api/v1/territories", {"q": "lievin"}).json()
    assert {"id": "COM:62510", "level": "COM", "code": "62510", "name": "Liévin"} in found
    detail = client.get("/api/v1/territories/EPCI:246200364").json()
    assert detail["name"] == "CA de Lens - Liévin"
    assert [p["id"] for p in detail["parents"]] == ["DEP:62", "REG:32", "FR"]
    assert len(detail["children"]) == 36


def test_values_series_with_source_and_status(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(
        "/api/v1/values", {"indicator": "lls_nombre", "territory": "EPCI:246200364"}
    ).json()
    by_year = {v["year"]: v for v in body["values"]}
    assert by_year[2024]["value"] == 47894 and by_year[2024]["status"] == "ok"
    assert by_year[2019]["value"] == 48154
    assert by_year[2024]["source"]["millesime"] == 2024
    one = client.get(
        "/api/v1/values", {"indicator": "lls_nombre", "territory": "EPCI:246200364", "year": 2019}
    ).json()
    assert [v["year"] for v in one["values"]] == [2019]


def test_bad_parameters_are_400_in_french(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/values", {"indicator": "taux_vacance", "territory": "XX:1"})
    assert response.status_code == 400 and "Niveau" in response.json()["erreur"]
    response = client.get("/api/v1/territories", {"q": ""})
    assert response.status_code == 400 and "requis" in response.json()["erreur"]
    assert client.get("/api/v1/values", {"indicator": "taux_vacance"}).status_code in (400, 422)


def test_unknown_ids_are_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/territories/COM:99999").status_code == 404
    response = client.get("/api/v1/values", {"indicator": "inconnu", "territory": "FR"})
    assert response.status_code == 404 and "inconnu" in response.json()["erreur"]


def test_restricted_indicator_refused_to_anonymous(client, restricted) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/values", {"indicator": restricted, "territory": "COM:62498"})
    assert response.status_code == 401
    assert "33" not in response.content.decode()  # no value leaks
    codes = {i["code"] for i in client.get("/api/v1/indicators").json()}
    assert restricted not in codes


def test_openapi_document(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/values", "/api/v1/territories", "/api/v1/indicators"} <= set(spec["paths"])


def test_population_series_with_millesime_and_cog(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(
        "/api/v1/values", {"indicator": "population_municipale", "territory": "COM:62498"}
    ).json()
    by_year = {v["year"]: v for v in body["values"]}
    assert {y: by_year[y]["value"] for y in (2019, 2021, 2023)} == {
        2019: 31461,
        2021: 32618,
        2023: 32920,
    }
    assert by_year[2023]["status"] == "ok"
    assert by_year[2023]["source"]["millesime"] == 2023
    assert by_year[2023]["source"]["geo_vintage"] == 2025


def test_sru_values_with_source_cog_and_status(client) -> None:  # type: ignore[no-untyped-def]
    def one(indicator: str, territory: str) -> dict:  # type: ignore[type-arg]
        body = client.get("/api/v1/values", {"indicator": indicator, "territory": territory})
        values = body.json()["values"]
        assert len(values) == 1
        return values[0]  # type: ignore[no-any-return]

    deficit = one("sru_deficit", "EPCI:246200364")
    # ANNAY (34) + VIMY (55), estimated from the file's LLS and rates.
    assert (deficit["value"], deficit["status"], deficit["year"]) == (89, "estimated", 2024)
    assert deficit["source"]["millesime"] == 2025
    rate = one("sru_taux_lls", "EPCI:246200364")
    assert (rate["value"], rate["status"]) == (None, "unavailable")
    lille = one("sru_taux_lls", "COM:59350")  # ">25%" in the file
    assert (lille["value"], lille["status"]) == (None, "missing")
