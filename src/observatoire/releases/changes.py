"""The releases found in a folder (one sub-folder per release, named by `writer`) and what
changed between two of them: values that changed, values that appeared, new millésimes."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from observatoire.releases.writer import CSV_NAME, SCHEMA_NAME

Key = tuple[str, str, str, str]  # indicateur, niveau, code, annee


@dataclass(frozen=True)
class Listed:
    name: str
    title: str
    built_at: str
    rows: int


@dataclass(frozen=True)
class Change:
    indicator: str
    level: str
    code: str
    name: str
    year: str
    before: str
    after: str
    unit: str


@dataclass(frozen=True)
class Changes:
    changed: list[Change]
    added: list[Change]
    new_millesimes: list[tuple[str, str, str]]  # indicateur, source, millésime


def listed(folder: Path) -> list[Listed]:
    """The releases of `folder`, newest build first (a folder without a readable
    datapackage.json is not a release)."""
    out = []
    for path in sorted(folder.glob("*/" + SCHEMA_NAME)) if folder.is_dir() else []:
        try:
            package = json.loads(path.read_text(encoding="utf-8"))
            rows = sum(1 for _ in (path.parent / CSV_NAME).open(encoding="utf-8")) - 1
        except (OSError, ValueError):
            continue
        out.append(
            Listed(path.parent.name, package.get("title", ""), package.get("created", ""), rows)
        )
    return sorted(out, key=lambda r: (r.built_at, r.name), reverse=True)


def find(folder: Path, name: str) -> Path | None:
    """The release folder called `name`, if `folder` lists it (never a path outside)."""
    names = {r.name for r in listed(folder)}
    return folder / name if name in names else None


def _rows(release: Path) -> dict[Key, dict[str, str]]:
    with (release / CSV_NAME).open(encoding="utf-8", newline="") as f:
        return {(r["indicateur"], r["niveau"], r["code"], r["annee"]): r for r in csv.DictReader(f)}


def _change(r: dict[str, str], before: str) -> Change:
    return Change(
        indicator=r["indicateur"],
        level=r["niveau"],
        code=r["code"],
        name=r["nom"],
        year=r["annee"],
        before=before,
        after=r["valeur"],
        unit=r["unite"],
    )


def between(old: Path, new: Path) -> Changes:
    """From release `old` to release `new`: values that differ, values that appear (a
    new year or territory), and the (indicator, source, millésime) pairs `old` did not
    have."""
    before, after = _rows(old), _rows(new)
    changed, added = [], []
    for key, r in after.items():
        was = before.get(key)
        if was is None:
            if r["valeur"]:
                added.append(_change(r, ""))
        elif was["valeur"] != r["valeur"]:
            changed.append(_change(r, was["valeur"]))
    known = {(r["indicateur"], r["source"], r["millesime"]) for r in before.values()}
    fresh = sorted(
        {(r["indicateur"], r["source"], r["millesime"]) for r in after.values() if r["millesime"]}
        - known
    )
    return Changes(changed=changed, added=added, new_millesimes=fresh)
