"""Files users upload or import by hand — plan workbooks, partner data files, groupings:
column specs, header folding, the one commune-code normalisation, text decoding and
sheets read into numbered lines within bounds (a small xlsx can hold a million lines),
and the workbook every export writes. Each reader words its own problems; they are
rendered by `observatoire.problems`.

Django-free, like `observatoire.problems`: the groupings reader sits in the data core."""

from __future__ import annotations

import codecs
import functools
import io
import re
import unicodedata
import zipfile
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

# Bounds of an uploaded workbook, checked before and while reading: a 560 KB xlsx of a
# million rows used to cost 77 s of CPU and 450 MB, enough to kill a gunicorn worker.
MAX_SHEETS = 50
MAX_COLUMNS = 100  # the templates have at most 14 columns
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of a cell
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all the parts of the archive, uncompressed
# openpyxl keeps the shared strings in memory, even in read-only mode.
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
# Blank lines tolerated past a reader's line cap (formatted but empty lines at the
# bottom of a sheet); beyond them the sheet is refused, never silently cut.
BLANK_MARGIN = 1000


class TooLargeError(UnreadableError):
    """A workbook or table past one of the bounds; the message (French) names the bound
    and, when known, the sheet, line, column and value."""

    def __init__(
        self,
        message: str,
        sheet: str | None = None,
        line: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ):
        super().__init__(message)
        self.sheet, self.line, self.column, self.value = sheet, line, column, value


def _check_archive(handle: Any, max_lines: int) -> None:
    """Sizes read from the zip directory, before any part is unpacked (zipfile never
    unpacks a part beyond its declared size)."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableError(str(exc)) from exc
    with archive:
        _check_parts(archive, max_lines)


def _check_parts(archive: zipfile.ZipFile, max_lines: int) -> None:
    parts = archive.infolist()
    sheets = [p for p in parts if re.fullmatch(r"xl/worksheets/[^/]+\.xml", p.filename)]
    if len(sheets) > MAX_SHEETS:
        raise TooLargeError(
            f"le classeur compte {len(sheets)} feuilles : {MAX_SHEETS} au plus.",
            value=str(len(sheets)),
        )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooLargeError(
            f"le classeur décompressé pèse {unpacked // 1048576} Mo : "
            f"{MAX_UNPACKED_BYTES // 1048576} Mo au plus.",
        )
    shared = sum(p.file_size for p in parts if p.filename == "xl/sharedStrings.xml")
    if shared > MAX_SHARED_STRINGS_BYTES:
        raise TooLargeError(
            f"les textes du classeur pèsent {shared // 1048576} Mo une fois décompressés : "
            f"{MAX_SHARED_STRINGS_BYTES // 1048576} Mo au plus.",
        )
    for sheet, part in _sheet_parts(archive).items():
        lines = _undeclared_lines(archive, part, max_lines + BLANK_MARGIN)
        if lines is not None and lines > max_lines + BLANK_MARGIN:
            raise TooLargeError(
                f"plus de {max_lines - 1} lignes sous les en-têtes : découpez le fichier.",
                sheet,
            )


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part in the archive (xl/worksheets/sheet1.xml)."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as exc:
        raise UnreadableError(str(exc)) from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(rel), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if part in archive.NameToInfo:
            parts[sheet.get("name", "")] = part
    return parts


_TAG = rb"<(?:[A-Za-z_][\w.-]*:)?"
_DIMENSION = re.compile(_TAG + rb"dimension[\s/>]")
_SHEET_DATA = re.compile(_TAG + rb"sheetData[\s/>]")
_ROW = re.compile(_TAG + rb"row[\s/>]")


def _undeclared_lines(archive: zipfile.ZipFile, part: str, limit: int) -> int | None:
    """The lines of a worksheet that does not declare its dimension, counted in the raw
    XML up to `limit` + 1; None when it declares it. openpyxl, not finding the
    dimension, would parse the whole sheet just to look for it (50 s for a million
    lines), before any line is read."""
    with archive.open(part) as xml:
        block, lines, head = b"", 0, True
        while chunk := xml.read(1 << 20):
            block += chunk
            if head:
                data = _SHEET_DATA.search(block)
                dimension = _DIMENSION.search(block)
                if dimension and (data is None or dimension.start() < data.start()):
                    return None
                head = data is None
            cut = block.rfind(b"<")
            cut = len(block) if cut < 0 else cut
            lines += len(_ROW.findall(block, 0, cut))
            block = block[cut:]
            if lines > limit:
                break
        return lines + len(_ROW.findall(block))


def open_workbook(source: Source, max_lines: int) -> Any:
    """The openpyxl workbook of an .xlsx file, read-only (rows are streamed by
    `sheet_rows`, with the same `max_lines`; close it when done), with cached values,
    not formulas. TooLargeError past the bounds of the archive, UnreadableError when
    the bytes are not a readable workbook."""
    from openpyxl import load_workbook

    handle: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    if not isinstance(handle, str | Path) and hasattr(handle, "seek"):
        handle.seek(0)
    _check_archive(handle, max_lines)
    if not isinstance(handle, str | Path) and hasattr(handle, "seek"):
        handle.seek(0)
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    # Any failure of the parser on an untrusted file is the same answer for the user.
    except Exception as exc:
        raise UnreadableError(str(exc)) from exc


def capped(
    lines: Iterable[Sequence[Any]], max_lines: int, sheet: str | None = None
) -> Iterator[Sequence[Any]]:
    """`lines` (header first) streamed, stopping with TooLargeError at the line that
    makes `max_lines` lines holding a value, or `max_lines` + BLANK_MARGIN lines in all,
    and at the first text longer than MAX_CELL_CHARS: nothing past the cap is read."""
    filled = 0
    for number, values in enumerate(lines, start=1):
        filled += any(cell_text(v) for v in values)
        if filled > max_lines or number > max_lines + BLANK_MARGIN:
            raise TooLargeError(
                f"plus de {max_lines - 1} lignes sous les en-têtes : découpez le fichier.",
                sheet,
                number,
            )
        for i, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise TooLargeError(
                    f"cellule de {len(value)} caractères : {MAX_CELL_CHARS} au plus.",
                    sheet,
                    number,
                    _column_letter(i),
                    value[:50] + "…",
                )
        yield values


def sheet_rows(ws: Any, max_lines: int) -> Iterator[Sequence[Any]]:
    """The values of a worksheet's lines, header first, streamed and bounded (see
    `capped`), at most MAX_COLUMNS wide. The dimension the file declares is checked
    first: openpyxl pads every line up to it."""
    rows, columns = ws.max_row, ws.max_column
    if columns is not None and columns > MAX_COLUMNS:
        raise TooLargeError(
            f"la feuille déclare {columns} colonnes : {MAX_COLUMNS} au plus.",
            ws.title,
            value=str(columns),
        )
    if rows is not None and rows > max_lines + BLANK_MARGIN:
        raise TooLargeError(
            f"la feuille déclare {rows} lignes : plus de {max_lines - 1} lignes sous les "
            "en-têtes, découpez le fichier.",
            ws.title,
            value=str(rows),
        )
    lines = ws.iter_rows(max_col=columns or MAX_COLUMNS, values_only=True)
    return capped(lines, max_lines, ws.title)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def find_sheet(workbook: Any, name: str) -> Any | None:
    """The worksheet whose title folds like `name` ("projets " finds "Projets")."""
    return next(
        (ws for ws in workbook.worksheets if header_key(ws.title) == header_key(name)), None
    )


# --------------------------------------------------------------------------- writing
def xlsx_book(buffer: IO[bytes]) -> Any:
    """The xlsxwriter workbook every export writes, in memory, storing every string as
    text: a contributeur's source `=cmd|' /C calc'!A0` is never a formula, nor a
    `external:` link, in a workbook anyone downloads."""
    import xlsxwriter

    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    return xlsxwriter.Workbook(buffer, options)
