"""Read and check a whole plan workbook before anything is saved: every problem is
reported with its sheet, line, column and value (French)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from observatoire import figures
from observatoire.plans import workbook_format as fmt
from observatoire.plans.workbook_format import Choices, Column, ParsedPlan, SheetProblem
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
        self.problems: list[SheetProblem] = []
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
        self.problems.append(SheetProblem(self.source, message, line, column, shown, name))

    # ------------------------------------------------------------------ sheets
    def sheets(self, workbook: Any) -> dict[str, Sheet]:
        by_key = {fmt.header_key(ws.title): ws for ws in workbook.worksheets}
        found: dict[str, Sheet] = {}
        for name, columns in fmt.SHEETS.items():
            ws = by_key.get(fmt.header_key(name))
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
        rows = ws.iter_rows(values_only=True)
        header = [clean(v) for v in next(rows, ())]
        positions: dict[str, int] = {}
        written: dict[str, str] = {}
        ok = True
        for i, raw in enumerate(header):
            if raw is None:
                continue
            key = fmt.header_key(as_text(raw))
            if key not in spec:
                self.problem(
                    ws.title,
                    "colonne inconnue : les colonnes de cette feuille sont "
                    + ", ".join(spec)
                    + ".",
                    1,
                    as_text(raw),
                )
            elif key in positions:
                self.problem(ws.title, "colonne en double.", 1, as_text(raw))
                ok = False
            else:
                positions[key] = i
                written[key] = as_text(raw)
        for c in columns:
            if c.required and c.name not in positions:
                self.problem(ws.title, "colonne obligatoire absente de la ligne 1.", 1, c.name)
                ok = False
        if not ok:
            return None
        data: list[tuple[int, Row]] = []
        for line, values in enumerate(rows, start=2):
            row = {k: clean(values[i]) if i < len(values) else None for k, i in positions.items()}
            if any(v is not None for v in row.values()):
                data.append((line, row))
        return Sheet(ws.title, written, data)

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
        if isinstance(value, int):
            raw = raw.zfill(5)
        if ":" not in raw and len(raw) == 5:
            raw = f"COM:{raw}"
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


def _shown(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join(as_text(k) for k in key)
    return as_text(key)


def load(source: Source) -> Any:
    """The openpyxl workbook (cached values, not formulas); ValueError when unreadable."""
    from openpyxl import load_workbook

    try:
        handle: Any = source
        if not isinstance(source, str | Path) and hasattr(source, "seek"):
            source.seek(0)
        return load_workbook(handle, data_only=True)
    # Any failure of the parser on an untrusted file is the same answer for the user.
    except Exception as exc:
        raise ValueError(
            "fichier illisible : un classeur Excel .xlsx est attendu "
            "(enregistrez-le au format « Classeur Excel (.xlsx) »)."
        ) from exc


def rows(sheet: Sheet | None) -> Iterable[tuple[Sheet, int, Row]]:
    if sheet is None:
        return []
    return [(sheet, line, row) for line, row in sheet.rows]


def read_workbook(source: Source) -> tuple[ParsedPlan | None, list[SheetProblem]]:
    """The checked plan, or None and every problem found (nothing is saved here)."""
    from observatoire.plans import workbook_checks

    name = source_name(source)
    reader = Reader(name)
    try:
        workbook = load(source)
    except ValueError as exc:
        reader.problem(None, str(exc))
        return None, reader.problems
    try:
        sheets = reader.sheets(workbook)
    finally:
        workbook.close()
    plan = workbook_checks.check(reader, sheets)
    if reader.problems:
        order = {fmt.header_key(name): i for i, name in enumerate(fmt.SHEETS)}
        reader.problems.sort(
            key=lambda p: (order.get(fmt.header_key(p.sheet or ""), -1), p.line or 0)
        )
        return None, reader.problems
    return plan, []
