"""`observatoire sources declare`: check a declaration (the source and its indicators, every
problem with its key) and register it in the data dir, where the catalog and the import
find it (observatoire.sources.declared describes the file)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from observatoire import sources
from observatoire.indicators.catalog import Indicator, declared_indicators
from observatoire.problems import Problem
from observatoire.settings import Settings
from observatoire.sources.declared import Declaration, folder, inspect, registered
from observatoire.sources.schema import SourceError


def check(settings: Settings, text: str, file: str) -> tuple[Declaration, dict[str, Indicator]]:
    """The declaration and its indicators; SourceError with every problem otherwise."""
    decl, problems = inspect(text, file)

    def problem(key: str, message: str, value: str) -> Problem:
        return Problem(file, message, column=key, value=value, kind="déclaration")

    if decl.name in sources.national():
        problems.append(
            problem("source.name", "nom déjà pris par une source nationale.", decl.name)
        )
    try:
        indicators = declared_indicators(decl)
    except SourceError as exc:
        problems += [
            Problem(file, p.message, column=p.column, value=p.value, kind="déclaration")
            for p in exc.problems
        ]
        indicators = {}
    # Another declared source's indicator: the codes of this one (re-declared) are free.
    others = {
        code
        for name, other in registered(settings).items()
        if name != decl.name
        for code in declared_indicators(other)
    }
    problems += [
        problem("indicator.code", "code déjà pris par une autre source déclarée.", code)
        for code in indicators
        if code in others
    ]
    if problems:
        raise SourceError(problems)
    return decl, indicators


def declare(settings: Settings, path: Path) -> tuple[Declaration, dict[str, Indicator], bool]:
    """Check `path` and register it (written beside, then renamed: a reader never sees half
    a declaration). Returns the declaration, its indicators, and whether it replaced one."""
    if not path.is_file():
        raise SourceError([Problem(path.name, f"fichier introuvable : {path}.")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError([Problem(path.name, "encodage invalide : UTF-8 attendu.")]) from None
    return register(settings, text, path.name)


def register(
    settings: Settings, text: str, file: str
) -> tuple[Declaration, dict[str, Indicator], bool]:
    """Check a declaration's text (`file` names it in the problems) and register it: what
    `declare` does with a file, and the declaration form with the TOML it writes."""
    decl, indicators = check(settings, text, file)
    where = folder(settings)
    where.mkdir(parents=True, exist_ok=True)
    final = where / f"{decl.name}.toml"
    replaced = final.exists()
    fd, tmp = tempfile.mkstemp(dir=where, suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, final)
    return decl, indicators, replaced
