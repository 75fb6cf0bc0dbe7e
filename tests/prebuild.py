"""The test demo built ahead of pytest: `make test` starts this in the background as soon as
its PostgreSQL cluster is up, and builds the vector tiles meanwhile; pytest's first worker
that needs the demo then waits on the same lock (tests/conftest.py) instead of building it,
and the other runs the tests without the demo. The embedded demo (~95 s) and its
PostgreSQL template (~60 s) are the suite's two longest steps; overlapping them with the
tiles and the tests that do not need them saves that much of the wall clock.

A failure here is not the suite's: pytest builds again and reports it."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import _embedded_demo, _postgresql_demo, _Run

from observatoire.settings import Settings


def main() -> int:
    embedded = _embedded_demo()
    base_url = Settings.from_env(".").database_url
    if base_url:
        # No worker database of its own: only the template is filled.
        _postgresql_demo(_Run(base_url, Path("."), ""), embedded, clone=False)
    print(f"Démo de test prête : {embedded.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
