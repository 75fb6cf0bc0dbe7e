"""A synthetic, national-scale DVF géolocalisées file, in the exact format of Etalab's.

Format (SOURCES.md §3 and the real extract geo-dvf-2024-dep01-head.csv): 40 columns,
comma separator, UTF-8, no BOM, ISO dates, codes as text with their leading zeros,
`numero_disposition` on 6 digits, `id_parcelle` on 14 characters, `valeur_fonciere` with a
decimal point and no trailing ".0" ("346.5", "249000"), empty fields for missing values.

Structure, as in the real file: one row per disposition x parcelle x local, so one
`id_mutation` spans several rows and repeats `valeur_fonciere`: a flat with its cellar and
parking lots, a house repeated once per nature de culture of its parcel (the DVF
duplication trap), bare land over dozens of parcels, several dwellings (or a dwelling and
a shop) sold at once, commercial premises, dépendances alone. Sales are spread over the
current communes (shipped COG, minus the few whose code did not exist in YEAR) by
population; Paris, Lyon and Marseille sales carry arrondissement codes, as in DVF.
Alsace-Moselle (57, 67, 68), Mayotte and the COM are absent, as in DVF. Prices per m² are
lognormal around a département level (known levels for large markets), commune effect.

Everything is drawn from a seeded hash of the row keys inside DuckDB (no Python loop, no
thread-order dependency): same VERSION, row count and DuckDB version, same bytes. Cached
in bench/out/ with a JSON stamp, regenerated when missing or when one of those changes.
"""

from __future__ import annotations

import json
import math
import os
import time
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from observatoire.territories import vintages
from observatoire.territories.referential import national

VERSION = 6
SEED = 20240101
YEAR = 2024
OUT_DIR = Path(__file__).parent / "out"

# DVF does not cover the livre foncier départements nor Mayotte; COM are out of scope.
NOT_COVERED = {"57", "67", "68", "976"}

# Rough 2024 €/m² of large or atypical markets; other départements: drawn around 1,900.
DEP_PRICE = {
    "75": 10000, "92": 6500, "94": 4600, "93": 3700, "78": 4300, "95": 3200, "91": 3000,
    "77": 2800, "06": 5000, "74": 4600, "83": 4100, "2A": 4000, "2B": 3300, "69": 3800,
    "33": 3500, "13": 3400, "64": 3500, "34": 3200, "44": 3200, "35": 3000, "31": 3000,
    "17": 3100, "85": 2700, "56": 2800, "29": 2300, "14": 2500, "59": 2300, "62": 1700,
    "53": 1500, "46": 1600, "23": 900, "36": 1000, "58": 1000, "03": 1100, "52": 900,
    "55": 1000, "08": 1100, "18": 1200, "15": 1200, "974": 2800, "971": 2700, "972": 2800,
    "973": 2300,
}  # fmt: skip

STREETS = [
    "RUE DE LA GARE", "GRANDE RUE", "RUE DU MOULIN", "AV DE LA REPUBLIQUE", "RUE VICTOR HUGO",
    "PL DE L EGLISE", "RTE DE PARIS", "CHE DES VIGNES", "ALL DES TILLEULS", "IMP DES LILAS",
    "BD GAMBETTA", "RUE JEAN JAURES", "RUE PASTEUR", "RUE DES ECOLES", "RUE DU CHATEAU",
    "RUE DE LA MAIRIE", "AV DU GENERAL DE GAULLE", "RUE NATIONALE", "RUE DES JARDINS",
    "CHE DU STADE", "RUE DE VERDUN", "RUE DES ROSES", "CRS DE LA LIBERATION", "PL DU JURA",
]  # fmt: skip
PLACES = [
    "LE BOURG", "LES CHAMPS", "AU VILLAGE", "LA CROIX", "LES VIGNES", "PRES DU MOULIN",
    "LE BOIS", "LA COMBE", "LES GRANDS PRES", "SUR LA COTE", "CHAMP DE MORT", "AU BIOLAY",
    "EN LA CHAPELLE", "LES FATES", "AUX TEPPES", "SOUS LES ROCHES",
]  # fmt: skip
# Natures de culture of bare parcels, repeated by weight (20 slots).
CULTURES = ["T"] * 5 + ["P"] * 5 + ["S", "S", "BT", "BT", "L", "J", "J", "AG", "BR", "VI"]
CULTURE_LABELS = {
    "S": "sols", "T": "terres", "P": "prés", "BT": "taillis simples", "L": "landes",
    "J": "jardins", "AG": "terrains d'agrément", "BR": "futaies résineuses", "VI": "vignes",
    "AB": "terrains a bâtir",
}  # fmt: skip
TYPE_LABELS = {1: "Maison", 2: "Appartement", 3: "Dépendance",
               4: "Local industriel. commercial ou assimilé"}  # fmt: skip
DOM_CENTRE = {"971": (-61.5, 16.2), "972": (-61.0, 14.6), "973": (-53.0, 4.5),
              "974": (55.5, -21.1)}  # fmt: skip


def _u(key: str, salt: int) -> str:
    """SQL: a uniform draw in ]0, 1[ from the row key (deterministic, thread-free)."""
    return f"(((hash({key}, {salt}, {SEED}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0)"


def _n(key: str, salt: int) -> str:
    """SQL: a standard normal draw (Box-Muller on two uniform draws)."""
    return f"(sqrt(-2 * ln({_u(key, salt)})) * cos(2 * pi() * {_u(key, salt + 1000)}))"


def _pick(values: list[str], key: str, salt: int) -> str:
    items = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"([{items}])[1 + (hash({key}, {salt}, {SEED}) % {len(values)})::INTEGER]"


def _case(expr: str, mapping: dict[str, str] | dict[int, str]) -> str:
    whens = " ".join(
        f"WHEN {k!r} THEN '{v.replace(chr(39), chr(39) * 2)}'" for k, v in mapping.items()
    )
    return f"CASE {expr} {whens} END"


@cache
def communes_frame() -> pl.DataFrame:
    """Communes (arrondissements for Paris, Lyon, Marseille) with their sampling weight,
    price level, share of flats, postcode and position."""
    ref = national()
    rng = np.random.default_rng(SEED)
    by_city: dict[str, list[str]] = {}
    for arr, city in sorted(ref.arrondissements.items()):
        by_city.setdefault(city, []).append(arr)
    names = {t.code: n for t, n in ref.names.items() if t.level.value == "COM"}
    # A YEAR file carries codes of the COG of YEAR: keep the current communes whose code
    # already existed then and has not moved since (drops e.g. 12218, created in 2025).
    passage = vintages.passage(YEAR)
    stable = set(passage.filter(pl.col("old_code") == pl.col("new_code"))["old_code"])
    rows: list[tuple[str, str, str, float, float]] = []
    for code in sorted(ref.commune_dep):
        dep = ref.commune_dep[code]
        if dep in NOT_COVERED or dep >= "975" or code not in stable:
            continue
        pop = float(ref.commune_population.get(code, 0))
        if code in by_city:
            arrs = by_city[code]
            shares = rng.uniform(0.3, 1.7, len(arrs))
            city = names[code].split(" ")[0]
            for k, (arr, share) in enumerate(zip(arrs, shares / shares.sum(), strict=True)):
                label = f"{city} {k + 1}{'er' if k == 0 else 'e'} Arrondissement"
                rows.append((arr, label, dep, pop * share, 0.95))
        else:
            p_app = min(0.85, max(0.02, 0.02 + 0.22 * (math.log10(max(pop, 1.0)) - 2.7)))
            rows.append((code, names[code], dep, pop, p_app))
    deps = sorted({r[2] for r in rows})
    dep_noise = dict(zip(deps, rng.normal(0.0, 0.25, len(deps)), strict=True))
    centres = zip(
        rng.uniform(-1.0, 6.5, len(deps)), rng.uniform(43.5, 50.0, len(deps)), strict=True
    )
    dep_centre = dict(zip(deps, centres, strict=True))
    weight = np.array([r[3] for r in rows]) + 50.0
    start = np.concatenate([[0.0], np.cumsum(weight)[:-1]])
    lon, lat, postcode = [], [], []  # type: list[float], list[float], list[str]
    for _, _, dep, _, _ in rows:
        cx, cy = DOM_CENTRE.get(dep, dep_centre[dep])
        lon.append(cx + rng.uniform(-0.4, 0.4))
        lat.append(cy + rng.uniform(-0.3, 0.3))
        prefix = "20" if dep in ("2A", "2B") else dep
        digits = 5 - len(prefix)
        postcode.append(prefix + str(int(rng.integers(0, 10**digits))).zfill(digits))
    price = [
        DEP_PRICE.get(r[2], 1900.0 * math.exp(dep_noise[r[2]]))
        * math.exp(rng.normal(0.0, 0.2))
        * (max(r[3], 1.0) / 5000.0) ** 0.04
        for r in rows
    ]
    frame = pl.DataFrame(rows, schema=["code", "name", "dep", "pop", "p_app"], orient="row")
    extra: dict[str, list] = {"price": price, "postcode": postcode, "lon": lon, "lat": lat}
    return frame.drop("pop").with_columns(
        *(pl.Series(k, v) for k, v in extra.items()), cw_start=start, total=float(weight.sum())
    )


def _mutations_sql(n_draws: int) -> str:
    """One row per mutation: commune, kind, row counts, date, nature, price."""
    u, nrm = _u, _n
    return f"""
CREATE OR REPLACE TEMP TABLE mut AS
WITH d AS (SELECT i, {u("i", 1)} * (SELECT max(total) FROM communes) AS x
           FROM range({n_draws}) t(i)),
c AS (SELECT d.i, c.* EXCLUDE (cw_start, total) FROM d ASOF JOIN communes c ON d.x >= c.cw_start),
k AS (
    SELECT *, CASE WHEN uk < 0.62 THEN CASE WHEN {u("i", 3)} < p_app THEN 'A' ELSE 'M' END
                   WHEN uk < 0.66 THEN 'X' WHEN uk < 0.86 THEN 'T'
                   WHEN uk < 0.91 THEN 'C' ELSE 'D' END AS kind
    FROM (SELECT *, {u("i", 2)} AS uk FROM c)
),
s AS (
    SELECT *,
        CASE kind WHEN 'X' THEN 2 + floor(4 * {u("i", 4)})::INTEGER WHEN 'T' THEN 0 WHEN 'D' THEN 0
                  ELSE 1 END AS n_main,
        CASE WHEN kind = 'M' AND {u("i", 5)} < 0.3 THEN 2 ELSE 1 END AS n_cult,
        CASE kind
            WHEN 'A' THEN ({u("i", 6)} >= 0.5)::INTEGER + ({u("i", 6)} >= 0.8)::INTEGER
                          + ({u("i", 6)} >= 0.95)::INTEGER
            WHEN 'M' THEN ({u("i", 6)} < 0.15)::INTEGER
            WHEN 'X' THEN floor(3 * {u("i", 6)})::INTEGER
            WHEN 'C' THEN ({u("i", 6)} < 0.2)::INTEGER
            WHEN 'D' THEN 1 + ({u("i", 6)} < 0.3)::INTEGER + ({u("i", 6)} < 0.1)::INTEGER
            ELSE 0 END AS n_dep,
        CASE kind
            WHEN 'M' THEN ({u("i", 7)} < 0.4)::INTEGER + ({u("i", 7)} < 0.15)::INTEGER
            WHEN 'C' THEN ({u("i", 7)} < 0.3)::INTEGER + ({u("i", 7)} < 0.1)::INTEGER
            -- Bare land: heavy tail (one sale in the real extract spans 73 rows).
            WHEN 'T' THEN least(90, 1 + floor(2 * (pow({u("i", 7)}, -0.5) - 1)))::INTEGER
            ELSE 0 END AS n_bare,
        floor(366 * {u("i", 8)})::INTEGER AS day,
        {u("i", 9)} AS un
    FROM k
),
n AS (
    SELECT *, n_main * n_cult + n_dep + n_bare AS nrows,
        CASE WHEN kind IN ('A', 'M', 'X') THEN
                 CASE WHEN un < CASE kind WHEN 'M' THEN 0.01 ELSE 0.12 END
                          THEN 'Vente en l''état futur d''achèvement'
                      WHEN un > 0.985 THEN 'Echange' WHEN un > 0.977 THEN 'Adjudication'
                      WHEN un > 0.976 THEN 'Expropriation' ELSE 'Vente' END
             WHEN kind = 'T' THEN
                 CASE WHEN un < 0.14 THEN 'Vente terrain à bâtir' WHEN un > 0.95 THEN 'Echange'
                      WHEN un > 0.93 THEN 'Expropriation' WHEN un > 0.92 THEN 'Adjudication'
                      ELSE 'Vente' END
             ELSE CASE WHEN un < 0.03 THEN 'Vente en l''état futur d''achèvement'
                       WHEN un > 0.98 THEN 'Echange' WHEN un > 0.97 THEN 'Adjudication'
                       ELSE 'Vente' END
        END AS nature,
        greatest(9, round(CASE kind WHEN 'A' THEN 52 * exp(0.42 * {nrm("i", 10)})
                                    WHEN 'M' THEN 95 * exp(0.3 * {nrm("i", 10)})
                                    WHEN 'C' THEN 120 * exp(0.9 * {nrm("i", 10)})
                                    ELSE 60 END))::INTEGER AS s0,
        price * exp(0.3 * {nrm("i", 12)})
            * CASE kind WHEN 'M' THEN 0.85 WHEN 'X' THEN 0.9 WHEN 'C' THEN 0.55 ELSE 1 END
            AS prix
    FROM s
)
SELECT *,
    CASE WHEN nature LIKE 'Vente en l%' THEN 1.35 ELSE 1.0 END * CASE kind
        WHEN 'T' THEN n_bare * 4000 * exp({nrm("i", 14)}) * price / 2500
                      * CASE WHEN nature = 'Vente terrain à bâtir' THEN 4 ELSE 1 END
        WHEN 'D' THEN n_dep * 9000 * exp(0.4 * {nrm("i", 14)}) * price / 2500
        ELSE CASE kind WHEN 'X' THEN n_main ELSE 1 END * s0 * prix
             + n_dep * 9000 * price / 2500 + n_bare * 2500
    END AS vf_raw
FROM n
"""


def _rows_sql(path: Path, target: int) -> str:
    u, nrm = _u, _n
    cult = _pick(CULTURES, "rk", 50)
    vf_text = """CASE WHEN c % 100 = 0 THEN (c // 100)::VARCHAR
        WHEN c % 10 = 0 THEN (c // 100)::VARCHAR || '.' || ((c % 100) // 10)::VARCHAR
        ELSE (c // 100)::VARCHAR || '.' || lpad((c % 100)::VARCHAR, 2, '0') END"""
    return f"""
CREATE OR REPLACE TEMP TABLE m AS
SELECT *, row_number() OVER (ORDER BY dep, day, i) AS id,
    -- A few prices are missing, symbolic (1 €) or far too high, as in the real file.
    CASE WHEN {u("i", 20)} < 0.003 THEN NULL
         ELSE round(CASE WHEN {u("i", 20)} < 0.005 THEN 1
                         WHEN {u("i", 20)} < 0.006 THEN vf_raw * 30 ELSE vf_raw END
                    * 100 / CASE WHEN {u("i", 21)} < 0.7 THEN 10000
                                 WHEN {u("i", 21)} < 0.97 THEN 100 ELSE 1 END)
              * CASE WHEN {u("i", 21)} < 0.7 THEN 10000 WHEN {u("i", 21)} < 0.97 THEN 100 ELSE 1 END
    END::BIGINT AS c
FROM (SELECT *, sum(nrows) OVER (ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
          AS before FROM mut)
WHERE coalesce(before, 0) < {target}
ORDER BY id;

COPY (
WITH r AS (SELECT *, unnest(range(nrows)) AS j FROM m),
r2 AS (
    SELECT *, id * 128 + j AS rk, id * 8 + (j // n_cult) AS lk,
        CASE WHEN j < n_main * n_cult THEN 'main'
             WHEN j < n_main * n_cult + n_dep THEN 'dep' ELSE 'bare' END AS role,
        j // n_cult AS li, j % n_cult AS ci
    FROM r
),
r3 AS (
    SELECT *,
        CASE WHEN role = 'main' THEN CASE kind WHEN 'A' THEN 2 WHEN 'M' THEN 1 WHEN 'C' THEN 4
                 -- Some multi-local sales are a dwelling with a shop (ground floor).
                 ELSE CASE WHEN li = 1 AND {u("id", 29)} < 0.25 THEN 4
                           WHEN {u("lk", 30)} < p_app THEN 2 ELSE 1 END END
             WHEN role = 'dep' THEN 3 END AS tl,
        CASE WHEN role = 'bare' THEN 1 + j - n_main * n_cult - n_dep
             WHEN kind = 'X' THEN li // 2 ELSE 0 END AS pi,
        -- The flat's lot is listed on its own row and on the rows of its dépendances.
        CASE WHEN kind = 'A' THEN id * 8 ELSE lk END AS ak
    FROM r2
),
r4 AS (
    SELECT *,
        CASE WHEN tl IN (1, 2, 4) AND NOT (kind IN ('A', 'M') AND {u("id", 31)} < 0.003) THEN
            CASE WHEN kind = 'X' THEN greatest(9, round(
                      CASE tl WHEN 2 THEN 52 * exp(0.42 * {nrm("lk", 32)})
                              ELSE 95 * exp(0.3 * {nrm("lk", 32)}) END))::INTEGER
                 ELSE s0 END END AS surf,
        CASE WHEN tl = 1 AND ci = 0 THEN 'S' WHEN tl = 1 THEN
                 CASE WHEN {u("id", 33)} < 0.5 THEN 'AG' ELSE 'J' END
             WHEN tl = 4 AND {u("id", 34)} < 0.5 THEN 'S'
             WHEN role = 'bare' AND nature = 'Vente terrain à bâtir' THEN 'AB'
             WHEN role = 'bare' THEN {cult} END AS cc,
        CASE WHEN {u("id", 35)} >= 0.015
             THEN round(lon + ({u("id * 128 + pi", 36)} - 0.5) * 0.02, 6) END AS x,
        CASE WHEN {u("id", 35)} >= 0.015
             THEN round(lat + ({u("id * 128 + pi", 37)} - 0.5) * 0.02, 6) END AS y,
        (hash(id, pi, 38, {SEED}) % 700)::INTEGER AS sec
    FROM r3
)
SELECT
    '{YEAR}-' || id AS id_mutation,
    DATE '{YEAR}-01-01' + day - CASE dayofweek(DATE '{YEAR}-01-01' + day)
                                    WHEN 6 THEN 1 WHEN 0 THEN 2 ELSE 0 END AS date_mutation,
    lpad((CASE WHEN kind = 'X' AND {u("id", 39)} < 0.3 THEN 1 + li % 2 ELSE 1 END)::VARCHAR, 6, '0')
        AS numero_disposition,
    nature AS nature_mutation,
    {vf_text} AS valeur_fonciere,
    CASE WHEN role <> 'bare' AND {u("id", 40)} < 0.85
         THEN 1 + floor(pow({u("id", 41)}, 2) * 150)::INTEGER END AS adresse_numero,
    CASE WHEN role <> 'bare' AND {u("id", 42)} < 0.02 THEN 'B' END AS adresse_suffixe,
    CASE WHEN role = 'bare' THEN {_pick(PLACES, "rk", 43)} ELSE {_pick(STREETS, "id", 43)} END
        AS adresse_nom_voie,
    CASE WHEN role = 'bare' THEN 'B' || lpad((hash(rk, 44) % 999)::VARCHAR, 3, '0')
         ELSE lpad((hash(id, 44) % 9999)::VARCHAR, 4, '0') END AS adresse_code_voie,
    CASE WHEN {u("rk", 45)} >= 0.005 THEN postcode END AS code_postal,
    code AS code_commune, name AS nom_commune, dep AS code_departement,
    NULL AS ancien_code_commune, NULL AS ancien_nom_commune,
    code || '000' || CASE WHEN sec < 260 THEN '0' || chr(65 + sec % 26)
                          ELSE chr(65 + (sec // 26) % 26) || chr(65 + sec % 26) END
         || lpad((1 + hash(id, pi, 46) % 2999)::VARCHAR, 4, '0') AS id_parcelle,
    NULL AS ancien_id_parcelle, NULL AS numero_volume,
    CASE WHEN kind = 'A' OR tl = 2 THEN (1 + hash(ak, 47) % 400)::VARCHAR END AS lot1_numero,
    CASE WHEN (kind = 'A' OR tl = 2) AND {u("ak", 48)} < 0.8 THEN
         round(coalesce(surf, s0) * (0.92 + 0.07 * {u("ak", 49)}), 2) END AS lot1_surface_carrez,
    CASE WHEN kind = 'A' AND n_dep > 0 THEN (400 + hash(id, 51) % 200)::VARCHAR END AS lot2_numero,
    NULL AS lot2_surface_carrez, NULL AS lot3_numero, NULL AS lot3_surface_carrez,
    NULL AS lot4_numero, NULL AS lot4_surface_carrez, NULL AS lot5_numero,
    NULL AS lot5_surface_carrez,
    CASE WHEN kind = 'A' THEN 1 + n_dep WHEN tl = 2 THEN 1 ELSE 0 END AS nombre_lots,
    tl AS code_type_local,
    {_case("tl", TYPE_LABELS)} AS type_local,
    surf AS surface_reelle_bati,
    CASE WHEN tl = 1 THEN least(10, greatest(1, round(surf / 25) + 1))::INTEGER
         WHEN tl = 2 THEN least(8, greatest(1, round(surf / 21)))::INTEGER
         WHEN tl IN (3, 4) THEN 0 END AS nombre_pieces_principales,
    cc AS code_nature_culture,
    {_case("cc", CULTURE_LABELS)} AS nature_culture,
    NULL AS code_nature_culture_speciale, NULL AS nature_culture_speciale,
    CASE WHEN cc IS NULL THEN NULL
         WHEN role = 'bare' AND kind = 'T' THEN round(1200 * exp(1.1 * {nrm("rk", 52)}))
         ELSE round(450 * exp(0.8 * {nrm("rk", 52)})) END::INTEGER AS surface_terrain,
    -- Decimal notation as in the real file, never 1.4e-05 (the Greenwich meridian).
    rtrim(rtrim(printf('%.6f', x), '0'), '.') AS longitude,
    rtrim(rtrim(printf('%.6f', y), '0'), '.') AS latitude
FROM r4
) TO '{path}' (HEADER, DELIMITER ',');
"""


def generate(path: Path, rows: int, threads: int | None = None) -> dict[str, object]:
    """Write at least `rows` data rows (whole mutations) to `path`; return its stamp."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    con = duckdb.connect()
    # Rows come out in the order of the (sorted) mutation table: no sort of the 15 million
    # wide rows, and the same bytes whatever the number of threads.
    con.execute(
        f"SET preserve_insertion_order = true; SET enable_progress_bar = false; "
        f"SET memory_limit = '6GB'; SET temp_directory = '{path.parent / '.duckdb_tmp'}'; "
        + (f"SET threads = {threads};" if threads else "")
    )
    con.register("_communes", communes_frame())
    con.execute("CREATE TEMP TABLE communes AS SELECT * FROM _communes ORDER BY cw_start")
    # ~2.2 rows per mutation on average: draw more mutations than needed, keep a prefix.
    con.execute(_mutations_sql(int(rows / 1.6) + 1000))
    con.execute(_rows_sql(tmp, rows))
    written = con.execute("SELECT sum(nrows), count(*) FROM m").fetchone() or (0, 0)
    con.close()
    if written[0] < rows:
        raise RuntimeError(f"générateur : {written[0]} lignes seulement pour {rows} demandées")
    with tmp.open("rb") as fh:  # written back now, not during the timed scans
        os.fsync(fh.fileno())
    tmp.replace(path)
    return {
        "version": VERSION,
        "rows_requested": rows,
        "rows": int(written[0]),
        "mutations": int(written[1]),
        "duckdb": duckdb.__version__,
        "bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 1),
    }


def cached(rows: int, out_dir: Path = OUT_DIR) -> tuple[Path, dict[str, object], bool]:
    """The benchmark file for `rows`, generated unless an up-to-date copy exists.
    Returns (path, stamp, generated_now)."""
    path = out_dir / f"geo-dvf-{YEAR}-bench-{rows}.csv"
    stamp_path = path.with_suffix(".json")
    if path.exists() and stamp_path.exists():
        stamp = json.loads(stamp_path.read_text())
        want = {"version": VERSION, "rows_requested": rows, "duckdb": duckdb.__version__,
                "bytes": path.stat().st_size}  # fmt: skip
        if all(stamp.get(k) == v for k, v in want.items()):
            return path, stamp, False
    stamp = generate(path, rows)
    stamp_path.write_text(json.dumps(stamp, indent=2))
    return path, stamp, True
