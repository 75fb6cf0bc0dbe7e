"""`make bench` (releases): the open data release of France (`observatoire publications
release FR`) on the demo cube, in its own process: wall time against 4 minutes and peak
memory against 2 GB (issue #15 §5: the rows stream to the files), rows and file sizes.
`--data-dir` to reuse a built demo. Figures go to bench/out/releases.json."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.portal import _bin, build_demo

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 240
LIMIT_MEMORY_BYTES = 2 * 1024**3


def _release(data_dir: Path, out: Path, scope: str) -> tuple[float, int]:
    """(seconds, peak resident bytes of the release's process)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [_bin("observatoire"), "--data-dir", str(data_dir), "publications", "release",
         scope, "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"Publication {scope} en échec.")
    return time.perf_counter() - started, usage.ru_maxrss * 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, help="a demo data dir already built")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-releases-") as tmp:
        data = args.data_dir or Path(tmp) / "data"
        if args.data_dir is None:
            build_demo(data)
        out = Path(tmp) / "out"
        seconds, peak = _release(data, out, "FR")
        (folder,) = out.iterdir()
        sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
        with (folder / "donnees.csv").open("rb") as f:
            rows = sum(1 for _ in f) - 1
    result = {
        "scope": "FR",
        "seconds": round(seconds, 1),
        "rows": rows,
        "bytes": sizes,
        "peak_memory_bytes": peak,
        "ok": seconds < LIMIT_SECONDS and peak < LIMIT_MEMORY_BYTES,
    }
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / "releases.json").write_text(json.dumps(result, indent=2))
    print(f"Données ouvertes, France : {rows} lignes en {seconds:.0f} s (cible < 4 min), "
          f"mémoire maximale {peak / 1024**2:.0f} Mo (cible < 2 Go) : "
          f"{'OK' if result['ok'] else 'CIBLE MANQUÉE'}.")  # fmt: skip
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
