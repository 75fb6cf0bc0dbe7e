"""`make bench` (fiches): fiches territoire of Pas-de-Calais communes on the demo data.

1. In this process, after Django has started: one fiche alone (the first of the
   process: catalog, fonts, stylesheet and chart engine loaded on the way), then N more
   in the same batch (référents read once, fonts and stylesheet kept): the batch must not
   be slower per fiche than one fiche alone.
2. `observatoire publications fiches ... --jobs 2`, wall clock, on N/2 then on N other
   communes: the command's fixed costs (start-up, spawning and starting its two workers,
   their first fiche) are paid once per run, so the 887 communes of the département on 2
   cores are projected along that line: wall(N) + (wall(N) - wall(N/2)) / (N/2) ×
   (887 - N), against < 10 min. With `--all`, the 887 communes are written instead and
   the wall clock is the figure. Peak memory: the resident memory of the command and its
   processes together (parent, two workers), sampled, against < 2 GB.

`--fiches 40` by default, `--data-dir` to reuse a built demo. Figures go to
bench/out/fiches.json."""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.portal import _bin, build_demo

ROOT = Path(__file__).resolve().parent.parent
COMMUNES_62 = 887
JOBS = 2
LIMIT_SECONDS = 600
LIMIT_BYTES = 2 * 1024**3


def _command(data_dir: Path, out: Path, codes: list[str], jobs: int) -> tuple[float, int]:
    """(seconds, peak of the resident memory of the command and all its processes together,
    sampled every 0.2 s: the parent, its workers and multiprocessing's resource tracker)."""
    import psutil

    started = time.perf_counter()
    child = subprocess.Popen(
        [_bin("observatoire"), "--data-dir", str(data_dir), "publications", "fiches",
         *codes, "--out", str(out), "--jobs", str(jobs)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    root, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        total = 0
        with contextlib.suppress(psutil.Error):
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
        peak = max(peak, total)
        time.sleep(0.2)
    if child.returncode != 0:
        raise SystemExit(f"Lot de fiches en échec (code {child.returncode}).")
    return time.perf_counter() - started, peak


def _in_process(data_dir: Path, out: Path, codes: list[str]) -> tuple[float, float]:
    """(seconds of the first fiche of the process, mean seconds of the next ones)."""
    from observatoire.publications.batch import write_fiche
    from observatoire.publications.fiche import Referents
    from observatoire.settings import Settings
    from observatoire.startup import setup
    from observatoire.territories import Territory

    setup(Settings(data_dir=data_dir))
    out.mkdir(parents=True)
    memo = Referents()
    timings = []
    for code in codes:
        started = time.perf_counter()
        write_fiche(Territory.parse(f"COM:{code}"), out, memo=memo)
        timings.append(time.perf_counter() - started)
    return timings[0], sum(timings[1:]) / max(len(timings) - 1, 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fiches", type=int, default=40)
    parser.add_argument("--all", action="store_true", help="les 887 communes, pour de vrai")
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
        codes = sorted(ref.communes_of(Territory.parse("DEP:62")))
        n, half = args.fiches, args.fiches // 2
        alone, in_batch = _in_process(data, Path(tmp) / "in-process", codes[: half + 1])
        if args.all:
            projected, peak = _command(data, Path(tmp) / "all", ["DEP:62"], JOBS)
            walls = {"887+1": round(projected, 1)}
        else:
            rest = [f"COM:{c}" for c in codes[half + 1 :]]
            wall_half, _ = _command(data, Path(tmp) / "half", rest[:half], JOBS)
            wall, peak = _command(data, Path(tmp) / "batch", rest[half : half + n], JOBS)
            projected = wall + (wall - wall_half) / (n - half) * (COMMUNES_62 - n)
            walls = {str(half): round(wall_half, 2), str(n): round(wall, 2)}
    peak_total = peak
    result = {
        "fiches": n,
        "jobs": JOBS,
        "one_fiche_alone_s": round(alone, 2),
        "per_fiche_in_batch_s": round(in_batch, 2),
        "batch_wall_s": walls,
        "measured_all": args.all,
        "projected_887_on_2_cores_s": round(projected, 1),
        "peak_memory_bytes": peak_total,
        "ok": projected < LIMIT_SECONDS and peak_total < LIMIT_BYTES and in_batch <= alone,
    }
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / "fiches.json").write_text(json.dumps(result, indent=2))
    print(f"Fiches territoire : une seule {alone:.2f} s, {in_batch:.2f} s par fiche dans un lot ; "
          f"lots sur {JOBS} processus : {walls} s ; 887 communes "
          f"{'(mesuré)' if args.all else '(projeté)'} : "
          f"{projected / 60:.1f} min (cible < 10 min) ; mémoire maximale "
          f"{peak_total / 1024**2:.0f} Mo (cible < 2 Go) : "
          f"{'OK' if result['ok'] else 'CIBLE MANQUÉE'}.")  # fmt: skip
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
