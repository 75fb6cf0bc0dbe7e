"""Fiches in batch: one PDF per commune of each territory given (and one for the
territory itself), named "<code>-<slug>.pdf". Resumable: a finished fiche is written
under a temporary name then renamed, so a file with the final name is complete and is
skipped on a rerun. A failing fiche is recorded and the others go on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from observatoire import figures
from observatoire.figures import PUBLIC, Reader
from observatoire.publications.fiche import fiche
from observatoire.publications.render import fiche_pdf
from observatoire.territories import Level, Territory


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    failed: list[tuple[Territory, str]] = field(default_factory=list)


def targets(territories: Iterable[Territory]) -> list[Territory]:
    """Each territory given, then its communes, without duplicates, in order."""
    seen: dict[Territory, None] = {}
    for t in territories:
        seen.setdefault(t, None)
        if t.level is not Level.COM:
            for code in figures.communes_of(t):
                seen.setdefault(Territory(Level.COM, code), None)
    return list(seen)


def filename(territory: Territory) -> str:
    return f"{territory.code}-{slugify(figures.territory_name(territory))}.pdf"


def write_fiche(territory: Territory, out: Path, reader: Reader = PUBLIC) -> Path:
    path = out / filename(territory)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(fiche_pdf(fiche(territory, reader)))
    partial.replace(path)
    return path


def run(
    territories: list[Territory],
    out: Path,
    reader: Reader = PUBLIC,
    step: Callable[[Territory], None] = lambda t: None,
) -> Outcome:
    out.mkdir(parents=True, exist_ok=True)
    outcome = Outcome()
    for t in territories:
        path = out / filename(t)
        try:
            if path.exists():
                outcome.skipped.append(path)
            else:
                outcome.written.append(write_fiche(t, out, reader))
        except Exception as exc:  # one failing fiche must not stop the batch
            outcome.failed.append((t, f"{type(exc).__name__} : {exc}"))
        step(t)
    return outcome
