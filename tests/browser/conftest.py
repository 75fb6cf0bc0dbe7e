"""Browser tests: the real portal (`observatoire serve` in a subprocess, on the session's
demo data) driven by Playwright in Debian's Chromium.

`playwright install` cannot download browsers here, so the system Chromium is launched by
path (`make test` installs it with apt). Playwright's sync API runs an event loop in this
process; its fixtures are package-scoped so the loop is gone before the Django tests of
tests/portal run in-process (Django refuses ORM calls while a loop is running).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import observatoire_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for_http(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Le serveur s'est arrêté (code {process.returncode}) :\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"Le serveur ne répond pas sur {url} après {timeout:.0f} s :\n{log.read_text()}")


@pytest.fixture(scope="package")
def server(demo_data: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`observatoire --data-dir <demo> serve --port <free port>`; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    command = [*observatoire_command(), "--data-dir", str(demo_data[0])]
    command += ["serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", process, log, timeout=60)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} absent : `make test` l'installe (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class Journey:
    """One page of the browser plus what a user journey needs: screenshots at each step
    (test-artifacts/<test>/NN-step.png) and the JavaScript errors seen on the way."""

    def __init__(self, page, folder: Path) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.folder = folder
        self.step = 0
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: self.errors.append(msg.text) if msg.type == "error" else None,
        )

    def shot(self, name: str) -> Path:
        self.step += 1
        path = self.folder / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def journey(browser, server: str, request: pytest.FixtureRequest) -> Iterator[Journey]:  # type: ignore[no-untyped-def]
    folder = ARTIFACTS / "browser" / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 900}, locale="fr-FR",
        accept_downloads=True,
    )  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    j = Journey(page, folder)
    try:
        yield j
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            j.shot("echec")
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Keep the call report on the item so the fixture can screenshot a failure."""
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
