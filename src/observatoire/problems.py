"""A problem found in a user's file, located by file (or sheet), line, column and value,
and rendered in French: the one place that words where a problem is.

Shared by the national sources, the groupings reader, plan workbooks and partner data
files, which sit on different layers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    # A problem located in a sheet names the sheet; the file is named once, in the
    # report's heading.
    sheet: str | None = None
    kind: str = "fichier"  # how the file is called when no sheet is named ("classeur")

    def __str__(self) -> str:
        where = [f"feuille « {self.sheet} »" if self.sheet else f"{self.kind} « {self.file} »"]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            where.append(f"valeur « {shown} »")
        return ", ".join(where) + f" : {self.message}"


def render(problems: Sequence[Problem], where: str, outcome: str) -> str:
    """ "3 problèmes dans le fichier, rien n'a été importé :" then the first 50 problems."""
    n = len(problems)
    head = f"{n} problème{'s' if n > 1 else ''} {where}, {outcome} :"
    shown = [f"  - {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if n > MAX_PROBLEMS_SHOWN:
        shown.append(f"  ... et {n - MAX_PROBLEMS_SHOWN} autres problèmes.")
    return "\n".join([head, *shown])
