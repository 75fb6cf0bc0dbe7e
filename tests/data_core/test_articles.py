"""A territory's name after "de", from the INSEE TNCC shipped with the referential
(communes, départements, régions) and the documented rule for EPCI and France."""

from __future__ import annotations

import pytest

from observatoire.territories import Territory
from observatoire.territories.articles import of_name
from observatoire.territories.referential import national


@pytest.mark.parametrize(
    ("territory", "expected"),
    [
        ("COM:62498", "de Lens"),
        ("COM:62041", "d'Arras"),  # TNCC 1
        ("COM:62826", "du Touquet-Paris-Plage"),  # "Le Touquet-Paris-Plage", TNCC 2
        ("COM:59350", "de Lille"),
        ("DEP:62", "du Pas-de-Calais"),
        ("DEP:46", "du Lot"),
        ("DEP:76", "de la Seine-Maritime"),
        ("DEP:01", "de l'Ain"),
        ("REG:32", "des Hauts-de-France"),
        ("REG:76", "d'Occitanie"),  # TNCC 1, as INSEE writes it
        ("EPCI:246200364", "de la CA de Lens - Liévin"),
        ("EPCI:200033579", "de la CU d'Arras"),
        ("FR", "de la France"),
    ],
)
def test_name_after_de(territory: str, expected: str) -> None:
    t = Territory.parse(territory)
    assert of_name(t, national().name(t)) == expected
