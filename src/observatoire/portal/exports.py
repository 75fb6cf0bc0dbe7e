"""Downloadable exports of the open API: CSV (data.gouv.fr convention), XLSX, GeoJSON.

CSV: UTF-8, `;` separator, one header row, decimal point, INSEE codes written as they are
("01001", never 1001), an empty cell when there is no value and the reason in `statut`;
each row carries its millésime, the COG of its source codes (`millesime_cog`) and its note
(perimeter, reason). XLSX: the same table (codes stored as text, so a spreadsheet cannot
strip leading zeros) and a "Métadonnées" sheet: definition, source, millésime, COG, export
date, secret statistique.
Rows come from the cube as computed: a secret or missing value is exported empty, never
recomputed nor guessed.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from observatoire.indicators.catalog import Indicator
from observatoire.releases import rows as rows_kit

# The export line is shared with the open data releases (Django-free).
from observatoire.releases.rows import COLUMNS as COLUMNS
from observatoire.releases.rows import STATUSES as STATUSES
from observatoire.releases.rows import row as row
from observatoire.releases.rows import shown as shown
from observatoire.releases.rows import source_label as source_label
from observatoire.tabular import xlsx_book
from observatoire.territories.referential import COG_YEAR

# "tableur": the same CSV for a French spreadsheet (Excel, LibreOffice Calc opened with a
# double click): a UTF-8 byte order mark, `;` and decimal commas ("7,25").
SPREADSHEET = "tableur"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    SPREADSHEET: "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
LEVEL_WORDS = {"COM": "communes", "EPCI": "epci", "DEP": "departements", "REG": "regions"}


def to_csv(rows: Iterable[dict[str, Any]], *, spreadsheet: bool = False) -> bytes:
    """The data.gouv.fr convention (UTF-8 without BOM, decimal point) with `;`, or with
    `spreadsheet` the file a French spreadsheet opens as it is (BOM, decimal comma)."""
    return rows_kit.to_csv(rows, delimiter=";", spreadsheet=spreadsheet)


def to_file(rows: list[dict[str, Any]], fmt: str, meta: Sequence[tuple[str, str]]) -> bytes:
    """The rows in a download format: csv, tableur (CSV for a spreadsheet) or xlsx."""
    if fmt in ("csv", SPREADSHEET):
        return to_csv(rows, spreadsheet=fmt == SPREADSHEET)
    return to_xlsx(rows, meta)


def metadata(
    indicator: Indicator, rows: Sequence[dict[str, Any]], extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """The "Métadonnées" sheet: what the figures are, where they come from, what is hidden."""
    # A source's millésime may be unknown (None): sort it first rather than fail.
    sources = sorted(
        {(r["source"], r["millesime"]) for r in rows if r["source"]},
        key=lambda p: (p[0], p[1] if p[1] is not None else -1),
    )
    secrecy = indicator.secrecy
    rules = []
    if secrecy.min_weight is not None:
        rules.append(
            f"valeur masquée quand l'effectif de référence est inférieur à {secrecy.min_weight:g}"
        )
    if secrecy.min_numerator is not None:
        rules.append(
            f"valeur masquée quand le numérateur est inférieur à {secrecy.min_numerator:g}"
        )
    if secrecy.secondary:
        rules.append(
            "secret secondaire audité : aucune valeur masquée ne se déduit de l'ensemble des "
            "valeurs publiées (toutes échelles et regroupements) à moins de "
            f"{secrecy.protection * 100:g} % près ; regroupements de moins de 3 communes "
            "non diffusés"
        )
    statement = (
        "Les valeurs couvertes par le secret statistique ne sont pas diffusées : cellule vide "
        "et statut « secret » ; les bornes des classes de carte sont calculées sans elles."
    )
    if rules:
        statement += " Règles pour cet indicateur : " + " ; ".join(rules) + "."
    out = [
        ("Indicateur", f"{indicator.label} ({indicator.code})"),
        ("Définition", indicator.definition),
        ("Unité", indicator.unit),
        ("Thème", indicator.theme),
        ("Source", " ; ".join(sorted({s for s, _ in sources})) or "aucune donnée chargée"),
        ("Millésime", ", ".join(sorted({str(m) for _, m in sources if m is not None})) or "—"),
        ("Millésime du COG", _geography(rows)),
        (
            "Note",
            "colonne « note » : périmètre de la valeur quand il diffère du nom du territoire "
            "(par exemple France métropolitaine pour une valeur « France » de l'INSEE), "
            "ou raison d'une valeur absente",
        ),
        *extra,
        ("Date d'export", datetime.date.today().isoformat()),
        ("Secret statistique", statement),
        (
            "Séparateur décimal",
            "point ; valeur vide quand le statut n'est ni « ok » ni « estimated »",
        ),
    ]
    out += [(f"Statut « {k} »", text) for k, text in STATUSES.items()]
    return out


def _geography(rows: Sequence[dict[str, Any]]) -> str:
    """The COG vintages of the source codes, in the words of INSEE's files."""
    years = sorted({r["millesime_cog"] for r in rows if r["millesime_cog"] is not None})
    if not years:
        return "—"
    said = ", ".join(f"géographie au 1er janvier {y}" for y in years)
    return (
        f"{said} (codes des fichiers sources, colonne « millesime_cog ») ; territoires "
        f"présentés sur le COG au 1er janvier {COG_YEAR}"
    )


def to_xlsx(rows: Sequence[dict[str, Any]], meta: Sequence[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsx_book(buffer)
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Données")
    for j, name in enumerate(COLUMNS):
        sheet.write_string(0, j, name, bold)
    for i, r in enumerate(rows, start=1):
        for j, key in enumerate(COLUMNS):
            value = r[key]
            if value is None:
                sheet.write_blank(i, j, None)
            elif key in ("valeur", "annee", "millesime", "millesime_cog"):
                sheet.write_number(i, j, value)
            else:
                # write_string, not write: "01001" must stay text, not become 1001.
                sheet.write_string(i, j, str(value))
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 11)
    sheet.set_column(1, 1, 32)
    sheet.set_column(8, 8, 40)
    sheet.set_column(11, 11, 60)
    info = book.add_worksheet("Métadonnées")
    info.set_column(0, 0, 24)
    info.set_column(1, 1, 100, wrap)
    for i, (key, text) in enumerate(meta):
        info.write_string(i, 0, key, bold)
        info.write_string(i, 1, text)
    book.close()
    return buffer.getvalue()


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_text).strip("-")


def filename(indicator: str, *parts: str | int | None, ext: str) -> str:
    """An ASCII French file name: taux_vacance_communes_EPCI-246200364_2021.csv."""
    words = [indicator, *(_slug(str(p).replace(":", "-")) for p in parts if p is not None)]
    if ext == SPREADSHEET:
        words, ext = [*words, SPREADSHEET], "csv"
    return "_".join(w for w in words if w) + f".{ext}"


def download(content: bytes, name: str, ext: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def level_word(level: str) -> str:
    return LEVEL_WORDS.get(level, level.lower())
