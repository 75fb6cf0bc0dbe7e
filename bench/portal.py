"""`make bench` (portal part): latency of the portal served as in production.

The demo cube is built in a fresh data dir (or `--data-dir` reuses one), then served the
way docs/deploiement.md describes it: production settings, `migrate`, `collectstatic`,
gunicorn with 2 sync workers (one per core here), requests sent as nginx forwards them
(X-Forwarded-Proto: https). One client, one request at a time, a new connection each
time (gunicorn's sync workers do not keep connections alive): this is latency, not
throughput. Three kinds of request, interleaved so that they share the same conditions:
  - portrait: the portrait page of the CA de Lens - Liévin and of its 36 communes in turn;
  - map: `/api/v1/map?indicator=taux_vacance&level=COM&within=DEP:62` (890 communes, GeoJSON
    with classes), when the endpoint exists;
  - static: a DSFR stylesheet served by the same gunicorn (whitenoise), the floor of what
    this server can answer.
Each worker first opens the cube (a cold request, reported apart), so warm-up requests are
sent and left out. Percentiles are nearest-rank. Results go to bench/out/portal.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LENS = "EPCI:246200364"
MAP = "/api/v1/map?indicator=taux_vacance&level=COM&within=DEP:62"
STATIC = "/static/dsfr/dist/dsfr/dsfr.min.css"
TARGETS_MS = {"portrait": 200.0, "carte": 500.0}  # p95
# Issue #12: the whole demo (every source, every millésime) imported and built on 2 cores.
BUILD_TARGET_S = 120.0
WORKERS = 2


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(port: int, path: str) -> tuple[int, int, float]:
    """(status, body bytes, seconds) for one request, connection included."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        size = len(response.read())
        return response.status, size, time.perf_counter() - started
    finally:
        conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(times: list[float], sizes: list[int], statuses: list[int]) -> dict[str, Any]:
    ms = [t * 1000 for t in times]
    return {
        "requetes": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "moyenne_ms": round(sum(ms) / len(ms), 1),
        "max_ms": round(max(ms), 1),
        "octets_moyens": round(sum(sizes) / len(sizes)),
        "codes_http": sorted(set(statuses)),
    }


def build_demo(data_dir: Path) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of `observatoire demo --no-serve`."""
    started = time.perf_counter()
    subprocess.run(
        [_bin("observatoire"), "--data-dir", str(data_dir), "demo", "--no-serve"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # ru_maxrss of the children is in KB on Linux: the largest child, the demo process.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return time.perf_counter() - started, peak


def portrait_paths(data_dir: Path) -> list[str]:
    from observatoire.indicators.cube import referential_for
    from observatoire.settings import Settings
    from observatoire.territories import Territory

    lens = Territory.parse(LENS)
    communes = referential_for(Settings(data_dir=data_dir)).communes_of(lens)
    return [f"/territoires/{LENS}/", *(f"/territoires/COM:{code}/" for code in sorted(communes))]


def start_server(data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_")}
    env |= {
        "OBSERVATOIRE_DATA_DIR": str(data_dir),
        "OBSERVATOIRE_PRODUCTION": "1",
        "OBSERVATOIRE_SECRET_KEY": secrets.token_urlsafe(50),
        "OBSERVATOIRE_ALLOWED_HOSTS": "127.0.0.1",
    }
    for args in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [_bin("observatoire"), "manage", *args], env=env, check=True, capture_output=True
        )
    port = _free_port()
    command = [_bin("gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
    command += ["--no-control-socket", "observatoire.web.wsgi:application"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn ne démarre pas :\n{log.read_text()}")
        try:
            _get(port, STATIC)
            return process, port
        except OSError:
            time.sleep(0.2)


def measure(port: int, portraits: list[str], n: int) -> dict[str, Any]:
    kinds: dict[str, list[str]] = {"portrait": portraits, "statique": [STATIC]}
    status = _get(port, MAP)[0]
    if status == 200:
        kinds["carte"] = [MAP]
    # Warm-up: every worker opens the cube and the referential once (the cold cost).
    cold: dict[str, float] = {}
    for kind, paths in kinds.items():
        seconds = [_get(port, paths[i % len(paths)])[2] for i in range(4 * WORKERS)]
        cold[kind] = round(max(seconds) * 1000, 1)
    recorded: dict[str, tuple[list[float], list[int], list[int]]] = {k: ([], [], []) for k in kinds}
    for i in range(n):
        for kind, paths in kinds.items():
            code, size, seconds = _get(port, paths[i % len(paths)])
            recorded[kind][0].append(seconds)
            recorded[kind][1].append(size)
            recorded[kind][2].append(code)
    out: dict[str, Any] = {k: summary(*v) | {"froid_max_ms": cold[k]} for k, v in recorded.items()}
    if "carte" not in out:
        out["carte"] = {"statut": f"indisponible (HTTP {status} sur {MAP})"}
    return out


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for kind, limit in TARGETS_MS.items():
        part = res["mesures"].get(kind, {})
        p95 = part.get("p95_ms")
        ok = p95 is not None and p95 < limit and part.get("codes_http") == [200]
        rows.append({"mesure": kind, "cible": f"p95 < {limit:.0f} ms", "p95_ms": p95, "ok": ok})
    return rows


def render(res: dict[str, Any]) -> str:
    cube = res["cube"]
    lines = [
        f"Démo (toutes sources, tous millésimes) : import + construction "
        f"{cube['construction_s']} s, mémoire max {cube['construction_memoire_max_mo']} Mo, "
        f"cube {cube['octets'] / 1e6:.0f} Mo",
        f"Portail — latence ({res['serveur']}), {res['cube']['description']}",
        f"{'':10} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} {'froid':>8} {'octets':>9}",
    ]
    for kind, part in res["mesures"].items():
        if "p50_ms" not in part:
            lines.append(f"{kind:10} {part['statut']}")
            continue
        cells = [part[k] for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "froid_max_ms")]
        lines.append(
            f"{kind:10} " + " ".join(f"{c:>6.1f}ms" for c in cells) + f" {part['octets_moyens']:>9}"
        )
    for t in res["cibles"]:
        if "p95_ms" not in t:
            verdict = "atteinte" if t["ok"] else "NON atteinte"
            lines.append(f"Cible {t['mesure']} {t['cible']} : {verdict} ({t['valeur']})")
            continue
        verdict = "atteinte" if t["ok"] else "NON atteinte"
        lines.append(f"Cible {t['mesure']} {t['cible']} : {verdict} (p95 = {t['p95_ms']} ms)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.portal", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requêtes par mesure")
    parser.add_argument("--data-dir", type=Path, help="dossier de données déjà construit")
    parser.add_argument("--keep", action="store_true", help="garder le dossier de travail")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    process = None
    try:
        data_dir = args.data_dir.resolve() if args.data_dir else work / "data"
        built, peak = (None, None) if args.data_dir else build_demo(data_dir)
        process, port = start_server(data_dir, work / "gunicorn.log")
        cube_path = data_dir / "cube.duckdb"
        res: dict[str, Any] = {
            "serveur": f"gunicorn {WORKERS} workers sync, réglages de production, SQLite",
            "cube": {
                "description": "cube de démonstration (pas un cube national complet)",
                "detail": (
                    "recensement 2021, Filosofi, LOVAC, RPLS 2024, DVF communes et "
                    "Cartofriches couvrent toute la France dans les extraits ; RPLS 2019 "
                    "communal : 5 départements ; Sitadel absent"
                ),
                "octets": cube_path.stat().st_size,
                "construction_s": None if built is None else round(built, 1),
                "construction_memoire_max_mo": None if peak is None else round(peak),
            },
            "client": "séquentiel, une connexion par requête, X-Forwarded-Proto: https",
            "mesures": measure(port, portrait_paths(data_dir), args.requests),
            "machine": {
                "cpu_count": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        res["cibles"] = targets(res)
        if built is not None:
            res["cibles"].append({
                "mesure": "démo", "cible": f"< {BUILD_TARGET_S:.0f} s",
                "valeur": f"{built:.0f} s", "ok": built < BUILD_TARGET_S,
            })  # fmt: skip
        out_dir = ROOT / "bench" / "out"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "portal.json").write_text(json.dumps(res, indent=2, ensure_ascii=False))
        print(render(res))
        print(f"Résultats : {out_dir / 'portal.json'}")
        return 0 if all(t["ok"] for t in res["cibles"]) else 1
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        if args.keep:
            print(f"Dossier de travail gardé : {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
