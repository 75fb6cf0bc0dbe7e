"""`make bench` (fiches): N fiches territoire of Pas-de-Calais communes in one batch, and
one fiche alone, each in its own process on the demo data; the per-fiche cost is
extrapolated to the 887 communes of the département on 2 cores (two batches of half the
communes side by side) and checked against < 10 min and < 2 GB peak memory.
`--fiches 20` by default, `--data-dir` to reuse a built demo. Figures go to bench/out/fiches.json."""

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
COMMUNES_62 = 887
LIMIT_SECONDS = 600
LIMIT_BYTES = 2 * 1024**3


def _batch(data_dir: Path, out: Path, codes: list[str]) -> tuple[float, int]:
    """(seconds, peak resident bytes of this batch's process alone)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [_bin("observatoire"), "--data-dir", str(data_dir), "publications", "fiches",
         *codes, "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"Lot de fiches en échec (code {child.returncode}).")
    return time.perf_counter() - started, usage.ru_maxrss * 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fiches", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, help="a demo data dir already built")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fiches-") as tmp:
        data = args.data_dir or Path(tmp) / "data"
        if args.data_dir is None:
            build_demo(data)
        from observatoire.indicators.cube import referential_for
        from observatoire.settings import Settings
        from observatoire.territories import Territory

        ref = referential_for(Settings(data_dir=data))
        codes = sorted(ref.communes_of(Territory.parse("DEP:62")))[: args.fiches + 1]
        alone, peak_alone = _batch(data, Path(tmp) / "alone", [f"COM:{codes[0]}"])
        many, peak_many = _batch(data, Path(tmp) / "batch", [f"COM:{c}" for c in codes[1:]])
        peak = max(peak_alone, peak_many)
    per_fiche = (many - alone) / max(args.fiches - 1, 1)
    start_up = max(alone - per_fiche, 0.0)
    projected = start_up + per_fiche * COMMUNES_62 / 2
    result = {
        "fiches": args.fiches,
        "one_fiche_alone_s": round(alone, 2),
        "batch_s": round(many, 2),
        "per_fiche_s": round(per_fiche, 2),
        "projected_887_on_2_cores_s": round(projected, 1),
        "peak_memory_bytes": peak,
        "ok": projected < LIMIT_SECONDS and peak < LIMIT_BYTES,
    }
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / "fiches.json").write_text(json.dumps(result, indent=2))
    print(f"Fiches territoire : une seule {alone:.1f} s, {args.fiches} en lot {many:.1f} s, "
          f"{per_fiche:.2f} s par fiche ; 887 communes sur 2 cœurs : {projected / 60:.1f} min "
          f"(cible < 10 min) ; mémoire maximale {peak / 1024**2:.0f} Mo (cible < 2 Go) : "
          f"{'OK' if result['ok'] else 'CIBLE MANQUÉE'}.")  # fmt: skip
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
