"""The OpenAPI document of /api/v1 tells the truth: schemathesis generates requests from
it and sends them to the Django app in-process (WSGI, the demo database), and every
response must be documented (status code, content type, body schema) and never a 5xx.
Bounded and deterministic: 20 examples per operation, derandomized."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

OPENAPI = "/api/v1/openapi.json"


@pytest.fixture
def api_schema(web: Any) -> Iterator[Any]:
    """The schema loaded from the app itself. As Django's test Client does, requests do
    not close the connection at their end: the test's transaction stays open."""
    import schemathesis
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(OPENAPI, get_wsgi_application())
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def test_every_response_is_documented(api_schema: Any) -> None:
    checks = _checks()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10  # the portal's and the plans' operations

    for operation in operations:

        @settings(
            max_examples=20,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def conforms(case: Any) -> None:
            case.call_and_validate(checks=checks)

        conforms()


def test_refusals_are_documented_with_their_french_body(client) -> None:  # type: ignore[no-untyped-def]
    """What a generated client relies on, read in the document."""
    spec = client.get(OPENAPI).json()
    values = spec["paths"]["/api/v1/values"]["get"]
    for code in ("400", "401", "403", "404"):
        body = values["responses"][code]["content"]["application/json"]["schema"]
        assert body["required"] == ["erreur"], code
    objectives = spec["paths"]["/api/v1/plans/{plan_id}/objectives"]["get"]
    assert {"400", "404"} <= set(objectives["responses"])
    params = {p["name"]: p for p in values["parameters"]}
    assert params["indicator"]["required"] and params["territory"]["required"]
    import re

    pattern = re.compile(params["territory"]["schema"]["pattern"])
    for good in ("COM:62498", "COM:2A004", "EPCI:246200364", "DEP:62", "DEP:971", "FR"):
        assert pattern.match(good), good
    for bad in ("", "COM:6249", "XX:1", "EPCI:2462"):
        assert not pattern.match(bad), bad
    q = {p["name"]: p for p in spec["paths"]["/api/v1/territories"]["get"]["parameters"]}["q"]
    assert q["required"] and q["schema"]["pattern"] == r"\S"
    # Token authentication, declared for clients and shown by the docs page.
    scheme = spec["components"]["securitySchemes"]["jeton"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
    assert {t["name"] for t in spec["tags"]} >= {"territoires", "valeurs", "cartes", "plans"}
    tags = {t for path in spec["paths"].values() for op in path.values() for t in op["tags"]}
    assert "default" not in tags


def test_docs_page_in_the_portal_frame(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="fr-header"' in html and "Observatoire de l'habitat" in html
    assert 'class="fr-breadcrumb__link" href="/"' in html  # the way back
    assert "Authorization: Token &lt;clé&gt;" in html
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
