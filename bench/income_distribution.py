"""Validation of the Filosofi mixture (indicators.income_distribution), with its figures.

    .venv/bin/python -m bench.income_distribution [FILE ...]

FILE: commune files FILO20AA_DISP_COM (default: the demo's FILO2019_DISP_COM.csv.gz).
Prints, per file:
  1. the blind test: Paris, Marseille and Lyon rebuilt by mixing their arrondissements
     (the files hold both), against INSEE's published D1, median and D9 of the city;
  2. leave-one-out: each commune with deciles gets the shape borrowed from comparable
     communes (same département, closest medians), compared with its own D1 and D9;
  3. what the borrowed shapes change: each département's median mixed from all its
     communes (shapes borrowed for those without deciles) vs from the communes with
     deciles only;
  4. the time of the France-level mixture (every commune of the file).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

from observatoire.indicators.income_distribution import (
    fill_lognormal,
    knots,
    mixture_quantiles,
    shapes_by_departement,
)
from observatoire.sources import get
from observatoire.sources.filosofi import _arm_city

DEMO = Path(__file__).resolve().parent.parent / "src/observatoire/data/demo/filosofi"
PROBS = np.array([0.1, 0.5, 0.9])


def communes(path: Path, *, arrondissements: bool = False) -> pl.DataFrame:
    """code, NBPERS, D1..D9 (D5 = median) of a DISP commune file, via the project's reader."""
    obs = get("filosofi").read(path, level="ARM" if arrondissements else None)
    table = obs.tables["observations"]
    assert isinstance(table, pl.DataFrame)
    wide = table.filter(pl.col("status") == "ok").pivot(on="variable", index="code", values="value")
    for k in range(1, 10):
        if f"D{k}" not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(f"D{k}"))
    return wide.with_columns(pl.col("MED").alias("D5")).filter(pl.col("MED").is_not_null())


def deciles(frame: pl.DataFrame) -> np.ndarray:
    return fill_lognormal(frame.select(*(f"D{k}" for k in range(1, 10))).to_numpy())


def rebuild_cities(path: Path) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(city, published D1/median/D9, mixed D1/median/D9) for the cities and arrondissements
    the file holds both of."""
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = pl.read_csv(f.read(), separator=";", infer_schema=False)
    aa = next(c[-2:] for c in raw.columns if c.startswith("NBPERS"))
    cols = ["NBPERS", *(f"D{k}" for k in (1, 2, 3, 4)), "Q2", *(f"D{k}" for k in (6, 7, 8, 9))]
    raw = raw.select(
        "CODGEO",
        *(pl.col(c + aa).str.replace(",", ".").cast(pl.Float64).alias(c) for c in cols),
    )
    out = []
    for city in ("75056", "13055", "69123"):
        arms = raw.filter(pl.col("CODGEO").map_elements(_arm_city, pl.Utf8) == city)
        whole = raw.filter(pl.col("CODGEO") == city)
        if not arms.height or not whole.height:
            continue
        dec = arms.select(*cols[1:]).to_numpy()
        mixed = mixture_quantiles(knots(dec), arms["NBPERS"].to_numpy(), PROBS)
        published = whole.select("D1", "Q2", "D9").to_numpy()[0]
        out.append((city, published, mixed))
    return out


def leave_one_out(frame: pl.DataFrame) -> np.ndarray:
    """Relative errors (n x 2) on D1 and D9 of each commune with deciles, its shape borrowed."""
    dec = deciles(frame)
    full = ~np.isnan(dec).any(axis=1)
    med = dec[full, 4]
    shape = np.log(dec[full] / med[:, None])
    dep = np.array([c[:2] for c in frame.filter(pl.Series(full))["code"]])
    guess = med[:, None] * np.exp(shapes_by_departement(med, shape, dep, leave_one_out=True))
    return (guess[:, [0, 8]] - dec[full][:, [0, 8]]) / dec[full][:, [0, 8]]


def borrowed_effect(frame: pl.DataFrame) -> list[tuple[str, float, float]]:
    """(département, median with all communes, median with communes with deciles only)."""
    dec = deciles(frame)
    med = dec[:, 4]
    shape = np.log(dec / med[:, None])
    dep = np.array([c[:2] for c in frame["code"]])
    full = ~np.isnan(shape).any(axis=1)
    everyone = med[:, None] * np.exp(shapes_by_departement(med, shape, dep))
    weights = frame["NBPERS"].to_numpy()
    out = []
    for d in ("14", "46", "53", "59", "62"):
        rows = dep == d
        if not (rows & full).any():
            continue
        a = mixture_quantiles(knots(everyone[rows]), weights[rows], PROBS)[1]
        b = mixture_quantiles(knots(dec[rows & full]), weights[rows & full], PROBS)[1]
        out.append((d, float(a), float(b)))
    return out


def main(paths: list[Path]) -> None:
    for path in paths:
        print(f"\n== {path.name}")
        for city, published, mixed in rebuild_cities(path):
            err = 100 * (mixed - published) / published
            print(f"{city} reconstituée par ses arrondissements : D1 {err[0]:+.2f} %, "
                  f"médiane {err[1]:+.2f} %, D9 {err[2]:+.2f} %")  # fmt: skip
        frame = communes(path)
        frame = frame.filter(~pl.col("code").map_elements(_arm_city, pl.Utf8).is_not_null())
        errors = np.abs(leave_one_out(frame)) * 100
        print(f"leave-one-out ({len(errors)} communes à déciles) : erreur absolue médiane "
              f"D1 {np.median(errors[:, 0]):.2f} %, D9 {np.median(errors[:, 1]):.2f} % ; "
              f"90e centile D1 {np.percentile(errors[:, 0], 90):.2f} %, "
              f"D9 {np.percentile(errors[:, 1], 90):.2f} %")  # fmt: skip
        for d, a, b in borrowed_effect(frame):
            print(f"département {d} : médiane {a:.0f} € avec les formes empruntées, "
                  f"{b:.0f} € sans ({100 * (a - b) / b:+.2f} %)")  # fmt: skip
        start = time.perf_counter()
        dec = deciles(frame)
        med = dec[:, 4]
        dep = np.array([c[:2] for c in frame["code"]])
        shape = shapes_by_departement(med, np.log(dec / med[:, None]), dep)
        mixture_quantiles(knots(med[:, None] * np.exp(shape)), frame["NBPERS"].to_numpy(), PROBS)
        took = 1000 * (time.perf_counter() - start)
        print(f"France : formes empruntées et mélange de {len(med)} communes : {took:.0f} ms")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or [DEMO / "FILO2019_DISP_COM.csv.gz"]
    main(args)
