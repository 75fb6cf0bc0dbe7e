"""What the comparison page adds to its figures: the source of each row, the reason of a
value the page cannot show, and the download of the table (CSV, XLSX) through the same
exports as the open API."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse

from observatoire.figures import NOT_LOADED, RESTRICTED_NOTE, Value
from observatoire.portal import exports
from observatoire.status import VISIBLE

FORMATS = (
    ("csv", "CSV"),
    (exports.SPREADSHEET, "CSV pour tableur (virgule décimale)"),
    ("xlsx", "Excel (XLSX)"),
)
RESTRICTED_LABEL = "accès restreint"
ACCESS_HINT = (
    "ce chiffre n'est diffusé qu'aux comptes dont le périmètre couvre ce "
    "territoire ; pour y accéder, demandez à l'animateur de l'observatoire d'étendre le "
    "périmètre de votre compte"
)


def is_restricted(v: Value) -> bool:
    """A cell out of the reader's reach (figures.read_value), not a value without data."""
    return v.note == RESTRICTED_NOTE and v.value is None


def reason(v: Value) -> str:
    """Why a cell has no figure, in French ("" when it has one)."""
    if v.status in VISIBLE and v.value is not None:
        return ""
    if is_restricted(v):
        return ACCESS_HINT
    if v.note:
        return str(v.note)
    return exports.STATUSES.get(v.status, NOT_LOADED)


def cell(v: Value) -> dict[str, Any]:
    return {"value": v, "reason": reason(v)}


def sources(values: list[Value]) -> list[str]:
    """The sources and millésimes of a row's figures, each once, in order of appearance."""
    out: list[str] = []
    for v in values:
        if v.source is None or v.value is None:
            continue
        name = v.as_dict()["source"]["name"] or v.source
        text = f"{name}, millésime {v.millesime}" if v.millesime else str(name)
        if text not in out:
            out.append(text)
    return out


def links(request: HttpRequest) -> list[tuple[str, str]]:
    """The download links of the comparison shown (same territories and indicators)."""
    params = [(k, v) for k, values in request.GET.lists() for v in values if k != "format"]
    return [(label, "?" + urlencode([*params, ("format", fmt)])) for fmt, label in FORMATS]


def download(context: dict[str, Any], fmt: str) -> HttpResponse:
    """The comparison table as a file (`fmt` one of FORMATS): one line per territory and
    indicator, with status, source, millésime and note."""
    rows = [exports.row(v) for row in context["rows"] for v in row["values"]]
    territories = [t for t, _ in context["territories"]]
    name = exports.filename("comparaison", *(t.id for t in territories), ext=fmt)
    if fmt != "xlsx":
        return exports.download(exports.to_file(rows, fmt, ()), name, fmt)
    meta = [
        ("Comparaison", ", ".join(label for _, label in context["territories"])),
        *(
            (f"Indicateur {row['indicator'].code}", row["indicator"].definition)
            for row in context["rows"]
        ),
        (
            "Sources",
            " ; ".join(dict.fromkeys(s for row in context["rows"] for s in row["sources"])),
        ),
        ("Date d'export", datetime.date.today().isoformat()),
        *((f"Statut « {k} »", text) for k, text in exports.STATUSES.items()),
    ]
    return exports.download(exports.to_xlsx(rows, meta), name, fmt)
