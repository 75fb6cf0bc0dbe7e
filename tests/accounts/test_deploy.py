"""`observatoire check --deploy` with the production settings an administrator gives
(secret key and host names in the environment): exit 0, no warning. Without them it
fails and says which variable is missing. Security headers on every page."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from observatoire.settings import Settings


def _check(data_dir: Path, *args: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_")}
    if "OBSERVATOIRE_DATABASE_URL" in os.environ:
        env["OBSERVATOIRE_DATABASE_URL"] = os.environ["OBSERVATOIRE_DATABASE_URL"]
    env.update(env_vars)
    return subprocess.run(
        [str(Path(sys.executable).parent / "observatoire"), "--data-dir", str(data_dir), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_variables(tmp_path: Path) -> None:
    done = _check(
        tmp_path,
        "check",
        "--deploy",
        OBSERVATOIRE_SECRET_KEY=secrets.token_urlsafe(50),
        OBSERVATOIRE_ALLOWED_HOSTS="observatoire.exemple.fr",
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "no issues" in done.stdout and "Vérification réussie" in done.stdout
    assert "WARNING" not in output.upper() and "W0" not in output


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, ["observatoire.W001", "OBSERVATOIRE_SECRET_KEY", "observatoire.W002"]),
        ({"OBSERVATOIRE_SECRET_KEY": "changeme"}, ["security.W009", "OBSERVATOIRE_ALLOWED_HOSTS"]),
    ],
)
def test_check_deploy_names_what_is_missing(
    tmp_path: Path, variables: dict[str, str], expected: list[str]
) -> None:
    done = _check(tmp_path, "check", "--deploy", **variables)
    assert done.returncode == 1
    for text in expected:
        assert text in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_plain_check_passes(tmp_path: Path) -> None:
    done = _check(tmp_path, "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_security_headers(web: Settings) -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in csp.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "blob:" in directives["worker-src"]  # MapLibre's workers
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # The API and the documentation pages carry it too.
    assert "Content-Security-Policy" in Client().get("/api/v1/docs")


def test_session_cookie_is_protected(web: Settings) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from tests.accounts.conftest import unique

    email = unique("cookie")
    get_user_model().objects.create_user(email, email, "Cookie-habitat-2026")
    c = Client()
    c.post("/compte/connexion/", {"username": email, "password": "Cookie-habitat-2026"})
    cookie = c.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_no_inline_script_in_pages(web: Settings) -> None:
    """Every <script> of the pages is a local file or a JSON data block (allowed by
    the CSP without 'unsafe-inline')."""
    import re

    c = Client()
    pages = ("/", "/territoires/EPCI:246200364/", "/explorer/", "/compte/connexion/")
    for url in (*pages, "/api/v1/docs", "/comparer/?t=COM:62498&t=COM:62041"):
        html = c.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (url, tag)
