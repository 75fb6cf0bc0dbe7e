"""`make bench` (secret statistique): the cost of the complementary suppression on the
real national DVF commune aggregates 2020-2024 shipped with the demo.

Imports the five files into a fresh data dir, builds the cube (timed), replays the
attack with `check_secrecy` (timed), then counts, for the mean price per m², the values
masked by the threshold alone and those masked to protect them, by level and year.
Figures go to bench/out/secrecy.json and a French table is printed. Target: no exposed
cell (the audit finds nothing); the build stays under a minute on 2 cores.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from observatoire.indicators.cube import build, check_secrecy
from observatoire.settings import Settings
from observatoire.warehouse.imports import import_file

ROOT = Path(__file__).resolve().parent.parent
DEMO_DVF = ROOT / "src/observatoire/data/demo/dvf_communes"
OUT = ROOT / "bench/out"
BUILD_TARGET_S = 60.0
NOTES = {
    "secret statistique (seuil)": "seuil",
    "secret statistique (secret secondaire)": "secondaire",
}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(tmp)
        for path in sorted(DEMO_DVF.glob("dvf*.csv.gz")):
            import_file(settings, "dvf_communes", path)
        start = time.perf_counter()
        build(settings)
        build_s = time.perf_counter() - start
        start = time.perf_counter()
        years = check_secrecy(settings)
        audit_s = time.perf_counter() - start
        con = duckdb.connect(str(settings.cube_path), read_only=True)
        counts = con.execute(
            """
            SELECT level, year, count(*) FILTER (WHERE status IN ('ok', 'estimated')) AS shown,
                   count(*) FILTER (WHERE note = 'secret statistique (seuil)') AS seuil,
                   count(*) FILTER (WHERE note LIKE 'secret statistique (secret secondaire)'
                                    OR note LIKE '%permettrait de retrouver%') AS secondaire
            FROM cube WHERE indicator = 'dvf_prix_m2_moyen'
            GROUP BY ALL ORDER BY year, level
            """
        ).fetchall()
        con.close()
    exposed = sum(len(y.findings) for y in years)
    rows = [
        {
            "level": level,
            "year": year,
            "published_or_masked": shown + seuil + secondaire,
            "masked_threshold_pct": round(100 * seuil / max(1, shown + seuil + secondaire), 2),
            "masked_after_pct": round(
                100 * (seuil + secondaire) / max(1, shown + seuil + secondaire), 2
            ),
            "complementary": secondaire,
        }
        for level, year, shown, seuil, secondaire in counts
    ]
    result = {
        "build_seconds": round(build_s, 1),
        "audit_seconds": round(audit_s, 1),
        "exposed_cells": exposed,
        "by_level": rows,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "secrecy.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print("Secret statistique — prix moyen au m² DVF, France entière 2020-2024")
    print(f"  construction du cube : {build_s:.1f} s ; audit (attaque rejouée) : {audit_s:.1f} s")
    print(f"  cellules masquées retrouvables : {exposed}")
    print("  niveau année  valeurs  masquées (seuil)  masquées (après secret secondaire)")
    for r in rows:
        print(
            f"  {r['level']:<6} {r['year']}  {r['published_or_masked']:>7}  "
            f"{r['masked_threshold_pct']:>15.2f} %  {r['masked_after_pct']:>12.2f} %"
            f"  (+{r['complementary']})"
        )
    ok = exposed == 0 and build_s < BUILD_TARGET_S
    print("  objectif atteint" if ok else "  OBJECTIF MANQUÉ")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
