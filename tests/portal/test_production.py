"""Production mode as docs/deploiement.md describes it: `check --deploy` clean, static files
collected, gunicorn with several workers behind a TLS proxy, on the real demo cube.

Everything runs in subprocesses with the OBSERVATOIRE_* variables an administrator sets,
so the settings are read exactly as in production (the in-process Django of the other
tests is left alone). When `make test` runs this file on PostgreSQL,
OBSERVATOIRE_DATABASE_URL is inherited and gunicorn serves from PostgreSQL too.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from observatoire.settings import Settings

HOST = "observatoire.example.fr"
LENS = "EPCI:246200364"


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The parent's environment without its OBSERVATOIRE_* settings (but the database),
    plus the given ones."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OBSERVATOIRE_") or k == "OBSERVATOIRE_DATABASE_URL"
    }
    env["OBSERVATOIRE_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def _production(data_dir: Path) -> dict[str, str]:
    return _env(
        data_dir,
        OBSERVATOIRE_PRODUCTION="1",
        OBSERVATOIRE_SECRET_KEY=secrets.token_urlsafe(50),
        OBSERVATOIRE_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
    )


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_bin("observatoire"), "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def prod_dir(demo_data: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A production data dir holding the demo cube (linked: it is only read)."""
    demo = Settings(data_dir=demo_data[0])
    data_dir = tmp_path_factory.mktemp("production")
    target = Settings(data_dir=data_dir)
    target.cube_path.symlink_to(demo.cube_path)
    target.groupings_path.symlink_to(demo.groupings_path)
    return data_dir


@pytest.mark.embedded
def test_portal_uses_the_configured_database(web: Settings) -> None:
    """`make test` runs tests/portal twice: the second run must really be on PostgreSQL."""
    from django.contrib.auth.models import User
    from django.db import connection

    wanted = "postgresql" if os.environ.get("OBSERVATOIRE_DATABASE_URL") else "sqlite"
    assert connection.vendor == wanted
    User.objects.get_or_create(username="verification-base")
    assert User.objects.filter(username="verification-base").exists()


def test_check_deploy_is_clean_in_production(prod_dir: Path) -> None:
    done = _manage(_production(prod_dir), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize(
    ("settings", "warnings"),
    [
        # The embedded mode (no OBSERVATOIRE_PRODUCTION) is not fit to face the Internet.
        ({}, ["security.W004", "security.W008", "security.W012", "security.W016"]),
        # A guessable key is refused even in production mode.
        ({"OBSERVATOIRE_PRODUCTION": "1", "OBSERVATOIRE_SECRET_KEY": "changeme"}, ["W009"]),
    ],
)
def test_check_deploy_catches_unsafe_settings(
    prod_dir: Path, settings: dict[str, str], warnings: list[str]
) -> None:
    done = _manage(_env(prod_dir, **settings), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    for code in warnings:
        assert code in done.stderr + done.stdout


def _request(
    port: int, path: str, host: str = HOST, https: bool = True
) -> tuple[int, dict[str, str], bytes]:
    """One request as nginx forwards it (Host kept, X-Forwarded-Proto set)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def gunicorn(prod_dir: Path) -> Iterator[tuple[int, Path]]:
    """migrate, collectstatic, then gunicorn with 2 workers; yields (port, log)."""
    env = _production(prod_dir)
    for args in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        done = _manage(env, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    log = prod_dir / "gunicorn.log"
    command = [_bin("gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    command += ["--no-control-socket", "observatoire.web.wsgi:application"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                _request(port, "/")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.serial
def test_gunicorn_serves_portrait_api_and_static(
    gunicorn: tuple[int, Path], prod_dir: Path
) -> None:
    port, log = gunicorn
    status, headers, body = _request(port, f"/territoires/{LENS}/")
    html = body.decode()
    assert status == 200
    assert "CA de Lens - Liévin" in html and "Taux de vacance" in html and "7,2 %" in html
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

    status, _, body = _request(port, f"/api/v1/values?indicator=taux_vacance&territory={LENS}")
    assert status == 200
    values = {v["year"]: v["value"] for v in json.loads(body)["values"]}
    assert values[2021] == pytest.approx(7.19, abs=0.005)

    # collectstatic copied the DSFR assets into the data dir and they are served from it.
    css = "/static/dsfr/dist/dsfr/dsfr.min.css"
    assert (prod_dir / "static" / css.removeprefix("/static/")).is_file()
    status, headers, _ = _request(port, css)
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    # ... and the assets shared by the apps (web/static), not owned by any app.
    assert (prod_dir / "static" / "web" / "map.js").is_file()

    assert log.read_text().count("Booting worker") == 2


@pytest.mark.serial
def test_gunicorn_behind_proxy_is_strict(gunicorn: tuple[int, Path]) -> None:
    port, _ = gunicorn
    # Plain HTTP is sent to HTTPS; an unknown host is refused; errors stay French pages.
    status, headers, _ = _request(port, f"/territoires/{LENS}/", https=False)
    assert status == 301 and headers["Location"] == f"https://{HOST}/territoires/{LENS}/"
    assert _request(port, "/", host="pirate.example.com")[0] == 400
    status, _, body = _request(port, "/territoires/COM:99999/")
    assert status == 404 and "Page introuvable" in body.decode()
    assert "Traceback" not in body.decode()


def test_deployment_guide_matches_the_code() -> None:
    """docs/deploiement.md names every variable the settings read, and the WSGI
    application and the commands these tests run."""
    root = Path(__file__).resolve().parents[2]
    guide = (root / "docs" / "deploiement.md").read_text(encoding="utf-8")
    code = (root / "src" / "observatoire" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r"OBSERVATOIRE_[A-Z_]+", code))
    assert len(variables) >= 6
    for name in variables:
        assert f"| `{name}` |" in guide, name
    for text in (
        "observatoire.web.wsgi:application",
        "observatoire manage check --deploy --fail-level WARNING",
        "observatoire manage collectstatic --no-input",
        "observatoire manage migrate",
        "X-Forwarded-Proto",
    ):
        assert text in guide, text
