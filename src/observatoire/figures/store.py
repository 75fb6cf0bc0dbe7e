"""The cube and the referential of the active data dir, one read-only cube per thread,
reopened when the cube file is swapped (`observatoire build` renames a new file into
place) or the groupings change."""

from __future__ import annotations

import threading
from pathlib import Path

from observatoire.indicators.cube import referential_for
from observatoire.indicators.query import Cube, QueryError
from observatoire.settings import active
from observatoire.territories.referential import Referential

_local = threading.local()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def referential() -> Referential:
    settings = active()
    stamp = _stamp(settings.groupings_path)
    cached = getattr(_local, "ref", None)
    if cached is None or cached[0] != stamp:
        _local.ref = (stamp, referential_for(settings))
    ref: Referential = _local.ref[1]
    return ref


def cube() -> Cube:
    """The current cube; QueryError (French) when none has been built."""
    settings = active()
    stamp = _stamp(settings.cube_path)
    cached = getattr(_local, "cube", None)
    if cached is not None and cached[0] == stamp and cached[1].ref is referential():
        current: Cube = cached[1]
        return current
    if cached is not None:
        cached[1].close()
    if stamp is None:
        raise QueryError("Aucun cube d'indicateurs : lancez « observatoire build ».")
    opened = Cube(settings, referential())
    _local.cube = (stamp, opened)
    return opened
