"""Imports and builds killed mid-way (kill -9, the OOM killer): the previous imports and
cube stay served, nothing is read from the staging area, and the next import or build
removes what the killed process left. Also: readers keep answering while a build swaps
the cube."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from tests.support import observatoire_command

from observatoire import settings as settings_module
from observatoire.cli import main
from observatoire.figures import store
from observatoire.indicators.cube import build
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.territories import Territory
from observatoire.territories.referential import national
from observatoire.warehouse.imports import import_file, sha256
from observatoire.warehouse.store import list_imports, remove_stale, staging

# The demo's real RP extract (1.8 MB): its import stages for about a second, long
# enough to be killed at several moments.
RP_DEMO = (
    Path(__file__).resolve().parents[2]
    / "src/observatoire/data/demo/insee_rp_logement/base-cc-logement-2021-subset.csv.gz"
)
LENS = Territory.parse("EPCI:246200364")
# A predicate on the staging area's files (name -> size) and the size of the file the
# process writes when it is not killed: when it holds, the process is killed.
Moment = Callable[[dict[str, int], int], bool]
MOMENTS: dict[str, Moment] = {
    "staging file created": lambda files, final: any(n.endswith(".duckdb") for n in files),
    "tables being written (WAL)": lambda files, final: any(n.endswith(".wal") for n in files),
    "half of the file written": lambda files, final: any(
        n.endswith(".duckdb") and size >= final // 2 for n, size in files.items()
    ),
}


def cli(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--data-dir", str(data), *args])
    return result.exit_code, result.output


def staged(data: Path) -> dict[str, int]:
    """Every file of both staging areas (imports: warehouse/.staging, builds: .staging)."""
    out = {}
    for area in (data / "warehouse" / ".staging", data / ".staging"):
        if area.is_dir():
            for entry in area.iterdir():
                # The running command may remove a file between the listing and its size
                # (its lock file, once the import is done): gone, it is not staged.
                try:
                    out[entry.name] = entry.stat().st_size if entry.is_file() else 0
                except FileNotFoundError:
                    continue
    return out


def kill_at(data: Path, moment: Moment, final_size: int, *args: str) -> None:
    """Run `observatoire --data-dir data *args` and SIGKILL it at `moment`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_")}
    before = set(staged(data))
    proc = subprocess.Popen(
        [*observatoire_command(), "--data-dir", str(data), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            files = {n: s for n, s in staged(data).items() if n not in before}
            if moment(files, final_size):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
    finally:
        if proc.poll() is None and time.monotonic() >= deadline:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"{args} ended before the moment"


@pytest.fixture(scope="module")
def served_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("served") / "data"
    settings = Settings(data)
    import_file(settings, "insee_rp_logement", RP_DEMO)
    build(settings)
    return data


@pytest.fixture
def served(served_once: Path, tmp_path: Path) -> tuple[Settings, float]:
    """A data dir with the demo's RP imported and a cube built; Lens-Liévin's vacancy rate."""
    settings = Settings(tmp_path / "data")
    shutil.copytree(served_once, settings.data_dir)
    with Cube(settings, national()) as cube:
        rate = cube.value("taux_vacance", LENS).value
    assert rate is not None
    return settings, rate


def test_a_killed_import_leaves_the_previous_state_served_and_is_cleaned(
    served: tuple[Settings, float],
) -> None:
    settings, rate = served
    data = settings.data_dir
    [previous] = list_imports(settings.warehouse_dir)
    cube_digest = sha256(settings.cube_path)
    for moment, killed_when in MOMENTS.items():
        kill_at(
            data,
            killed_when,
            previous.path.stat().st_size,
            "import",
            "insee_rp_logement",
            str(RP_DEMO),
        )
        # One staging file left: this kill's (the import killed before was cleaned by
        # this one when it started).
        left = [n for n in staged(data) if n.endswith(".duckdb")]
        assert len(left) == 1, f"{moment}: {left}"
        # The staging files are not imports: the previous one is listed and served.
        [still] = list_imports(settings.warehouse_dir)
        assert still.provenance == previous.provenance, moment
        code, out = cli(data, "sources")
        assert code == 0, out
        rows = previous.provenance["row_count"]
        assert f"base-cc-logement-2021-subset.csv.gz, {rows} lignes" in " ".join(out.split())
        assert sha256(settings.cube_path) == cube_digest
    code, out = cli(data, "build")
    assert code == 0 and "Cube construit" in out, out
    assert staged(data) == {}
    code, out = cli(data, "value", "taux_vacance", LENS.id, "--format", "json")
    assert code == 0 and f'"value": {round(rate, 6)}' in out, out


def test_a_killed_build_leaves_the_previous_cube_served_and_is_cleaned(
    served: tuple[Settings, float],
) -> None:
    settings, rate = served
    data = settings.data_dir
    cube_digest = sha256(settings.cube_path)
    for moment, killed_when in MOMENTS.items():
        kill_at(data, killed_when, settings.cube_path.stat().st_size, "build")
        left = [n for n in staged(data) if n.endswith(".duckdb")]
        assert len(left) == 1, f"{moment}: {left}"
        assert sha256(settings.cube_path) == cube_digest
        code, out = cli(data, "value", "taux_vacance", LENS.id, "--format", "json")
        assert code == 0 and f'"value": {round(rate, 6)}' in out, out
        code, out = cli(data, "sources")
        assert code == 0, out
    # The next import removes what the killed build left (~20 MB; each killed build above
    # removed the one before), and the next build succeeds.
    code, out = cli(data, "import", "insee_rp_logement", str(RP_DEMO))
    assert code == 0, out
    assert staged(data) == {}
    code, out = cli(data, "build")
    assert code == 0 and "Cube construit" in out, out
    assert staged(data) == {}


def test_a_running_writer_keeps_its_staging_file(settings: Settings, tmp_path: Path) -> None:
    """Cleaning never deletes the staging file of an import or build still running."""
    root = settings.warehouse_dir
    leftover = root / ".staging" / "0123456789abcdef0123456789abcdef.duckdb"
    leftover.parent.mkdir(parents=True)
    duckdb.connect(str(leftover)).close()  # as a killed import of an older version left it
    with staging(root) as (con, tmp):
        assert not leftover.exists()
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
        assert remove_stale(root) == []
        with staging(root) as (_other, other_tmp):
            assert tmp.exists() and other_tmp != tmp
        assert tmp.exists()
    assert staged(settings.data_dir) == {}


def test_readers_keep_answering_while_a_build_swaps_the_cube(
    served: tuple[Settings, float],
) -> None:
    """The portal's readers (one cube per thread, figures.store) opened before and
    during the swap answer throughout; after it, they read the new cube."""
    settings, rate = served
    old_inode = settings.cube_path.stat().st_ino
    settings_module.activate(settings)
    failures: list[BaseException] = []
    answers: list[int] = []
    ready = threading.Barrier(3)
    stop = threading.Event()

    def read() -> None:
        # A connection opened before the build, and the thread's own cube of the store.
        opened_before = Cube(settings, national())
        count = 0
        ready.wait()
        try:
            while not stop.is_set():
                assert store.cube().value("taux_vacance", LENS).value == rate
                assert opened_before.value("taux_vacance", LENS).value == rate
                count += 1
                time.sleep(0.01)
            # The swap is over: the store reopens the new file, the old connection reads on.
            assert store.cube().value("taux_vacance", LENS).value == rate
            assert opened_before.value("taux_vacance", LENS).value == rate
        except BaseException as exc:
            failures.append(exc)
        finally:
            opened_before.close()
            answers.append(count)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    ready.wait()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_")}
    try:
        done = subprocess.run(
            [*observatoire_command(), "--data-dir", str(settings.data_dir), "build"],
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert done.returncode == 0, done.stderr
    assert not failures, failures
    assert settings.cube_path.stat().st_ino != old_inode
    assert min(answers) > 0
