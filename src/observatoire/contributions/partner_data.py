"""Partner data files (docs/modele-donnees-partenaires.md): a commune's housing projects
(sheet `Projets`) and a bailleur's programming (sheet `Programmation`), as an .xlsx
workbook or a CSV file. Everything is read and checked before anything is saved: each
problem is located by sheet, line, column and value."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import asdict, dataclass
from typing import Any

from observatoire import figures
from observatoire.accounts.permissions import in_scope
from observatoire.plans.models import Operation
from observatoire.problems import Problem
from observatoire.tabular import (
    Column,
    TooLargeError,
    UnreadableError,
    capped,
    cell_text,
    commune_code,
    csv_delimiter,
    decode,
    find_sheet,
    header_key,
    match_header,
    open_workbook,
    records,
    sheet_rows,
)
from observatoire.territories import Level, Territory, TerritoryError

PROJETS, PROGRAMMATION = "Projets", "Programmation"
TEMPLATES = {PROJETS: "projets", PROGRAMMATION: "programmation"}
PRODUCTS = ("plai", "plus", "pls", "psla", "accession_libre", "locatif_libre")
STAGES = tuple(str(s) for s in Operation.Stage.values)
# Columns of each sheet, in the template's order (docs/modele-donnees-partenaires.md);
# a required column must be in the header line, its values are checked line by line.
SPECS: dict[str, tuple[Column, ...]] = {
    PROJETS: (
        Column("commune", True),
        Column("adresse", False, 300),
        Column("operation", True, 300),
        Column("logements", True),
        Column("produit", True),
        Column("annee_prevue", True),
        Column("stade", True),
    ),
    PROGRAMMATION: (
        Column("commune", True),
        Column("operation", True, 300),
        Column("logements", True),
        Column("produit", True),
        Column("annee_financement", True),
        Column("bailleur", False, 200),
    ),
}
COLUMNS = {sheet: tuple(c.name for c in specs) for sheet, specs in SPECS.items()}
YEAR_COLUMN = {PROJETS: "annee_prevue", PROGRAMMATION: "annee_financement"}
MAX_ROWS = 5000
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class PartnerRow:
    sheet: str
    line: int
    territory: str  # "COM:62498"
    address: str
    name: str
    dwellings: int
    product: str
    year: int
    stage: str
    bailleur: str

    @property
    def template(self) -> str:
        return TEMPLATES[self.sheet]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Checker:
    """Checks the lines of one file; the scope of communes is asked once per commune."""

    def __init__(self, file_name: str, user: Any):

        self.file_name = file_name
        self.user = user
        self.ref = figures.referential()
        self.problems: list[Problem] = []
        self.rows: list[PartnerRow] = []
        self._scope: dict[str, bool] = {}

    def problem(
        self, sheet: str, line: int | None, column: str | None, value: str | None, message: str
    ) -> None:
        self.problems.append(Problem(self.file_name, message, line, column, value, sheet))

    def sheet(self, sheet: str, table: list[list[Any]]) -> None:
        """`table`: the sheet's lines, headers first."""
        if not table:
            self.problem(
                sheet,
                None,
                None,
                None,
                "la feuille est vide : la ligne 1 doit porter les en-têtes.",
            )
            return
        header = match_header(table[0], SPECS[sheet])
        for c in header.missing:
            self.problem(sheet, 1, c, None, f"colonne « {c} » absente de la ligne des en-têtes.")
        if header.missing:
            return
        lines = list(records(table[1:], header))
        if not lines:
            self.problem(sheet, None, None, None, "aucune ligne de données sous les en-têtes.")
        for n, row in lines:
            self.line(sheet, n, {c: cell_text(v) for c, v in row.items()})

    def line(self, sheet: str, n: int, v: dict[str, str]) -> None:
        before = len(self.problems)
        commune = self.commune(sheet, n, v["commune"])
        name = v["operation"]
        if not name:
            self.problem(sheet, n, "operation", "", "nom de l'opération manquant.")
        elif len(name) > 300:
            self.problem(sheet, n, "operation", name, "nom trop long (300 caractères au plus).")
        dwellings = self.count(sheet, n, v["logements"])
        product = header_key(v["produit"])
        if not product:
            self.problem(
                sheet,
                n,
                "produit",
                "",
                "produit manquant : valeurs possibles " + ", ".join(PRODUCTS) + ".",
            )
        elif product not in PRODUCTS:
            self.problem(
                sheet,
                n,
                "produit",
                v["produit"],
                "produit inconnu : valeurs possibles " + ", ".join(PRODUCTS) + ".",
            )
        year_col = YEAR_COLUMN[sheet]
        year = self.year(sheet, n, year_col, v[year_col])
        stage = header_key(v.get("stade", "")) if sheet == PROJETS else "financee"
        if not stage:
            self.problem(
                sheet,
                n,
                "stade",
                "",
                "stade manquant : valeurs possibles " + ", ".join(STAGES) + ".",
            )
        elif stage not in STAGES:
            self.problem(
                sheet,
                n,
                "stade",
                v.get("stade", ""),
                "stade inconnu : valeurs possibles " + ", ".join(STAGES) + ".",
            )
        address, bailleur = v.get("adresse", ""), v.get("bailleur", "")
        for column, text, limit in (("adresse", address, 300), ("bailleur", bailleur, 200)):
            if len(text) > limit:
                self.problem(
                    sheet, n, column, text, f"texte trop long ({limit} caractères au plus)."
                )
        if len(self.problems) == before and commune and dwellings and year:
            self.rows.append(
                PartnerRow(
                    sheet, n, commune, address, name, dwellings, product, year, stage, bailleur
                )
            )

    def commune(self, sheet: str, n: int, raw: str) -> str | None:
        if not raw:
            self.problem(sheet, n, "commune", "", "code commune manquant.")
            return None
        try:
            t = Territory(Level.COM, commune_code(raw))
        except TerritoryError:
            t = None
        if t is None or not self.ref.exists(t):
            self.problem(
                sheet,
                n,
                "commune",
                raw,
                "code commune inconnu du code officiel géographique (code INSEE à 5 caractères, par exemple 62498).",
            )
            return None
        if t.id not in self._scope:
            self._scope[t.id] = in_scope(self.user, t)
        if not self._scope[t.id]:
            self.problem(
                sheet,
                n,
                "commune",
                raw,
                f"{self.ref.name(t)} est hors du périmètre de votre compte : vous ne pouvez déposer de données que pour les communes de votre périmètre.",
            )
            return None
        return t.id

    def count(self, sheet: str, n: int, raw: str) -> int | None:
        number = _integer(raw)
        if number is None:
            self.problem(sheet, n, "logements", raw, "nombre de logements attendu (nombre entier).")
            return None
        if number <= 0:
            self.problem(sheet, n, "logements", raw, "le nombre de logements doit être positif.")
            return None
        if number > 100_000:
            self.problem(
                sheet, n, "logements", raw, "nombre de logements invraisemblable (plus de 100 000)."
            )
            return None
        return number

    def year(self, sheet: str, n: int, column: str, raw: str) -> int | None:
        year = _integer(raw)
        if year is None:
            self.problem(
                sheet, n, column, raw, "année attendue (nombre à 4 chiffres, par exemple 2026)."
            )
            return None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            self.problem(sheet, n, column, raw, f"année hors de la plage {FIRST_YEAR}-{LAST_YEAR}.")
            return None
        return year


def _integer(raw: str) -> int | None:
    text = raw.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if text.endswith(",0") or text.endswith(".0"):
        text = text[:-2]
    if not text.lstrip("-").isdigit():
        return None
    return int(text)


def read(
    content: bytes, file_name: str, user: Any, csv_template: str = "projets"
) -> tuple[list[PartnerRow], list[Problem]]:
    """The rows of a partner file and every problem found; rows are meaningful only
    when there is no problem at all."""
    checker = Checker(file_name, user)
    name = file_name.lower()
    if not name.endswith((".xlsx", ".csv")):
        checker.problem(
            "",
            None,
            None,
            file_name,
            "format non accepté : déposez un classeur .xlsx ou un fichier .csv.",
        )
        return [], checker.problems
    try:
        if name.endswith(".xlsx"):
            for sheet, table in _xlsx_tables(content, checker):
                checker.sheet(sheet, table)
        else:
            sheet = PROJETS if csv_template == "projets" else PROGRAMMATION
            lines = _csv_table(content, checker, sheet)
            if lines is not None:
                checker.sheet(sheet, lines)
    except TooLargeError as exc:
        checker.problem(exc.sheet or "", exc.line, exc.column, exc.value, str(exc))
    return (checker.rows if not checker.problems else []), checker.problems


def _xlsx_tables(content: bytes, checker: Checker) -> list[tuple[str, list[list[Any]]]]:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        checker.problem(
            "", None, None, None, "ce fichier n'est pas un classeur Excel .xlsx lisible."
        )
        return []
    try:
        wb = open_workbook(content, MAX_ROWS + 1)
    except TooLargeError:
        raise
    except UnreadableError:
        checker.problem("", None, None, None, "ce classeur .xlsx est illisible ou endommagé.")
        return []
    out = []
    try:
        for sheet in SPECS:
            ws = find_sheet(wb, sheet)
            if ws is not None:
                out.append((sheet, [list(r) for r in sheet_rows(ws, MAX_ROWS + 1)]))
    finally:
        wb.close()
    if not out:
        checker.problem(
            "",
            None,
            None,
            ", ".join(wb.sheetnames),
            f"aucune feuille « {PROJETS} » ni « {PROGRAMMATION} » dans le classeur.",
        )
    return out


def _csv_table(content: bytes, checker: Checker, sheet: str) -> list[list[Any]] | None:
    text = decode(content)
    if "\x00" in text:
        checker.problem(sheet, None, None, None, "ce fichier n'est pas un fichier texte CSV.")
        return None
    lines = csv.reader(io.StringIO(text), delimiter=csv_delimiter(text))
    try:
        return [list(r) for r in capped(lines, MAX_ROWS + 1, sheet)]
    # The csv module refuses a field of more than 131,072 characters.
    except csv.Error:
        checker.problem(
            sheet,
            lines.line_num,
            None,
            None,
            (
                "ligne illisible : un champ de plus de 131 072 caractères "
                "ou des guillemets mal fermés."
            ),
        )
        return None
