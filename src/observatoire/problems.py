"""A problem found in a user's file, located by file, line, column and value (French).

Shared by the national sources and the groupings reader, which sit on different layers."""

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

    def __str__(self) -> str:
        where = [f"fichier « {self.file} »"]
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
