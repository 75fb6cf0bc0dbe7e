"""The same DVF indicators the naive way: pandas, one DataFrame, groupby per level.

What an analyst would write without DuckDB, in two flavours: `naive`, the plain
`pd.read_csv` of the whole file (codes as text, as they must be), and `usecols`, the
careful one that reads only the 10 columns the rules need. Both apply the dwelling-sale
rules of observatoire.sources.dvf (nature "Vente"; exactly one Maison/Appartement local,
a local being a distinct (parcelle, type, surface, pièces, premier lot) since geo-dvf
repeats it once per nature de culture; no "Local industriel. commercial ou assimilé";
price and surface > 0; prix_m2 = valeur_fonciere / surface_reelle_bati), then count,
median and mean price per m² per commune (arrondissements of Paris, Lyon and Marseille
folded into their city) and per EPCI, département, région and France, recomputed from the
sales themselves at every level, as the project's engine does. No coverage rule and no
statistical secrecy: those are cheap and would only blur the comparison.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from observatoire.territories.referential import national

# A dwelling (geo-dvf has no local identifier; a local is repeated once per nature de
# culture of its parcel), as in observatoire.sources.dvf.
LOCAL = ["id_parcelle", "code_type_local", "surface_reelle_bati", "nombre_pieces_principales",
         "lot1_numero"]  # fmt: skip
USECOLS = ["id_mutation", "date_mutation", "nature_mutation", "valeur_fonciere", "code_commune",
           *LOCAL]  # fmt: skip
TEXT = ["code_commune", "code_departement", "code_postal", "code_type_local", "id_parcelle"]


def sales(path: Path, careful: bool) -> pd.DataFrame:
    """One row per dwelling sale: year, commune, prix_m2."""
    if careful:
        numbers = {"valeur_fonciere": "float64", "surface_reelle_bati": "float64"}
        dtype = {c: numbers.get(c, str) for c in USECOLS}
        df = pd.read_csv(path, usecols=USECOLS, dtype=dtype)
    else:
        df = pd.read_csv(path, dtype=dict.fromkeys(TEXT, str), low_memory=False)
    df = df[(df["nature_mutation"] == "Vente") & df["code_type_local"].isin(["1", "2", "4"])]
    dwellings = df[df["code_type_local"] != "4"].drop_duplicates(["id_mutation", *LOCAL])
    n_dwellings = dwellings.groupby("id_mutation").size()
    with_shop = df.loc[df["code_type_local"] == "4", "id_mutation"].unique()
    keep = n_dwellings[n_dwellings == 1].index.difference(pd.Index(with_shop))
    rows = dwellings[dwellings["id_mutation"].isin(keep)]
    rows = rows[(rows["valeur_fonciere"] > 0) & (rows["surface_reelle_bati"] > 0)]
    return pd.DataFrame(
        {
            "year": rows["date_mutation"].str.slice(0, 4).astype("int32"),
            "commune": rows["code_commune"],
            "prix_m2": rows["valeur_fonciere"] / rows["surface_reelle_bati"],
        }
    )


def indicators(sales_: pd.DataFrame) -> pd.DataFrame:
    """level, code, year, n, median, mean for COM, EPCI, DEP, REG and FR."""
    ref = national()
    commune = sales_["commune"].map(ref.arrondissements).fillna(sales_["commune"])
    levels = {
        "COM": commune,
        "EPCI": commune.map(ref.commune_epci),
        "DEP": commune.map(ref.commune_dep),
        "REG": commune.map(ref.commune_reg),
        "FR": pd.Series("FR", index=sales_.index),
    }
    parts = []
    for level, code in levels.items():
        grouped = (
            sales_.assign(code=code)
            .dropna(subset=["code"])
            .groupby(["code", "year"])["prix_m2"]
            .agg(["count", "median", "mean"])
            .reset_index()
        )
        parts.append(grouped.assign(level=level))
    out = pd.concat(parts, ignore_index=True)
    return out.rename(columns={"count": "n"})[["level", "code", "year", "n", "median", "mean"]]


def run(path: Path, out: Path | None = None, careful: bool = False) -> dict[str, object]:
    """Time the whole pandas pipeline; optionally save its figures (parquet) for the
    concordance check with the project's cube."""
    started = time.perf_counter()
    s = sales(path, careful)
    read_done = time.perf_counter()
    result = indicators(s)
    done = time.perf_counter()
    if out is not None:
        result.to_parquet(out, index=False)
    return {
        "seconds": round(done - started, 2),
        "read_and_rules_seconds": round(read_done - started, 2),
        "aggregate_seconds": round(done - read_done, 2),
        "ventes": len(s),
        "result_rows": len(result),
    }
