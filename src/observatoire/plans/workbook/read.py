"""Read the sheets of a plan workbook and check its cells: every problem is reported
with its sheet, line, column and value (French). The checks between sheets are in
`workbook_checks`, the whole read in `workbook.read_workbook`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from observatoire import figures
from observatoire.plans.workbook import format as fmt
from observatoire.plans.workbook.format import Choices, Column
from observatoire.problems import Problem
from observatoire.tabular import (
    TooLargeError,
    UnreadableError,
    commune_code,
    find_sheet,
    header_key,
    match_header,
    open_workbook,
    records,
    sheet_rows,
)
from observatoire.territories import Level, Territory, TerritoryError

Source = str | Path | IO[bytes]
Row = dict[str, Any]


def source_name(source: Source) -> str:
    if isinstance(source, str | Path):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "classeur.xlsx")).name


def clean(value: Any) -> Any:
    """One form per cell value: stripped text (None when blank), int for whole numbers."""
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return text or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Sheet:
    """A sheet's data rows (line number, column key -> cleaned value) and the headers as
    written, to name columns in problems as the user wrote them."""

    def __init__(self, name: str, headers: dict[str, str], rows: list[tuple[int, Row]]):
        self.name = name
        self.headers = headers
        self.rows = rows

    def column(self, key: str) -> str:
        return self.headers.get(key, key)


class Reader:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.specs: dict[str, dict[str, Column]] = {}

    def problem(
        self,
        sheet: Sheet | str | None,
        message: str,
        line: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        name = sheet.name if isinstance(sheet, Sheet) else sheet
        if isinstance(sheet, Sheet) and column is not None:
            column = sheet.column(column)
        shown = None if value is None else as_text(value)
        self.problems.append(
            Problem(self.source, message, line, column, shown, name, kind="classeur")
        )

    # ------------------------------------------------------------------ sheets
    def sheets(self, workbook: Any) -> dict[str, Sheet]:
        found: dict[str, Sheet] = {}
        for name, columns in fmt.SHEETS.items():
            ws = find_sheet(workbook, name)
            if ws is None:
                self.problem(
                    name,
                    "feuille absente du classeur : le modèle compte les feuilles "
                    + ", ".join(fmt.SHEETS)
                    + " (même vides, avec leur ligne d'en-têtes).",
                )
                continue
            sheet = self._read_sheet(ws, columns)
            if sheet is not None:
                found[name] = sheet
        return found

    def _read_sheet(self, ws: Any, columns: tuple[Column, ...]) -> Sheet | None:
        spec = {c.name: c for c in columns}
        self.specs[ws.title] = spec
        try:
            return self._checked_sheet(ws, spec)
        except TooLargeError as exc:
            self.problem(ws.title, str(exc), exc.line, exc.column, exc.value)
            return None

    def _checked_sheet(self, ws: Any, spec: dict[str, Column]) -> Sheet | None:
        rows = sheet_rows(ws, fmt.MAX_LINES)
        header = match_header([clean(v) for v in next(rows, ())], tuple(spec.values()))
        listing = ", ".join(spec)
        for _, written in sorted(header.unknown + header.repeated):
            if header_key(written) in spec:
                self.problem(ws.title, "colonne en double.", 1, written)
            else:
                message = f"colonne inconnue : les colonnes de cette feuille sont {listing}."
                self.problem(ws.title, message, 1, written)
        for name in header.missing:
            self.problem(ws.title, "colonne obligatoire absente de la ligne 1.", 1, name)
        if header.repeated or header.missing:
            return None
        data = [
            (line, {k: clean(v) for k, v in row.items()}) for line, row in records(rows, header)
        ]
        return Sheet(ws.title, header.written, data)

    # ------------------------------------------------------------------ cells
    def empty(self, sheet: Sheet, line: int, row: Row, key: str, spec: Column | None) -> bool:
        """True for a blank cell, reported when the column (or `spec`) requires a value."""
        if row.get(key) is not None:
            return False
        if (spec or self.specs[sheet.name][key]).required:
            self.problem(sheet, "valeur obligatoire manquante.", line, key)
        return True

    def text(self, sheet: Sheet, line: int, row: Row, key: str, spec: Column | None = None) -> str:
        if self.empty(sheet, line, row, key, spec):
            return ""
        text = as_text(row[key])
        limit = (spec or self.specs[sheet.name][key]).max_length
        if limit is not None and len(text) > limit:
            self.problem(
                sheet,
                f"texte trop long ({len(text)} caractères, {limit} au plus).",
                line,
                key,
                text,
            )
        return text

    def choice(
        self,
        sheet: Sheet,
        line: int,
        row: Row,
        key: str,
        choices: Choices,
        default: str | None = None,
        spec: Column | None = None,
    ) -> str | None:
        if self.empty(sheet, line, row, key, spec):
            return default
        code = choices.code(as_text(row[key]))
        if code is None:
            self.problem(
                sheet,
                f"valeur inconnue : valeurs possibles {choices.listing()}.",
                line,
                key,
                row[key],
            )
        return None if code is None else str(code)

    def integer(
        self, sheet: Sheet, line: int, row: Row, key: str, spec: Column | None = None
    ) -> int | None:
        if self.empty(sheet, line, row, key, spec):
            return None
        value = row[key]
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(sheet, "nombre entier attendu.", line, key, row[key])
            return None
        return value

    def year(
        self,
        sheet: Sheet,
        line: int,
        row: Row,
        key: str,
        period: range | None = None,
        spec: Column | None = None,
    ) -> int | None:
        year = self.integer(sheet, line, row, key, spec)
        if year is None:
            return None
        if not fmt.FIRST_YEAR <= year <= fmt.LAST_YEAR:
            self.problem(sheet, "année invraisemblable (AAAA attendu).", line, key, year)
            return None
        if period is not None and year not in period:
            self.problem(
                sheet,
                f"année hors de la période du plan ({period[0]}-{period[-1]}).",
                line,
                key,
                year,
            )
            return None
        return year

    def amount(self, sheet: Sheet, line: int, row: Row, key: str) -> Decimal | None:
        value = row.get(key)
        if value is None:
            return None
        try:
            if isinstance(value, bool | date):
                raise InvalidOperation
            if isinstance(value, str):
                compact = "".join(value.replace("€", "").split()).replace(",", ".")
                number = Decimal(compact)
            else:
                number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.problem(
                sheet, "montant illisible : un nombre en euros attendu (1200000).", line, key, value
            )
            return None
        if number < 0:
            self.problem(sheet, "montant négatif : positif ou nul attendu.", line, key, value)
            return None
        if number > fmt.MAX_AMOUNT:
            self.problem(sheet, "montant trop grand.", line, key, value)
            return None
        return number.quantize(Decimal("0.01"))

    def date(
        self, sheet: Sheet, line: int, row: Row, key: str, spec: Column | None = None
    ) -> date | None:
        if self.empty(sheet, line, row, key, spec):
            return None
        value = row[key]
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return fmt.parse_date(as_text(value))
        except ValueError as exc:
            self.problem(sheet, f"{exc}.", line, key, value)
            return None

    def territory(
        self, sheet: Sheet, line: int, row: Row, key: str, spec: Column | None = None
    ) -> Territory | None:

        if self.empty(sheet, line, row, key, spec):
            return None
        value = row[key]
        raw = as_text(value)
        if ":" not in raw and len(code := commune_code(value)) == 5:
            raw = f"COM:{code}"
        try:
            t = Territory.parse(raw)
        except TerritoryError as exc:
            self.problem(sheet, str(exc), line, key, value)
            return None
        if not figures.exists(t):
            hint = (
                " : déclarez d'abord le regroupement (observatoire groupings import)."
                if t.level is Level.GRP
                else " (code officiel géographique en vigueur)."
            )
            self.problem(sheet, "territoire inconnu du référentiel" + hint, line, key, value)
            return None
        if len(t.id) > fmt.MAX_TERRITORY:
            self.problem(
                sheet,
                f"identifiant trop long ({fmt.MAX_TERRITORY} caractères au plus).",
                line,
                key,
                value,
            )
            return None
        return t


def numbers(value: Any) -> list[str]:
    """`actions_liees`: numbers separated by `;`."""
    return [n.strip() for n in as_text(value).split(";") if n.strip()]


def duplicates(
    reader: Reader, sheet: Sheet, seen: dict[Any, int], key: Any, line: int, column: str, what: str
) -> bool:
    """Record the first line of `key`; report later ones. True when `key` is new."""
    if key in seen:
        reader.problem(
            sheet, f"{what} en double (déjà ligne {seen[key]}).", line, column, _shown(key)
        )
        return False
    seen[key] = line
    return True


def known(
    reader: Reader,
    sheet: Sheet,
    line: int,
    key: str,
    number: str,
    numbers: set[str] | None,
    what: str,
) -> bool:
    """True when `number` is one of `numbers` (or they are unknown); reports it otherwise."""
    if not number or numbers is None or number in numbers:
        return bool(number)
    reader.problem(sheet, what, line, key, number)
    return False


def _shown(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join(as_text(k) for k in key)
    return as_text(key)


def load(source: Source) -> Any:
    """The openpyxl workbook (cached values, not formulas); TooLargeError past the
    bounds of `tabular`, ValueError when unreadable."""
    try:
        return open_workbook(source, fmt.MAX_LINES)
    except TooLargeError:
        raise
    except UnreadableError as exc:
        raise ValueError(
            "fichier illisible : un classeur Excel .xlsx est attendu "
            "(enregistrez-le au format « Classeur Excel (.xlsx) »)."
        ) from exc


def rows(sheet: Sheet | None) -> Iterable[tuple[Sheet, int, Row]]:
    if sheet is None:
        return []
    return [(sheet, line, row) for line, row in sheet.rows]
