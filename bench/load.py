"""`make bench` (load part): 20 concurrent clients against gunicorn in production settings.

The portal is served as `bench.portal` serves it (demo cube, production settings,
gunicorn with 2 sync workers, requests as nginx forwards them). Twenty threads send
requests for a bounded time, each picking in turn a portrait (the CA de Lens - Liévin and
its communes), the map of the Pas-de-Calais communes and its XLSX export. Every answer
that is not a 200 is an error. Worker memory (RSS read in /proc) is sampled every second:
the growth is the last sample minus the first after warm-up. Results go to
bench/out/load.json. Targets: no error, p95 < 500 ms, no memory growth (< 20 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.portal import MAP, ROOT, _get, build_demo, percentile, portrait_paths, start_server

CLIENTS = 20
TARGET_P95_MS = 500.0
TARGET_GROWTH_MB = 20.0
WARM_UP_S = 10.0


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run(port: int, master: int, paths: list[str], seconds: float) -> dict[str, Any]:
    lock = threading.Lock()
    results: list[tuple[str, int, float]] = []
    samples: list[tuple[float, dict[int, float]]] = []
    stop = time.monotonic() + seconds
    started = time.monotonic()

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            try:
                status, _, took = _get(port, path)
            except OSError:
                status, took = 0, 0.0
            kind = "export" if "format=" in path else "carte" if "map" in path else "portrait"
            with lock:
                results.append((kind, status, took))
            i += 7

    def sampler() -> None:
        while time.monotonic() < stop:
            workers = _children(master)
            samples.append((time.monotonic() - started, {w: _rss_mb(w) for w in workers}))
            time.sleep(1)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=sampler))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ms = [took * 1000 for _, status, took in results if status == 200]
    errors = sum(1 for _, status, _ in results if status != 200)
    kinds = {k for k, _, _ in results}
    by_kind = {
        k: round(percentile([t * 1000 for kk, s, t in results if kk == k and s == 200], 95), 1)
        for k in sorted(kinds)
        if any(kk == k and s == 200 for kk, s, _ in results)
    }
    totals = [round(sum(rss.values()), 1) for _, rss in samples]
    # Workers fill their per-process caches (cube connection, parsed shapes) in the first
    # seconds: the growth is measured from the first sample after WARM_UP_S.
    settled = [total for (t, _), total in zip(samples, totals, strict=True) if t >= WARM_UP_S]
    return {
        "clients": CLIENTS,
        "duree_s": seconds,
        "requetes": len(results),
        "debit_par_s": round(len(results) / seconds, 1),
        "erreurs": errors,
        "taux_erreur": round(errors / max(1, len(results)), 4),
        "p50_ms": round(percentile(ms, 50), 1) if ms else None,
        "p95_ms": round(percentile(ms, 95), 1) if ms else None,
        "p95_par_type_ms": by_kind,
        "rss_workers_mo": [
            (round(t), total) for (t, _), total in zip(samples, totals, strict=True)
        ],
        "croissance_rss_mo": round(settled[-1] - settled[0], 1) if len(settled) > 1 else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="durée de la charge")
    parser.add_argument("--data-dir", type=Path, help="dossier de données déjà construit")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    process = None
    try:
        data_dir = args.data_dir.resolve() if args.data_dir else work / "data"
        if not args.data_dir:
            build_demo(data_dir)
        process, port = start_server(data_dir, work / "gunicorn.log")
        portraits = portrait_paths(data_dir)
        paths = [*portraits[:6], MAP, MAP + "&format=xlsx"]
        for path in paths * 2:  # warm-up: each worker opens the cube once
            _get(port, path)
        res = run(port, process.pid, paths, args.seconds)
        res["machine"] = {"cpu_count": os.cpu_count()}
        growth = res["croissance_rss_mo"]
        res["ok"] = (
            res["erreurs"] == 0
            and res["p95_ms"] is not None
            and res["p95_ms"] < TARGET_P95_MS
            and (growth is None or growth < TARGET_GROWTH_MB)
        )
        out_dir = ROOT / "bench" / "out"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "load.json").write_text(json.dumps(res, indent=2, ensure_ascii=False))
        print(
            f"Charge — {CLIENTS} clients, {args.seconds:.0f} s : {res['requetes']} requêtes, "
            f"{res['erreurs']} erreurs, p50 {res['p50_ms']} ms, p95 {res['p95_ms']} ms "
            f"{res['p95_par_type_ms']}, mémoire des workers {res['rss_workers_mo'][0][1]} -> "
            f"{res['rss_workers_mo'][-1][1]} Mo"
        )
        verdict = "atteinte" if res["ok"] else "NON atteinte"
        print(f"Cible 0 erreur, p95 < {TARGET_P95_MS:.0f} ms, mémoire stable : {verdict}")
        print(f"Résultats : {out_dir / 'load.json'}")
        return 0 if res["ok"] else 1
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
