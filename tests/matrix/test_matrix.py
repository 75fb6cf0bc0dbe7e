"""Every view and API endpoint, for every role and territorial scope (deny by default)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from tests.matrix.cases import ROLE_NAMES, Case


def _all_cases() -> list[Case]:
    import tests.matrix as package

    cases: list[Case] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("cases_"):
            module = importlib.import_module(f"tests.matrix.{info.name}")
            cases += module.CASES
    return cases


CASES = _all_cases()


def _url_names() -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{prefix}{p.name}")

    walk(get_resolver().url_patterns, "")
    return {n for n in names if not n.startswith("admin:")}


def test_every_named_url_has_a_case(matrix_users: dict[str, Any]) -> None:
    covered = {c.url_name for c in CASES}
    missing = sorted(_url_names() - covered)
    assert not missing, f"Vues sans cas dans la matrice des droits : {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.url_name}")
def test_matrix(case: Case, matrix_users: dict[str, Any]) -> None:
    from django.test import Client

    failures = []
    for role in ROLE_NAMES:
        client = Client()
        if matrix_users[role] is not None:
            client.force_login(matrix_users[role])
        path = case.path() if callable(case.path) else case.path
        data = case.data() if callable(case.data) else case.data
        if case.method == "GET":
            response = client.get(path, headers=case.headers)
        else:
            response = client.generic(
                case.method,
                path,
                data=_encode(data),
                content_type="application/x-www-form-urlencoded",
                headers=case.headers,
            )
        if response.status_code != case.expect[role]:
            failures.append(f"{role}: {response.status_code} (attendu {case.expect[role]})")
    assert not failures, f"{case.method} {path} : " + " ; ".join(failures)


def _encode(data: dict[str, Any] | None) -> str:
    from urllib.parse import urlencode

    return urlencode(data or {}, doseq=True)
