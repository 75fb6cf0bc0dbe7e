"""Test harness: the demo built once per code state, one database per test and per worker.

- The embedded demo (`observatoire demo --no-serve`, ~45 s) is built once into
  var/test-cache/demo-<hash of src/ and pyproject.toml>, shared by every xdist worker (file
  lock) and by the next runs while the code is unchanged.
- Each worker copies it into a private data dir and gets its own database: the demo's
  SQLite file, or on PostgreSQL (OBSERVATOIRE_DATABASE_URL, which `make test` sets) a
  clone of the template database `<name>_demo`, filled once per code state with the demo
  content (the three passes of `make test` share it).
- Every test that uses the web apps (fixture `web`) runs in a transaction rolled back at
  its end (pytest-django's `django_db`): tests see the demo content and nothing left by
  another test. Tests marked `serial` (real servers in subprocesses, which only see
  committed rows) run alone, in a second pytest invocation, and commit.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from tests.support import observatoire_command

from observatoire import settings as settings_module
from observatoire.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
CACHE = ROOT / "var" / "test-cache"
# Web tests know they are: they ask for `web` (Django on the demo data dir).
WEB_FIXTURE = "web"
BASE_URL_VARIABLE = "OBSERVATOIRE_TESTS_BASE_DATABASE_URL"


# ----------------------------------------------------------------------------- the worker


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path="/" + name))


def pytest_configure(config: pytest.Config) -> None:
    """Start Django on this worker's own data dir and database, before pytest-django
    looks (its own pytest_configure runs last). The data dir is filled by `demo_data`."""
    # The database `make test` names, kept aside: this process then points
    # OBSERVATOIRE_DATABASE_URL at its own clone, and xdist workers inherit the environment.
    base_url = os.environ.setdefault(BASE_URL_VARIABLE, Settings.from_env(".").database_url)
    data_dir = Path(tempfile.mkdtemp(prefix=f"observatoire-tests-{_worker()}-"))
    database_url = ""
    if base_url:
        template = urlparse(base_url).path.lstrip("/")
        database_url = _with_database(base_url, f"{template}_{_worker()}")
        # Servers started by the tests (browser, gunicorn) inherit this worker's database.
        os.environ["OBSERVATOIRE_DATABASE_URL"] = database_url
    config.stash[_run_key] = _Run(base_url, data_dir, database_url)

    from observatoire.startup import setup

    setup(Settings(data_dir=data_dir, database_url=database_url))
    # xdist workers inherit this process's environment: left set, the variable would make
    # pytest-django start Django in each worker before this hook, on the default data dir.
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    from django.conf import settings as django_settings

    # WhiteNoise scans the ~1,800 packaged static files each time a middleware chain is
    # built, i.e. for every test Client (~0.3 s each, 6 per permission-matrix case):
    # looking a file up on request instead serves the same files with the same headers.
    django_settings.WHITENOISE_AUTOREFRESH = True
    # Django's advice for test suites: the production hasher (PBKDF2, 1M iterations) costs
    # ~0.4 s per password here; what the tests check of passwords does not depend on it.
    # PBKDF2 stays second to check the demo accounts' passwords (hashed by the demo build).
    django_settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(_run_key, None)
    if run is not None:
        shutil.rmtree(run.data_dir, ignore_errors=True)


@dataclass(frozen=True)
class _Run:
    """This process's test run: the database `make test` named (empty: SQLite), and this
    worker's own data dir and database."""

    base_url: str
    data_dir: Path
    database_url: str

    @property
    def settings(self) -> Settings:
        return Settings(data_dir=self.data_dir, database_url=self.database_url)


_run_key = pytest.StashKey[_Run]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Web tests run in a rolled-back transaction, serial ones commit; tests without the
    demo go first, so that one worker works while the other builds the demo."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if WEB_FIXTURE in names and item.get_closest_marker("serial") is None:
            item.add_marker(pytest.mark.django_db)
    items.sort(key=lambda item: "demo_data" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def _active_settings_restored() -> Iterator[None]:
    """CLI commands activate the settings of their --data-dir: give the next test back
    the worker's."""
    before = settings_module._active
    yield
    settings_module._active = before


# ----------------------------------------------------------------------------- the demo


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _inputs_hash() -> str:
    """What the demo is built from: the package (code, extracts, migrations) and its pins."""
    digest = hashlib.sha256()
    package = ROOT / "src" / "observatoire"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()[:16]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_")}
    env.update(extra)
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} a échoué :\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _embedded_demo() -> Path:
    """The demo on the embedded SQLite, built once per code state (all workers, all runs)."""
    target = CACHE / f"demo-{_inputs_hash()}"
    with _locked(CACHE / "demo.lock"):
        if not (target / "demo-output.txt").exists():
            for old in CACHE.glob("demo-*"):
                if old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
            building = CACHE / f"building-{os.getpid()}"
            shutil.rmtree(building, ignore_errors=True)
            command = [*observatoire_command(), "--data-dir", str(building), "demo", "--no-serve"]
            output = _run(command, _clean_env(COLUMNS="80"))
            (building / "demo-output.txt").write_text(output, encoding="utf-8")
            building.rename(target)
    return target


LOAD_WEB_DEMO = """
from rich.console import Console
from observatoire.web import demo
demo.load(Console(width=80))
"""


def _postgresql_demo(run: _Run, embedded: Path) -> Path:
    """The template database `<name>_demo`, filled once with the demo content of this code
    state (its comment names that state: the next pytest run of `make test` reuses it),
    and the data dir holding the documents its rows name. Clones this worker's database
    from it and returns that data dir."""
    import psycopg

    template = urlparse(run.base_url).path.lstrip("/") + "_demo"
    source = CACHE / f"pg-{embedded.name}"
    admin = _with_database(run.base_url, "postgres")
    described = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s"
    with _locked(CACHE / "pg.lock"), psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(described, [template]).fetchone()
        if not (row and row[0] == embedded.name and (source / "demo-output.txt").exists()):
            conn.execute(f'DROP DATABASE IF EXISTS "{template}"')
            conn.execute(f'CREATE DATABASE "{template}"')
            for old in CACHE.glob("pg-*"):
                shutil.rmtree(old, ignore_errors=True)
            building = CACHE / f"building-pg-{os.getpid()}"
            shutil.rmtree(building, ignore_errors=True)
            shutil.copytree(embedded, building, ignore=shutil.ignore_patterns("app.sqlite3*"))
            env = _clean_env(OBSERVATOIRE_DATABASE_URL=_with_database(run.base_url, template))
            command = [*observatoire_command(), "--data-dir", str(building), "manage"]
            _run([*command, "migrate", "--no-input"], env)
            _run([*command, "shell", "-c", LOAD_WEB_DEMO], env)
            building.rename(source)
            conn.execute(f"COMMENT ON DATABASE \"{template}\" IS '{embedded.name}'")
        # Inside the lock: PostgreSQL refuses to copy a template another copy is reading.
        name = urlparse(run.database_url).path.lstrip("/")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return source


@pytest.fixture(scope="session")
def demo_data(request: pytest.FixtureRequest) -> tuple[Path, str]:
    """(this worker's copy of the demo data dir, the demo command's output)."""
    run = request.config.stash[_run_key]
    embedded = _embedded_demo()
    source = embedded
    if run.base_url:
        source = _postgresql_demo(run, embedded)
    ignore = shutil.ignore_patterns("demo-output.txt", "secret_key")
    if run.base_url:
        ignore = shutil.ignore_patterns("demo-output.txt", "secret_key", "app.sqlite3*")
    shutil.copytree(source, run.data_dir, ignore=ignore, dirs_exist_ok=True)
    return run.data_dir, (embedded / "demo-output.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def django_db_setup(demo_data: tuple[Path, str], django_test_environment: None) -> None:
    """The worker's database is the demo's (copied or cloned by `demo_data`): nothing to
    create, nothing to migrate."""


@pytest.fixture(scope="session")
def web(request: pytest.FixtureRequest, django_db_setup: None) -> Settings:
    """Django on this worker's demo data dir and database (embedded SQLite, or PostgreSQL
    when OBSERVATOIRE_DATABASE_URL is set: `make test` runs the web suite there)."""
    return request.config.stash[_run_key].settings


@pytest.fixture(autouse=True)
def _serial_commits(request: pytest.FixtureRequest) -> Iterator[None]:
    """`serial` web tests reach the database without the rolled-back transaction: the rows
    they write must be seen by a server in a subprocess."""
    if request.node.get_closest_marker("serial") is None or WEB_FIXTURE not in request.fixturenames:
        yield
        return
    with request.getfixturevalue("django_db_blocker").unblock():
        yield


# ----------------------------------------------------------------------------- general


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """An empty, private data dir: two tests never share a warehouse. (Shadows
    pytest-django's `settings` fixture, unused here.)"""
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def client(web: Settings):  # type: ignore[no-untyped-def]
    from django.test import Client

    return Client()
