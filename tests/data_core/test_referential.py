from __future__ import annotations

import polars as pl
import pytest

from observatoire.territories import FRANCE, Level, Territory, TerritoryError
from observatoire.territories.referential import COG_YEAR, Grouping, fold, mouvements, national

TARGET_DEPS = ("14", "46", "53", "59", "62")
CALL = "246200364"  # CA de Lens-Liévin
LENS = Territory(Level.COM, "62498")


def t(text: str) -> Territory:
    return Territory.parse(text)


def test_cog_2026_counts_of_the_target_departements() -> None:
    ref = national()
    counts = {d: sum(1 for dep in ref.commune_dep.values() if dep == d) for d in TARGET_DEPS}
    # SOURCES.md §1, commune-actuelle per département
    assert counts == {"14": 526, "46": 312, "53": 240, "59": 647, "62": 887}
    assert len(ref.commune_dep) == 34969
    assert len(ref.epci_members) == 1255
    assert COG_YEAR == 2026


def test_ca_lens_lievin_has_36_communes() -> None:
    ref = national()
    members = ref.communes_of(t(f"EPCI:{CALL}"))
    assert len(members) == 36
    assert "62498" in members and "62510" in members
    assert ref.name(t(f"EPCI:{CALL}")) == "CA de Lens - Liévin"
    assert all(ref.commune_epci[c] == CALL for c in members)


def test_six_of_the_72_epci_touching_the_targets_cross_a_departement_border() -> None:
    ref = national()
    touching = {
        e
        for e, members in ref.epci_members.items()
        if any(ref.commune_dep[c] in TARGET_DEPS for c in members)
    }
    crossing = {e for e in touching if len({ref.commune_dep[c] for c in ref.epci_members[e]}) > 1}
    assert len(touching) == 72
    names = {ref.name(Territory(Level.EPCI, e)) for e in crossing}
    assert names == {
        "CC du Pays de Honfleur-Beuzeville",
        "CC Grand-Figeac",
        "CC Ouest Aveyron Communauté",
        "CC du Ternois",
        "CC Flandre Lys",
        "CC du Pays Sabolien",
    }
    # such an EPCI is compared with both of its départements
    flandre_lys = next(
        e for e in crossing if ref.name(Territory(Level.EPCI, e)) == "CC Flandre Lys"
    )
    refs = ref.referents(Territory(Level.EPCI, flandre_lys))
    assert refs == [t("DEP:59"), t("DEP:62"), t("REG:32"), FRANCE]


def test_referents_of_lens() -> None:
    assert national().referents(LENS) == [t(f"EPCI:{CALL}"), t("DEP:62"), t("REG:32"), FRANCE]
    assert national().referents(t("DEP:62")) == [t("REG:32"), FRANCE]
    assert national().referents(FRANCE) == []


def test_search_is_accent_and_case_insensitive() -> None:
    found = national().search("lievin")
    assert found[:2] == [t("COM:62510"), t(f"EPCI:{CALL}")]  # exact name first, then the CA
    assert t("COM:62510") in national().search("LIÉVIN")
    assert national().search("62498")[0] == LENS
    assert national().search("  ") == []
    assert fold("Saint-Étienne-d’Orthe") == "saint etienne d orthe"


def test_children() -> None:
    ref = national()
    communes = ref.children(t("DEP:62"), Level.COM)
    assert len(communes) == 887
    assert communes == sorted(communes)
    assert t(f"EPCI:{CALL}") in ref.children(t("DEP:62"))
    assert ref.children(t("REG:32")) == [t(f"DEP:{d}") for d in ("02", "59", "60", "62", "80")]
    assert ref.children(LENS) == []
    assert len(ref.children(t(f"EPCI:{CALL}"))) == 36


def test_unknown_territory_is_a_french_error() -> None:
    with pytest.raises(TerritoryError, match="« COM:99999 » absent du référentiel \\(COG 2026\\)"):
        national().name(t("COM:99999"))
    with pytest.raises(TerritoryError, match="invalide pour le niveau commune"):
        Territory.parse("COM:ABCDE")
    assert Territory.parse("com:1001") == Territory(Level.COM, "01001")  # lost leading zero


def test_arrondissements_and_populations() -> None:
    ref = national()
    assert len(ref.arrondissements) == 45
    assert ref.arrondissements["75101"] == "75056"
    assert ref.arrondissements["69381"] == "69123"
    assert ref.arrondissements["13201"] == "13055"
    assert not set(ref.arrondissements) & set(ref.commune_dep)
    assert ref.commune_population["62498"] > 30000


def test_membership_and_groupings() -> None:
    ref = national().with_groupings(
        [Grouping("anru", "Communes ANRU", "secteur PLH", ("62498", "62510"))]
    )
    grp = t("GRP:anru")
    assert ref.name(grp) == "Communes ANRU"
    assert ref.communes_of(grp) == ("62498", "62510")
    assert ref.referents(grp) == [t("DEP:62"), t("REG:32"), FRANCE]
    assert ref.search("anru")[0] == grp
    m = ref.membership()
    assert m.filter((pl.col("level") == "EPCI") & (pl.col("code") == CALL)).height == 36
    assert m.filter(pl.col("level") == "GRP")["commune"].to_list() == ["62498", "62510"]
    # France of the statistics: metropolitan and DROM communes, as INSEE's COM list (34,875);
    # the referential also lists 94 communes of the collectivités d'outre-mer
    assert m.filter(pl.col("level") == "FR").height == 34875
    assert len(ref.communes_of(FRANCE)) == 34875
    assert not national().groupings  # the shared national referential is not modified


def test_events_file_is_shipped() -> None:
    rows = mouvements()
    assert len(rows) == 13734
    assert set(rows[0]) == {
        "MOD",
        "DATE_EFF",
        "TYPECOM_AV",
        "COM_AV",
        "LIBELLE_AV",
        "TYPECOM_AP",
        "COM_AP",
        "LIBELLE_AP",
    }
