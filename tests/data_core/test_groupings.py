from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatoire.territories import Level, Territory
from observatoire.territories.groupings import (
    GroupingError,
    load_groupings,
    save_groupings,
    suggest_slug,
)
from observatoire.territories.referential import Grouping, national

DEMO = Path(__file__).parents[2] / "src/observatoire/data/demo/groupings/regroupements-demo.csv"
HEADER = "regroupement;libelle;type;code_commune;nom_commune\n"


def write(tmp_path: Path, text: str, name: str = "secteurs.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_of(path: Path) -> GroupingError:
    with pytest.raises(GroupingError) as info:
        load_groupings(path)
    return info.value


def test_demo_file_loads_the_three_documented_groupings() -> None:
    found = {g.slug: g for g in load_groupings(DEMO)}
    assert list(found) == [
        "call-communes-anru",
        "call-cites-minieres-unesco",
        "nord-pdh-mel-pevele",
    ]
    anru = found["call-communes-anru"]
    assert anru.kind == "secteur PLH"
    assert set(anru.communes) == {"62065", "62498", "62032", "62510", "62133"}
    assert len(found["call-cites-minieres-unesco"].communes) == 16
    ref = national()
    mel = found["nord-pdh-mel-pevele"]
    assert mel.kind == "secteur PDH"
    assert set(mel.communes) == set(ref.epci_members["200093201"]) | set(
        ref.epci_members["200041960"]
    )
    assert len(mel.communes) == 95 + 38
    # every commune of the CALL groupings is in the CA de Lens-Liévin
    call = set(ref.epci_members["246200364"])
    assert set(found["call-cites-minieres-unesco"].communes) <= call
    # usable as territories
    with_groups = ref.with_groupings(found.values())
    grp = Territory.parse("GRP:call-communes-anru")
    assert with_groups.name(grp) == anru.name
    assert Territory(Level.EPCI, "246200364") not in with_groups.referents(grp)
    assert with_groups.referents(grp)[0] == Territory(Level.DEP, "62")


def test_latin1_excel_export_with_lost_zeros_and_loose_header(tmp_path: Path) -> None:
    text = (
        "Regroupement;Libellé;Type;Code commune;Nom commune\r\n"
        "secteur-ain;Secteur de l'Ain;autre;1001;L'Abergement-Clémenciat\r\n"
        "secteur-ain;Secteur de l'Ain;autre; 1004 ;Ambérieu-en-Bugey\r\n"
        ";;;;\r\n"
        "\r\n"
        "corse;Corse du Sud;autre;2a004;Ajaccio\r\n"
    )
    path = write(tmp_path, text, encoding="cp1252")
    found = load_groupings(path)
    assert found == [
        Grouping("secteur-ain", "Secteur de l'Ain", "autre", ("01001", "01004")),
        Grouping("corse", "Corse du Sud", "autre", ("2A004",)),
    ]


def test_utf8_bom_and_utf16_are_read(tmp_path: Path) -> None:
    text = HEADER + "pole-urbain;Pôle urbain;secteur PLH;62498;Lens\n"
    expected = [Grouping("pole-urbain", "Pôle urbain", "secteur PLH", ("62498",))]
    assert load_groupings(write(tmp_path, "\ufeff" + text, "bom.csv")) == expected
    assert load_groupings(write(tmp_path, text, "u16.csv", encoding="utf-16")) == expected


def test_round_trip_save_load_is_identical(tmp_path: Path) -> None:
    original = load_groupings(DEMO)
    target = tmp_path / "data" / "regroupements.csv"
    save_groupings(original, target)
    assert load_groupings(target) == original
    # the canonical file of the demo is what save writes
    assert target.read_bytes() == DEMO.read_bytes()
    assert not [p for p in target.parent.iterdir() if p.name != target.name]  # no temp file left
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
            st.text(
                alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=30
            )
            .map(lambda s: " ".join(s.split()))
            .filter(bool),
            st.sampled_from(["SCOT", "secteur PLH", "secteur PDH", "PLH", "autre"]),
            st.lists(
                st.sampled_from(sorted(national().commune_dep)[:3000]),
                unique=True,
                min_size=1,
                max_size=8,
            ),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda t: t[0],
    )
)
def test_round_trip_any_groupings(tmp_path_factory: pytest.TempPathFactory, items: list) -> None:
    groups = [Grouping(slug, name, kind, tuple(codes)) for slug, name, kind, codes in items]
    path = tmp_path_factory.mktemp("rt") / "g.csv"
    save_groupings(groups, path)
    assert load_groupings(path) == groups


def test_every_row_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = HEADER + (
        "secteur-nord;Secteur Nord;secteur PLH;62498;Lens\n"  # line 2, fine
        "secteur-nord;Secteur Nord;secteur PLH;62498;Lens\n"  # 3: listed twice
        "secteur-nord;Secteur du Nord;secteur PLH;62510;Liévin\n"  # 4: other libellé
        "Secteur Sud;Secteur Sud;secteur PLH;62065;Avion\n"  # 5: bad slug
        "secteur-sud;Secteur Sud;secteur PLH;99999;Nulle part\n"  # 6: unknown code
        "secteur-sud;Secteur Sud;secteur PLH;62461;Huby-Saint-Leu\n"  # 7: merged in 2025
        "secteur-sud;Secteur Sud;secteur PLH;75101;Paris 1er\n"  # 8: arrondissement
        "secteur-sud;;;;\n"  # 9: empty values
        "secteur-sud;Secteur Sud;SCOT;62032;Angres;oups\n"  # 10: other type, extra value
    )
    err = error_of(write(tmp_path, text))
    by_line = {p.line: p for p in err.problems}
    message = str(err)
    assert message.startswith(f"{len(err.problems)} problèmes dans les regroupements")
    assert (
        "fichier « secteurs.csv », ligne 3, colonne « code_commune », valeur « 62498 »" in message
    )
    assert "déjà listée dans le regroupement « secteur-nord » (ligne 2)" in by_line[3].message
    assert by_line[4].column == "libelle" and by_line[4].value == "Secteur du Nord"
    assert "« Secteur Nord » à la ligne 2" in by_line[4].message
    assert by_line[5].column == "regroupement" and by_line[5].value == "Secteur Sud"
    assert "« secteur-sud »" in by_line[5].message  # a suggestion
    assert by_line[6].value == "99999" and "inconnu du COG 2026" in by_line[6].message
    assert "62447 (Hesdin-la-Forêt)" in by_line[7].message
    assert "75056 (Paris)" in by_line[8].message
    line9 = {p.column for p in err.problems if p.line == 9}
    assert line9 == {"libelle", "type", "code_commune"}
    line10 = {(p.column, p.value) for p in err.problems if p.line == 10}
    assert line10 == {(None, "oups"), ("type", "SCOT")}
    assert len(err.problems) == 11


def test_empty_file(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, ""))
    assert str(err.problems[0]) == "fichier « secteurs.csv » : le fichier est vide."
    err = error_of(write(tmp_path, "  \n\n", "blank.csv"))
    assert "vide" in err.problems[0].message
    err = error_of(write(tmp_path, HEADER, "header.csv"))
    assert "ne contient que la ligne d'en-tête" in err.problems[0].message


def test_missing_column_names_what_is_expected_and_found(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "regroupement;nom;code\nsecteur;Secteur;62498\n"))
    (problem,) = err.problems
    assert problem.line == 1
    assert "libelle, type, code_commune" in problem.message
    assert "colonnes trouvées : regroupement, nom, code" in problem.message


def test_comma_separated_file_is_explained(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "regroupement,libelle,type,code_commune\na,A,SCOT,62498\n"))
    assert "séparateur « ; » attendu" in err.problems[0].message
    assert "« , »" in err.problems[0].message


def test_missing_file(tmp_path: Path) -> None:
    err = error_of(tmp_path / "absent.csv")
    assert "absent.csv" in str(err) and "illisible" in str(err)


def test_save_refuses_bad_groupings_and_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "regroupements.csv"
    good = [Grouping("a", "A", "SCOT", ("62498",))]
    save_groupings(good, target)
    before = target.read_bytes()
    bad = [Grouping("Pas Bon", "X", "SCOT", ("62498", "62498", "99999"))]
    with pytest.raises(GroupingError) as info:
        save_groupings(bad, target)
    text = str(info.value)
    assert "identifiant invalide" in text and "deux fois" in text and "99999" in text
    with pytest.raises(GroupingError, match="aucun regroupement"):
        save_groupings([], target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["regroupements.csv"]


def test_suggest_slug() -> None:
    assert suggest_slug("Pôle urbain d'Arras") == "pole-urbain-d-arras"
    assert suggest_slug("---") == "mon-regroupement"


def test_commune_codes_as_spreadsheets_write_them(tmp_path: Path) -> None:
    """ "62498.0" (a number through a CSV export), "COM:62498" and "62 498": the one
    commune-code normalisation of observatoire.tabular, shared with the other readers."""
    path = write(
        tmp_path,
        HEADER
        + "secteur-a;Secteur A;autre;62498.0;\n"
        + "secteur-a;Secteur A;autre;COM:62510;\n"
        + "secteur-a;Secteur A;autre;62 041;\n",
    )
    (grouping,) = load_groupings(path)
    assert grouping.communes == ("62498", "62510", "62041")
