"""Words agreed with a number, written once (observatoire.words): "1 site", "2 sites",
never "1 sites" nor "commune(s)"; and the plural of each level for "communes du Lot"."""

from __future__ import annotations

import pytest

from observatoire.territories import Level, Territory
from observatoire.territories.articles import of_name
from observatoire.territories.referential import national
from observatoire.words import agreed, counted


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 site"), (1, "1 site"), (2, "2 sites"), (36, "36 sites"), (1234, "1\u202f234 sites")],
)
def test_counted_site(count: int, expected: str) -> None:
    assert counted(count, "site") == expected


def test_phrase_and_irregular_plural() -> None:
    assert counted(1, "réponse à un appel", "réponses à un appel") == "1 réponse à un appel"
    assert counted(3, "réponse à un appel", "réponses à un appel") == "3 réponses à un appel"
    assert agreed(2, "recensé") == "recensés" and agreed(1, "recensé") == "recensé"


@pytest.mark.parametrize(
    ("level", "within", "expected"),
    [
        (Level.COM, "DEP:62", "communes du Pas-de-Calais"),
        (Level.EPCI, "DEP:46", "intercommunalités du Lot"),
        (Level.COM, "DEP:53", "communes de la Mayenne"),
        (Level.DEP, "REG:32", "départements des Hauts-de-France"),
        (Level.COM, "EPCI:246200364", "communes de la CA de Lens - Liévin"),
    ],
)
def test_members_of_a_territory(level: Level, within: str, expected: str) -> None:
    t = Territory.parse(within)
    assert f"{level.plural} {of_name(t, national().name(t))}" == expected
