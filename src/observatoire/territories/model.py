"""`Territory(level, code)`: the only way a territory travels through the code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from observatoire.errors import UserError


class TerritoryError(UserError, ValueError):
    """A territory identifier that cannot be parsed or is not in the referential."""


class Level(StrEnum):
    COM = "COM"
    EPCI = "EPCI"
    DEP = "DEP"
    REG = "REG"
    FR = "FR"
    GRP = "GRP"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def plural(self) -> str:
        """The level's members in a sentence: "les communes du Pas-de-Calais"."""
        return _PLURALS[self]


_LABELS = {
    Level.COM: "commune",
    Level.EPCI: "intercommunalité (EPCI)",
    Level.DEP: "département",
    Level.REG: "région",
    Level.FR: "France",
    Level.GRP: "regroupement",
}

_PLURALS = {
    Level.COM: "communes",
    Level.EPCI: "intercommunalités",
    Level.DEP: "départements",
    Level.REG: "régions",
    Level.FR: "France",
    Level.GRP: "regroupements",
}

_CODE_PATTERNS = {
    Level.COM: re.compile(r"^(\d{5}|2[AB]\d{3})$"),
    Level.EPCI: re.compile(r"^\d{9}$"),
    Level.DEP: re.compile(r"^(\d{2}|2[AB]|9[78]\d)$"),
    Level.REG: re.compile(r"^\d{2,3}$"),
    Level.FR: re.compile(r"^FR$"),
    Level.GRP: re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$"),
}


@dataclass(frozen=True, order=True)
class Territory:
    level: Level
    code: str

    def __post_init__(self) -> None:
        if not isinstance(self.level, Level):
            object.__setattr__(self, "level", Level(self.level))
        if not _CODE_PATTERNS[self.level].match(self.code):
            raise TerritoryError(
                f"Code « {self.code} » invalide pour le niveau {self.level.label}."
            )

    @classmethod
    def parse(cls, text: str) -> Territory:
        """Parse `COM:62498`, `EPCI:246200364`, `DEP:62`, `REG:32`, `FR`, `GRP:slug`."""
        raw = text.strip()
        if raw.upper() == "FR":
            return FRANCE
        level_text, sep, code = raw.partition(":")
        if not sep:
            raise TerritoryError(
                f"Territoire « {text} » illisible : utilisez NIVEAU:CODE, par exemple "
                "COM:62498, EPCI:246200364, DEP:62, REG:32, FR ou GRP:mon-secteur."
            )
        try:
            level = Level(level_text.strip().upper())
        except ValueError:
            raise TerritoryError(
                f"Niveau « {level_text} » inconnu : niveaux possibles COM, EPCI, DEP, REG, FR, GRP."
            ) from None
        code = code.strip()
        if level is Level.COM:
            code = code.upper().zfill(5)
        elif level is Level.DEP:
            code = code.upper().zfill(2)
        elif level is Level.GRP:
            code = code.lower()
        return cls(level, code)

    @property
    def id(self) -> str:
        return "FR" if self.level is Level.FR else f"{self.level.value}:{self.code}"

    def __str__(self) -> str:
        return self.id


FRANCE = Territory(Level.FR, "FR")
