"""Files users upload or import by hand — plan workbooks, partner data files, groupings:
column specs, header folding, the one commune-code normalisation, text decoding and
sheets read into numbered lines. Each reader words its own problems; they are rendered
by `observatoire.problems`.

Django-free, like `observatoire.problems`: the groupings reader sits in the data core."""

from __future__ import annotations

import codecs
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any


class UnreadableError(ValueError):
    """The bytes are not what the reader expects (not a workbook, damaged...)."""


@dataclass(frozen=True)
class Column:
    """A column of a template: `required` columns must be in the header line, and a
    value is required in each line unless the reader says otherwise."""

    name: str
    required: bool = False
    max_length: int | None = None


# --------------------------------------------------------------------------- folding
def fold(text: str, separators: str = "_-'’") -> str:
    """Lower case, no accents, spaces and `separators` as one space: how headers, sheet
    names and written values are compared ("Échéance" = "echeance", "à lancer" =
    "a_lancer"). Territory names and documents keep `_` (`territories.referential.fold`)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _separators(separators).sub(" ", plain).strip().lower()


@functools.cache
def _separators(chars: str) -> re.Pattern[str]:
    return re.compile(f"[\\s{re.escape(chars)}]+")


def header_key(text: str) -> str:
    """The column name a header stands for ("Année prévue" -> "annee_prevue")."""
    return fold(text).replace(" ", "_")


# --------------------------------------------------------------------------- cells
def cell_text(value: Any) -> str:
    """A cell as stripped text; "" when blank; whole floats without ".0" (Excel stores
    every number as a float: 62498.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_SPACES = re.compile(r"[\s\u202f]+")
_WHOLE = re.compile(r"([0-9]+)[.,]0+")


def commune_code(value: Any) -> str:
    """The INSEE code of a commune as users write it, in its official form (not checked
    against the COG): `62498`, `COM:62498`, 62498.0 (Excel) and `62 498` give "62498";
    1001 and "1001" give "01001" (a spreadsheet drops the leading zero); `2a004` gives
    "2A004"; blank gives ""."""
    text = _SPACES.sub("", cell_text(value)).upper().removeprefix("COM:")
    if whole := _WHOLE.fullmatch(text):
        text = whole[1]
    if re.fullmatch(r"[0-9]{4}", text):
        text = "0" + text
    return text


# --------------------------------------------------------------------------- headers
@dataclass
class Header:
    """A header line matched against a template's columns."""

    positions: dict[str, int] = field(default_factory=dict)  # column -> its first index
    written: dict[str, str] = field(default_factory=dict)  # column -> header as written
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (index, as written)
    repeated: list[tuple[int, str]] = field(default_factory=list)  # (index, as written)
    missing: list[str] = field(default_factory=list)  # required columns absent

    def column(self, name: str) -> str:
        """The column as the user wrote it, to name it in problems."""
        return self.written.get(name, name)


def match_header(cells: Sequence[Any], columns: Sequence[Column]) -> Header:
    names = {c.name for c in columns}
    header = Header()
    for i, raw in enumerate(cells):
        text = cell_text(raw)
        if not text:
            continue
        key = header_key(text)
        if key not in names:
            header.unknown.append((i, text))
        elif key in header.positions:
            header.repeated.append((i, text))
        else:
            header.positions[key] = i
            header.written[key] = text
    header.missing = [c.name for c in columns if c.required and c.name not in header.positions]
    return header


def records(
    lines: Iterable[Sequence[Any]], header: Header, start: int = 2
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, column -> raw value) of each line with a value in one of the
    template's columns; lines blank there are skipped."""
    for number, values in enumerate(lines, start=start):
        row = {k: values[i] if i < len(values) else None for k, i in header.positions.items()}
        if any(cell_text(v) for v in row.values()):
            yield number, row


# --------------------------------------------------------------------------- files
def decode(data: bytes) -> str:
    """The text of a file as spreadsheets save it: UTF-16 with BOM (Excel's « Texte
    Unicode »), UTF-8 with or without BOM, else Windows-1252 (Excel's CSV), Latin-1 for
    the bytes Windows-1252 leaves undefined. Never fails: callers look for NUL bytes."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    data = data.removeprefix(codecs.BOM_UTF8)
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def csv_delimiter(text: str) -> str:
    """ ";" or "," — whichever the header line uses more (";" when even)."""
    first = text.splitlines()[0] if text else ""
    return ";" if first.count(";") >= first.count(",") else ","


Source = str | Path | bytes | IO[bytes]


def open_workbook(source: Source, read_only: bool = False) -> Any:
    """The openpyxl workbook of an .xlsx file (cached values, not formulas);
    UnreadableError when the bytes are not a readable workbook."""
    from openpyxl import load_workbook

    handle: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    if not isinstance(handle, str | Path) and hasattr(handle, "seek"):
        handle.seek(0)
    try:
        return load_workbook(handle, read_only=read_only, data_only=True)
    # Any failure of the parser on an untrusted file is the same answer for the user.
    except Exception as exc:
        raise UnreadableError(str(exc)) from exc


def find_sheet(workbook: Any, name: str) -> Any | None:
    """The worksheet whose title folds like `name` ("projets " finds "Projets")."""
    return next(
        (ws for ws in workbook.worksheets if header_key(ws.title) == header_key(name)), None
    )
