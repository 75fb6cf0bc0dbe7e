"""Batch jobs started from the animateur page: every fiche of a territory (itself and its
communes), then one zip of the PDFs.

There is no task queue: the job runs in a background thread of the web process and
writes its progress to `publications/lots/<territory>/progress.json` under the data
dir, so that any request (a page reload, another worker process) reads where it stands.
A job whose process died is seen as interrupted and may be restarted: the batch keeps
the fiches already written. One job at a time per territory (an exclusive marker
file). Public diffusion only, like the command: the zip is meant to be passed on."""

from __future__ import annotations

import json
import os
import shutil
import threading
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from observatoire import figures
from observatoire.figures import Reader
from observatoire.publications import batch
from observatoire.settings import active
from observatoire.territories import Level, Territory

# What a batch is started on: a territory with communes, below the région.
LEVELS = (Level.DEP, Level.EPCI, Level.GRP)

RUNNING, DONE, INTERRUPTED, FAILED = "en_cours", "termine", "interrompu", "echec"
LABELS = {
    RUNNING: "en cours",
    DONE: "terminé",
    INTERRUPTED: "interrompu (relancez-le : les fiches déjà faites sont gardées)",
    FAILED: "en échec",
}

# Jobs started by this process: a job of this process is running while its thread is.
_threads: dict[Territory, threading.Thread] = {}
_lock = threading.Lock()


class AlreadyRunning(Exception):
    pass


@dataclass
class Job:
    territory: Territory
    state: str
    total: int = 0
    done: int = 0
    written: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    error: str = ""
    pid: int = 0

    @property
    def label(self) -> str:
        return LABELS.get(self.state, self.state)

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def zip_path(self) -> Path:
        return folder(self.territory) / zip_name(self.territory)

    @property
    def downloadable(self) -> bool:
        return self.state == DONE and self.zip_path.exists()

    def as_dict(self) -> dict[str, Any]:
        return {
            "territory": self.territory.id,
            "state": self.state,
            "label": self.label,
            "total": self.total,
            "done": self.done,
            "percent": self.percent,
            "written": self.written,
            "skipped": self.skipped,
            "failed": [{"territory": t, "reason": r} for t, r in self.failed],
            "started": self.started,
            "finished": self.finished,
            "error": self.error,
        }


def folder(territory: Territory) -> Path:
    return active().data_dir / "publications" / "lots" / territory.id.replace(":", "-")


def zip_name(territory: Territory) -> str:
    return f"fiches-{batch.filename(territory).removesuffix('.pdf')}.zip"


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _save(job: Job) -> None:
    path = folder(job.territory) / "progress.json"
    data = {k: v for k, v in job.as_dict().items() if k not in ("label", "percent")}
    data["pid"] = job.pid
    partial = path.with_name("progress.json.part")
    partial.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    partial.replace(path)


def _alive(job: Job) -> bool:
    if job.pid == os.getpid():
        thread = _threads.get(job.territory)
        return thread is not None and thread.is_alive()
    try:
        os.kill(job.pid, 0)
    except (ProcessLookupError, PermissionError, OverflowError):
        return False
    return True


def status(territory: Territory) -> Job | None:
    """The territory's latest job, None when it never had one."""
    path = folder(territory) / "progress.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    job = Job(
        territory=territory,
        state=data["state"],
        total=data["total"],
        done=data["done"],
        written=data["written"],
        skipped=data["skipped"],
        failed=[(f["territory"], f["reason"]) for f in data["failed"]],
        started=data["started"],
        finished=data["finished"],
        error=data["error"],
        pid=data["pid"],
    )
    if job.running and not _alive(job):
        job.state = INTERRUPTED
    return job


def start(territory: Territory) -> Job:
    """Start the job in a background thread; AlreadyRunning when one is under way."""
    with _lock:
        current = status(territory)
        if current is not None and current.running:
            raise AlreadyRunning(territory.id)
        folder(territory).mkdir(parents=True, exist_ok=True)
        if current is not None and current.state == DONE:
            # A finished batch started again is made anew (the cube may have changed);
            # an interrupted one resumes from the fiches it kept.
            shutil.rmtree(folder(territory) / "fiches", ignore_errors=True)
        todo = batch.targets([territory])
        job = Job(territory, RUNNING, total=len(todo), started=_now(), pid=os.getpid())
        _save(job)
        thread = threading.Thread(
            target=_run, args=(job, todo), name=f"fiches-{territory.id}", daemon=True
        )
        _threads[territory] = thread
        thread.start()
    return job


def _run(job: Job, todo: list[Territory]) -> None:
    out = folder(job.territory) / "fiches"

    def step(t: Territory) -> None:
        job.done += 1
        _save(job)

    try:
        outcome = batch.run(todo, out, step=step)
        job.written, job.skipped = len(outcome.written), len(outcome.skipped)
        job.failed = [(t.id, reason) for t, reason in outcome.failed]
        _zip(job, [out / batch.filename(t) for t in todo])
        job.state = DONE
    except Exception as exc:  # the page says so; the fiches written are kept
        job.state, job.error = FAILED, f"{type(exc).__name__} : {exc}"
    job.finished = _now()
    _save(job)


def _zip(job: Job, paths: list[Path]) -> None:
    partial = job.zip_path.with_name(job.zip_path.name + ".part")
    # PDFs are compressed already: stored as they are.
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
        for path in paths:
            if path.exists():
                archive.write(path, path.name)
    partial.replace(job.zip_path)


def wait(territory: Territory, timeout: float | None = None) -> None:
    """Until this process's job on the territory ends (tests, the command line)."""
    thread = _threads.get(territory)
    if thread is not None:
        thread.join(timeout)


def choices(reader: Reader) -> list[tuple[Territory, str]]:
    """The territories the reader may start a batch on: départements, EPCI and groupings
    wholly in their scope (an administrator: every département and grouping; an EPCI
    by its code in the form)."""
    ref = figures.referential()
    groupings = [Territory(Level.GRP, slug) for slug in sorted(ref.groupings)]
    found: dict[Territory, None] = {}
    if reader.role == "admin":
        found.update(
            (t, None) for t in sorted(ref.names, key=lambda t: t.code) if t.level is Level.DEP
        )
    else:
        for t in reader.scope:
            if t.level in LEVELS:
                found.setdefault(t, None)
            if t.level in (Level.REG, Level.DEP, Level.GRP):
                found.update((c, None) for c in ref.children(t, Level.DEP) if t.level is Level.REG)
                found.update((c, None) for c in ref.children(t, Level.EPCI))
    found.update((g, None) for g in groupings)
    return [(t, ref.name(t)) for t in found if reader.in_scope(t)]
