"""Regenerate the compact national referential shipped in the package.

Reads the real extracts of ../shared/data/real/cog (not available at run time) and writes
src/observatoire/territories/data/. Run once per COG vintage; the output is committed.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real/cog")
OUT = Path(__file__).resolve().parent.parent / "src/observatoire/territories/data"


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with gzip.open(OUT / name, "wt", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(header)
        w.writerows(rows)


def main() -> None:
    src = SHARED / "decoupage-administratif-6.0.0"
    communes = json.loads((src / "communes.json").read_text())
    epcis = json.loads((src / "epci.json").read_text())
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    write(
        "communes.csv.gz",
        ["code", "nom", "dep", "reg", "epci", "population"],
        [
            [
                c["code"],
                c["nom"],
                c["departement"],
                c["region"],
                epci_of.get(c["code"], ""),
                c.get("population", ""),
            ]
            for c in communes
            if c["type"] == "commune-actuelle"
        ],
    )
    write(
        "arrondissements_municipaux.csv.gz",
        ["code", "nom", "commune", "population"],
        [
            [c["code"], c["nom"], c["commune"], c.get("population", "")]
            for c in communes
            if c["type"] == "arrondissement-municipal"
        ],
    )
    write(
        "epci.csv.gz",
        ["code", "nom", "type", "population"],
        [[e["code"], e["nom"], e["type"], e.get("populationMunicipale", "")] for e in epcis],
    )
    deps = json.loads((src / "departements.json").read_text())
    write(
        "departements.csv.gz",
        ["code", "nom", "reg"],
        [[d["code"], d["nom"], d["region"]] for d in deps],
    )
    regs = json.loads((src / "regions.json").read_text())
    write("regions.csv.gz", ["code", "nom"], [[r["code"], r["nom"]] for r in regs])
    keep = [
        "MOD",
        "DATE_EFF",
        "TYPECOM_AV",
        "COM_AV",
        "LIBELLE_AV",
        "TYPECOM_AP",
        "COM_AP",
        "LIBELLE_AP",
    ]
    with open(SHARED / "insee-cog-2026/v_mvt_commune_2026.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    write("mouvements_communes.csv.gz", keep, [[r[k] for k in keep] for r in rows])


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    main()
