"""Regenerate territories/data/articles.csv.gz: the INSEE TNCC (type de nom en clair) of
the communes, départements and régions of COG 2026, which gives the article and the
"charnière" of a name ("du Pas-de-Calais", "de la Somme", "d'Arras", "des Hauts-de-France").

Reads the `typeLiaison` field of @etalab/decoupage-administratif 6.0.0 (the INSEE TNCC,
../shared/data/real/cog, not available at run time). Only non-zero types are written:
type 0 (charnière "de", no article) is the default. Run once per COG vintage; the output
is committed.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real/cog")
OUT = Path(__file__).resolve().parent.parent / "src/observatoire/territories/data/articles.csv.gz"


def main() -> None:
    src = SHARED / "decoupage-administratif-6.0.0"
    rows: list[list[object]] = []
    for level, name in (("REG", "regions"), ("DEP", "departements"), ("COM", "communes")):
        for item in json.loads((src / f"{name}.json").read_text()):
            if level == "COM" and item["type"] != "commune-actuelle":
                continue
            tncc = item.get("typeLiaison")
            if tncc:
                rows.append([level, item["code"], tncc])
    with gzip.open(OUT, "wt", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["level", "code", "tncc"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
