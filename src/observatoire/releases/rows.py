"""One export line per cube value, shared by the portal's downloads and the open data
releases: code, name, level, indicator, year, value, unit, status, source, millésime, COG
of the source's codes, note. A secret or missing value is exported empty, never
recomputed nor guessed; its status says why."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from observatoire import sources
from observatoire.indicators.query import Value
from observatoire.status import EXPLANATIONS, VISIBLE

COLUMNS = (
    "code",
    "nom",
    "niveau",
    "indicateur",
    "annee",
    "valeur",
    "unite",
    "statut",
    "source",
    "millesime",
    "millesime_cog",
    "note",
)
# Any status but the visible ones is exported without a value.
STATUSES = EXPLANATIONS


def shown(v: Value) -> float | None:
    """The value a caller may see, rounded as in the JSON API (None unless visible)."""
    if v.status not in VISIBLE or v.value is None:
        return None
    return round(v.value, 6)


def source_label(code: str | None) -> str | None:
    """The name a reader knows a source by (the `source` column)."""
    return sources.get(code).label if code else None


def row(v: Value, label: Callable[[str | None], str | None] = source_label) -> dict[str, Any]:
    """One export line for one cube value; `label` names its source (a release of
    millions of rows passes a cached `source_label`)."""
    return {
        "code": v.territory.code,
        "nom": v.name,
        "niveau": v.territory.level.value,
        "indicateur": v.indicator.code,
        "annee": v.year,
        "valeur": shown(v),
        "unite": v.indicator.unit,
        "statut": v.status,
        "source": label(v.source),
        "millesime": v.millesime,
        # The COG of the source's codes: "géographie au 1er janvier AAAA" (Métadonnées).
        "millesime_cog": v.geo_vintage,
        # Says a value's perimeter (FILO2019 "France" = France métropolitaine) or why it
        # is empty: the figure is never read without it.
        "note": v.note,
    }


def number(x: float) -> str:
    # Never scientific notation nor a decimal comma: 0.00001 -> "0.00001", 47894.0 -> "47894".
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6f}".rstrip("0").rstrip(".")


def cell(key: str, value: Any, spreadsheet: bool = False) -> str:
    if value is None:
        return ""
    if key == "valeur":
        return number(value).replace(".", ",") if spreadsheet else number(value)
    return str(value)


def write_csv(
    rows: Iterable[dict[str, Any]],
    out: BinaryIO,
    delimiter: str = ";",
    *,
    spreadsheet: bool = False,
) -> None:
    """Writes `rows` to `out` as they come (a France release never holds its 8 million
    lines at once): UTF-8, one header row, CRLF line ends (RFC 4180); `;` for the portal's
    downloads, `,` for data.gouv.fr releases; with `spreadsheet` the file a French
    spreadsheet opens as it is (a byte order mark, without which Excel reads the accents as
    Windows-1252, and decimal commas)."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        if spreadsheet:
            text.write("\ufeff")
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows([cell(k, r[k], spreadsheet) for k in COLUMNS] for r in rows)
        text.flush()
    finally:
        # `out` belongs to the caller: left open.
        text.detach()


def to_csv(
    rows: Iterable[dict[str, Any]], delimiter: str = ";", *, spreadsheet: bool = False
) -> bytes:
    """The bytes `write_csv` writes, for a download small enough to be held."""
    out = io.BytesIO()
    write_csv(rows, out, delimiter, spreadsheet=spreadsheet)
    return out.getvalue()
