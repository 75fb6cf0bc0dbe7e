"""`make bench` (maps part): the value payload of a map and the first render of the France
commune map, on the portal served as in production (bench.portal's gunicorn).

In one run, interleaved so that they share the same conditions:
  - valeurs: `/api/v1/map/values?indicator=taux_vacance&level=COM&within=DEP:62` (the 887
    communes of the Pas-de-Calais, values only: the geometry is the static tiles file);
  - statique: the first 16 KB of the tiles file (an HTTP Range request, as the browser's
    first read) served by the same gunicorn (whitenoise): the floor of this server.
Then the explorer's France commune map is opened in Debian's Chromium (Playwright), empty
cache, and timed from navigation to the map's data-state="ready" (MapLibre idle: every
visible tile loaded and drawn). Before that, each gunicorn worker has served the France
commune page of another indicator (WARM), as a running portal has: the names and their
collation keys of the 34,875 communes are read once per process (~0.5 s), and this is a
browser's first render, not a server's start-up; the values of the map measured are not
computed before (its payload is cached per cube after its first request).
Results go to bench/out/maps.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.portal import ROOT, build_demo, start_server, summary

VALUES = "/api/v1/map/values?indicator=taux_vacance&level=COM&within=DEP:62"
TILES = "/static/portal/tiles/france.pmtiles"
FRANCE = "/explorer/?indicator=taux_vacance&level=COM&within=FR"
WARM = "/explorer/?indicator=population_municipale&level=COM&within=FR"
TARGETS = {"valeurs_p95_ms": 50.0, "valeurs_octets": 60_000, "rendu_france_s": 3.0}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
        response = conn.getresponse()
        size = len(response.read())
        return response.status, size, time.perf_counter() - started
    finally:
        conn.close()


def measure(port: int, n: int) -> dict[str, Any]:
    kinds = {
        "valeurs": (VALUES, {}),
        "statique": (TILES, {"Range": "bytes=0-16383"}),
    }
    for path, headers in kinds.values():  # warm-up: each worker opens the cube once
        for _ in range(4):
            _get(port, path, headers)
    recorded: dict[str, tuple[list[float], list[int], list[int]]] = {k: ([], [], []) for k in kinds}
    for _ in range(n):
        for kind, (path, headers) in kinds.items():
            code, size, seconds = _get(port, path, headers)
            recorded[kind][0].append(seconds)
            recorded[kind][1].append(size)
            recorded[kind][2].append(code)
    return {k: summary(*v) for k, v in recorded.items()}


def first_render(port: int) -> float:
    """Seconds from navigation to the France commune map drawn (empty cache)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": 1280, "height": 900},
                extra_http_headers={"X-Forwarded-Proto": "https"},
            )
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}{FRANCE}")
            page.wait_for_selector("#carte[data-state='ready']", timeout=60_000)
            return time.perf_counter() - started
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.maps", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requêtes par mesure")
    parser.add_argument("--data-dir", type=Path, help="dossier de données déjà construit")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-maps-"))
    process = None
    try:
        data_dir = args.data_dir.resolve() if args.data_dir else work / "data"
        if not args.data_dir:
            build_demo(data_dir)
        process, port = start_server(data_dir, work / "gunicorn.log")
        mesures = measure(port, args.requests)
        for _ in range(4):  # both sync workers, whichever takes each request
            _get(port, WARM, {})
        renders = [round(first_render(port), 2) for _ in range(3)]
        values = mesures["valeurs"]
        res: dict[str, Any] = {
            "mesures": mesures,
            "rendu_france_s": renders,
            "cibles": {
                "valeurs_p95_ms": values["p95_ms"] < TARGETS["valeurs_p95_ms"],
                "valeurs_octets": values["octets_moyens"] < TARGETS["valeurs_octets"],
                "rendu_france_s": max(renders) < TARGETS["rendu_france_s"],
            },
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        out_dir = ROOT / "bench" / "out"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "maps.json").write_text(json.dumps(res, indent=2, ensure_ascii=False))
        static = mesures["statique"]
        print("Cartes — gunicorn, réglages de production")
        print(
            f"valeurs DEP:62 : p50 {values['p50_ms']} ms, p95 {values['p95_ms']} ms, "
            f"{values['octets_moyens']} octets (cibles : p95 < 50 ms, < 60 000 octets)"
        )
        print(
            f"fichier statique (16 Ko des tuiles) : p50 {static['p50_ms']} ms, p95 {static['p95_ms']} ms"
        )
        print(f"carte des communes de France, premier rendu : {renders} s (cible < 3 s)")
        for name, ok in res["cibles"].items():
            print(f"Cible {name} : {'atteinte' if ok else 'NON atteinte'}")
        return 0 if all(res["cibles"].values()) else 1
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
