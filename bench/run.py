"""`make bench`: the DVF path at national scale, against a raw scan and against pandas.

One run: generate (or reuse) the national file, then, each in its own process so that
peak memory is its own (psutil polling + the child's own VmHWM):
  1. raw DuckDB scan of the file, every column materialised, reader options of dvf.py;
  2. the project: `import_file(settings, "dvf", path)` then `build(settings)` into a
     fresh data dir;
  3. pandas (bench.naive): the naive full read, then the careful 10-column read; each is
     killed if it goes over the memory limit (what RAM is free at start, at most 80 %).
Then the project's cube is compared with the pandas figures (same sales, same counts,
medians and means), targets are checked, figures go to bench/out/results.json and a
French table is printed. `--rows 200000` for a quick run; `--profile` to save a cProfile
of the project's import and build in bench/out/.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import platform
import pstats
import resource
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import duckdb
import psutil

from bench import generate

ROOT = Path(__file__).resolve().parent.parent
GB = 1024**3
DVF_INDICATORS = {"dvf_ventes_logements": "n", "dvf_prix_m2_median": "median",
                  "dvf_prix_m2_moyen": "mean"}  # fmt: skip
# Same options as observatoire.sources.dvf: every field read as text.
READ_CSV = (
    "read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\"', "
    "escape = '\"', encoding = 'utf-8')"
)


# --------------------------------------------------------------------------- children


def _scan(path: Path) -> dict[str, object]:
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split(",")
    cols = ", ".join(f'count("{c}")' for c in header)
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    row = con.execute(f"SELECT count(*), {cols} FROM {READ_CSV}", [str(path)]).fetchone() or [0]
    return {"seconds": round(time.perf_counter() - started, 2), "rows": int(row[0])}


def _project(path: Path, data_dir: Path, profile: Path | None) -> dict[str, object]:
    from observatoire.indicators.cube import build
    from observatoire.settings import Settings
    from observatoire.warehouse.imports import import_file

    settings = Settings(data_dir=data_dir)
    steps: list[tuple[str, float]] = []
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    started = time.perf_counter()
    imported = import_file(settings, "dvf", path)
    imported_at = time.perf_counter()
    summary = build(settings, progress=lambda code: steps.append((code, time.perf_counter())))
    done = time.perf_counter()
    if profiler and profile:
        profiler.disable()
        with profile.open("w") as fh:
            stats = pstats.Stats(profiler, stream=fh)
            stats.sort_stats("cumulative").print_stats(40)
    marks = [("(référentiel, entrepôt)", imported_at), *steps, ("", done)]
    per_step = {name: round(marks[i + 1][1] - t, 2) for i, (name, t) in enumerate(marks[:-1])}
    per_step[f"{marks[-2][0]} + écriture du cube"] = per_step.pop(marks[-2][0])
    return {
        "import_seconds": round(imported_at - started, 2),
        "build_seconds": round(done - imported_at, 2),
        "seconds": round(done - started, 2),
        "ventes": imported.rows,
        "notes": list(imported.notes),
        "cube_rows": summary.rows,
        "build_steps": per_step,
    }


def _peak_rss_mb() -> float:
    """This process's own peak RSS. VmHWM, not getrusage: ru_maxrss survives execve, so
    a child would inherit the (large) peak of the parent that generated the file."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _child(args: argparse.Namespace) -> None:
    path, out = Path(args.file), Path(args.result)
    try:
        if args.child == "scan":
            result = _scan(path)
        elif args.child == "project":
            result = _project(
                path, Path(args.data_dir), Path(args.profile_out) if args.profile_out else None
            )
        else:
            from bench import naive

            careful = args.child == "careful"
            result = naive.run(path, Path(args.naive_out), careful=careful)
        result["status"] = "ok"
    except Exception:
        result = {"status": "error", "error": traceback.format_exc()}
    result["hwm_rss_mb"] = _peak_rss_mb()
    out.write_text(json.dumps(result, ensure_ascii=False))


def _spawn(kind: str, path: Path, work: Path, mem_limit: float = 0, **extra: str | float) -> dict:
    """Run one measurement in a child process; poll its RSS (and kill it over mem_limit)."""
    result_path = work / f"{kind}.json"
    cmd = [sys.executable, "-m", "bench.run", "--child", kind, "--file", str(path),
           "--result", str(result_path)]  # fmt: skip
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    started = time.perf_counter()
    log = (work / f"{kind}.stderr").open("wb")  # DuckDB progress bars, tracebacks
    proc = psutil.Popen(cmd, cwd=ROOT, stderr=log)
    peak, killed = 0, False
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(True))
            peak = max(peak, rss)
            if mem_limit and rss > mem_limit:
                proc.kill()
                killed = True
        time.sleep(0.05)
    log.close()
    wall = time.perf_counter() - started
    if killed:
        return {"status": "memory", "wall_seconds": round(wall, 1),
                "peak_rss_mb": round(peak / 2**20)}  # fmt: skip
    if not result_path.exists():
        tail = (work / f"{kind}.stderr").read_text(errors="replace")[-2000:]
        return {"status": "error", "error": f"code de sortie {proc.returncode}\n{tail}"}
    result: dict = json.loads(result_path.read_text())
    result["peak_rss_mb"] = round(max(peak / 2**20, float(result.get("hwm_rss_mb", 0))))
    result["wall_seconds"] = round(wall, 1)
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    return result


# --------------------------------------------------------------------------- checks


def concordance(cube_path: Path, naive_path: Path) -> dict[str, object]:
    """Project cube vs pandas where the cube has a value (ok or estimated): territories
    compared and the largest relative gap, per indicator and level."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{cube_path}' AS c (READ_ONLY)")
    con.execute("CREATE TABLE naive AS SELECT * FROM read_parquet(?)", [str(naive_path)])
    out: dict[str, object] = {}
    for indicator, column in DVF_INDICATORS.items():
        rows = con.execute(
            f"""
            SELECT n.level, count(k.value) AS compared,
                   count(*) FILTER (WHERE k.value IS NULL) AS not_in_cube,
                   coalesce(max(abs(k.value - n.{column}) / greatest(abs(n.{column}), 1e-9)), 0)
            FROM naive n LEFT JOIN c.cube k
              ON k.indicator = ? AND k.level = n.level AND k.code = n.code
             AND k.year = n.year AND k.status IN ('ok', 'estimated')
            GROUP BY n.level ORDER BY n.level
            """,
            [indicator],
        ).fetchall()
        out[indicator] = {
            r[0]: {"compared": r[1], "not_ok_in_cube": r[2], "max_rel_gap": r[3]} for r in rows
        }
    return out


def machine() -> dict[str, object]:
    import pandas
    import polars

    info: list[str] = []
    with contextlib.suppress(OSError):
        info = Path("/proc/cpuinfo").read_text().splitlines()
    models = [li.split(":", 1)[1].strip() for li in info if li.startswith("model name")]
    return {
        "cpu_count": os.cpu_count(),
        "cpu": models[0] if models else "",
        "ram_gb": round(psutil.virtual_memory().total / GB, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "polars": polars.__version__,
        "pandas": pandas.__version__,
    }


def targets(res: dict) -> list[dict[str, object]]:
    scan, project, naive = res["scan_brut"], res["projet"], res["pandas_naif"]
    if project.get("status") != "ok" or scan.get("status") != "ok":
        return []
    ratio = project["seconds"] / scan["seconds"]
    mem = project["peak_rss_mb"] / 1024
    out = [
        {"cible": "import + build ≤ 3 × scan brut", "mesure": f"{ratio:.2f} ×", "ok": ratio <= 3},
        {"cible": "mémoire de pointe import + build < 4 Go", "mesure": f"{mem:.2f} Go",
         "ok": mem < 4},
    ]  # fmt: skip
    name = "≥ 5 × plus rapide que pandas naïf"
    if naive is not None and naive.get("status") == "ok":
        speed = naive["seconds"] / project["seconds"]
        out.append({"cible": name, "mesure": f"{speed:.1f} ×", "ok": speed >= 5})
    elif naive is not None:
        # pandas could not hold the file: the project, which does, is infinitely faster.
        why = "mémoire dépassée" if naive.get("status") == "memory" else "erreur"
        out.append({"cible": name, "mesure": f"pandas n'a pas abouti ({why})",
                    "ok": naive.get("status") == "memory"})  # fmt: skip
    return out


# --------------------------------------------------------------------------- report


def _fmt(value: object, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}".replace(",", " ")
    if isinstance(value, int):
        return f"{value:,}{unit}".replace(",", " ")
    return f"{value}{unit}"


def render(res: dict) -> str:
    f, m = res["fichier"], res["machine"]
    scan, project = res["scan_brut"], res["projet"]
    naive, careful = res["pandas_naif"], res["pandas_usecols"]
    lines = [
        "",
        "Banc d'essai DVF géolocalisées (volumétrie nationale)",
        f"Machine : {m['cpu_count']} cœurs ({m['cpu']}), {m['ram_gb']} Go de RAM, Python "
        f"{m['python']}, DuckDB {m['duckdb']}, pandas {m['pandas']}",
        f"Fichier : {_fmt(f['rows'])} lignes, {_fmt(f['mutations'])} mutations, "
        f"{f['bytes'] / GB:.2f} Go ({'généré' if f['generated_now'] else 'en cache'}, "
        f"génération {f['generation_seconds']} s)",
        "",
        f"{'Étape':<46}{'Durée (s)':>11}{'Mémoire max':>14}",
        "-" * 71,
    ]

    def row(label: str, part: dict | None, key: str = "seconds") -> None:
        if part is None:
            return
        if part.get("status") != "ok":
            status = {"memory": "arrêté : mémoire", "error": "erreur"}.get(part["status"])
            lines.append(f"{label:<46}{status:>25}")
            return
        mem = _fmt(part.get("peak_rss_mb"), " Mo")
        lines.append(f"{label:<46}{_fmt(part.get(key)):>11}{mem:>14}")

    row("Scan DuckDB brut (40 colonnes, meilleur de 2)", scan)
    row("Projet : import dvf", project, "import_seconds")
    row("Projet : build du cube", project, "build_seconds")
    row("Projet : import + build", project)
    row("pandas naïf (read_csv complet)", naive)
    row("pandas soigné (10 colonnes, usecols)", careful)
    lines.append("-" * 71)
    if project.get("status") == "ok":
        lines.append(
            f"Ventes de logements retenues : {_fmt(project['ventes'])} ; "
            f"lignes du cube : {_fmt(project['cube_rows'])}"
        )
        slow = sorted(project["build_steps"].items(), key=lambda kv: -kv[1])[:5]
        lines.append(
            "Étapes du build les plus longues : " + " ; ".join(f"{k} {v} s" for k, v in slow)
        )
    if careful and careful.get("status") == "ok" and project.get("status") == "ok":
        lines.append(
            f"Projet / pandas soigné : {careful['seconds'] / project['seconds']:.1f} × plus rapide"
        )
    for name, part in (("scan", scan), ("projet", project), ("pandas", naive), ("pandas", careful)):
        if part and part.get("status") == "error":
            lines.append(f"Erreur ({name}) : " + part["error"].strip().splitlines()[-1])
        if part and part.get("status") == "memory":
            limit = res["limite_memoire_pandas_go"]
            lines.append(
                f"{name} arrêté au-delà de {limit} Go de mémoire ({part['wall_seconds']} s)."
            )
    if res.get("concordance"):
        lines += ["", "Concordance projet / pandas (écart relatif max ; territoires comparés) :"]
        for ind, levels in res["concordance"].items():
            parts = []
            for lvl, v in levels.items():
                missing = v["not_ok_in_cube"]
                extra = f", {missing} sans valeur dans le cube" if missing else ""
                parts.append(f"{lvl} {v['max_rel_gap']:.1e} ({v['compared']}{extra})")
            lines.append(f"  {ind} : " + " ; ".join(parts))
    lines.append("")
    for t in res["cibles"]:
        lines.append(f"[{'PASS' if t['ok'] else 'FAIL'}] {t['cible']} : {t['mesure']}")
    lines.append(f"\nRésultats : {res['resultats']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    mem = psutil.virtual_memory()
    default_limit = round(min(0.8 * mem.total, mem.available - GB) / GB, 1)
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=15_000_000)
    parser.add_argument("--skip-naive", action="store_true", help="sans les versions pandas")
    parser.add_argument("--profile", action="store_true", help="cProfile de l'import + build")
    parser.add_argument("--keep", action="store_true", help="garder le dossier de travail")
    parser.add_argument("--naive-mem-limit-gb", type=float, default=default_limit)
    for hidden in ("--child", "--file", "--result", "--data-dir", "--naive-out", "--profile-out"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args)
        return 0

    out_dir = generate.OUT_DIR
    print(f"Fichier DVF de {args.rows:,} lignes…".replace(",", " "), flush=True)
    path, stamp, generated_now = generate.cached(args.rows)
    with path.open("rb") as fh:  # the same warm page cache for every contender
        while fh.read(1 << 24):
            pass
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=out_dir))
    try:
        # The scan runs before and after the project (best of two): the machine may be
        # shared, and one unlucky scan would flatter the project.
        print("Scan brut…", flush=True)
        scans = [_spawn("scan", path, work)]
        print("Projet : import + build…", flush=True)
        extra = {"data_dir": str(work / "data")}
        if args.profile:
            extra["profile_out"] = str(out_dir / "profile-project.txt")
        project = _spawn("project", path, work, 0, **extra)
        print("Scan brut (2e mesure)…", flush=True)
        scans.append(_spawn("scan", path, work))
        ok = [s for s in scans if s.get("status") == "ok"]
        scan = min(ok, key=lambda s: s["seconds"]) if ok else scans[0]
        scan["all_seconds"] = [s.get("seconds") for s in scans]
        naive = careful = None
        if not args.skip_naive:
            limit = args.naive_mem_limit_gb * GB
            print("pandas naïf…", flush=True)
            naive = _spawn("naive", path, work, limit, naive_out=str(work / "naive.parquet"))
            print("pandas soigné…", flush=True)
            careful = _spawn("careful", path, work, limit, naive_out=str(work / "careful.parquet"))
        conc = None
        if project.get("status") == "ok":
            for part, name in ((careful, "careful"), (naive, "naive")):
                if part and part.get("status") == "ok":
                    conc = concordance(work / "data" / "cube.duckdb", work / f"{name}.parquet")
                    break
        results = {
            "machine": machine(),
            "fichier": {
                **stamp,
                "path": str(path),
                "generated_now": generated_now,
                "generation_seconds": stamp.get("seconds"),
            },
            "scan_brut": scan,
            "projet": project,
            "pandas_naif": naive,
            "pandas_usecols": careful,
            "limite_memoire_pandas_go": args.naive_mem_limit_gb,
            "concordance": conc,
            "resultats": str(out_dir / "results.json"),
        }
        results["cibles"] = targets(results)
        (out_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(render(results))
    finally:
        if args.keep:
            print(f"Dossier de travail conservé : {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if results["cibles"] and all(t["ok"] for t in results["cibles"]) else 1


if __name__ == "__main__":
    sys.exit(main())
