"""A territory's name after "de": "du Pas-de-Calais", "de la CA de Lens - Liévin",
"d'Arras", "des Hauts-de-France", "de la France".

Communes, départements and régions: the INSEE TNCC ("type de nom en clair") of COG 2026,
shipped in data/articles.csv.gz (scripts/make_articles.py). A commune's name carries its
article ("Le Touquet-Paris-Plage" -> "du Touquet-Paris-Plage"); a département's or a
région's does not ("Pas-de-Calais", TNCC 2 -> "du Pas-de-Calais"). The TNCC is followed as
INSEE gives it, e.g. "de Normandie", "de La Réunion".

EPCI and groupings have no TNCC: an EPCI named after its legal form ("CA ...", "CC ...",
"CU ...", "Métropole ...", "Communauté ...", "Eurométropole ...") is feminine ("de la CA de
Lens - Liévin"); any other name, and every grouping, takes "de", elided before a vowel."""

from __future__ import annotations

import csv
import gzip
from functools import cache
from importlib import resources

from observatoire.territories.model import Level, Territory

# TNCC -> (article as written at the start of a commune's name, charnière after "de").
_TNCC = {
    0: ("", "de "),
    1: ("", "d'"),
    2: ("Le ", "du "),
    3: ("La ", "de la "),
    4: ("Les ", "des "),
    5: ("L'", "de l'"),
    6: ("Aux ", "des "),
    7: ("Las ", "de las "),
    8: ("Los ", "de los "),
}
_FEMININE_EPCI = ("CA ", "CC ", "CU ", "Métropole", "Communauté", "Eurométropole")
_VOWELS = "AEIOUYÂÊÎÔÛÉÈËÏÜŒaeiouyâêîôûéèëïüœ"


@cache
def _types() -> dict[tuple[str, str], int]:
    ref = resources.files("observatoire.territories") / "data" / "articles.csv.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return {(r["level"], r["code"]): int(r["tncc"]) for r in csv.DictReader(fh, delimiter=";")}


def _elided(name: str) -> str:
    return f"d'{name}" if name[:1] in _VOWELS else f"de {name}"


def of_name(territory: Territory, name: str) -> str:
    """`name` (the territory's name) preceded by "de" as French writes it."""
    if territory.level is Level.FR:
        return "de la France"
    if territory.level is Level.EPCI:
        return f"de la {name}" if name.startswith(_FEMININE_EPCI) else _elided(name)
    if territory.level is Level.GRP:
        return _elided(name)
    tncc = _types().get((territory.level.value, territory.code))
    if tncc is None:
        return _elided(name)
    article, charniere = _TNCC.get(tncc, _TNCC[0])
    if article and name.startswith(article):
        name = name[len(article) :]
    return f"{charniere}{name}"
