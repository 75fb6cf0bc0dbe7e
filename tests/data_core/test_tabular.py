"""The tabular-file kit shared by plan workbooks, partner data files and groupings."""

from __future__ import annotations

import io

import pytest
from tests.support import workbook_bytes

from observatoire.problems import Problem
from observatoire.tabular import (
    Column,
    UnreadableError,
    commune_code,
    csv_delimiter,
    decode,
    fold,
    header_key,
    match_header,
    open_workbook,
    records,
)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("62498", "62498"),
        (" 62498 ", "62498"),
        ("COM:62498", "62498"),
        ("com:62498", "62498"),
        (62498, "62498"),
        (62498.0, "62498"),  # an Excel number
        ("62498.0", "62498"),  # the same, through a CSV export
        ("62498,0", "62498"),
        ("62 498", "62498"),
        ("62\u00a0498", "62498"),
        (1001, "01001"),  # the leading zero a spreadsheet drops
        ("1001", "01001"),
        (1001.0, "01001"),
        ("2a004", "2A004"),
        ("2B033", "2B033"),
        (None, ""),
        ("", ""),
        ("123", "123"),  # not a commune code: left for the referential to refuse
        ("Arras", "ARRAS"),
    ],
)
def test_one_commune_code_normalisation(written: object, code: str) -> None:
    assert commune_code(written) == code


def test_headers_fold_case_accents_spaces_and_dashes() -> None:
    assert header_key("Année  prévue") == "annee_prevue"
    assert header_key(" Code-commune ") == "code_commune"
    assert header_key("Libellé") == "libelle"
    assert fold("À lancer") == fold("a_lancer") == "a lancer"
    assert fold("L’échéance") == fold("l'echeance")


def test_a_header_line_matched_against_the_columns() -> None:
    columns = (Column("commune", True), Column("adresse"), Column("logements", True))
    header = match_header(["Commune", None, "Autre", "commune", "Adresse"], columns)
    assert header.positions == {"commune": 0, "adresse": 4}
    assert header.column("commune") == "Commune"
    assert header.unknown == [(2, "Autre")]
    assert header.repeated == [(3, "commune")]
    assert header.missing == ["logements"]
    lines = [["62498", None, "x", None, "rue"], [None, 3, None, "", " "], ["1001"]]
    assert list(records(lines, header)) == [
        (2, {"commune": "62498", "adresse": "rue"}),
        (4, {"commune": "1001", "adresse": None}),
    ]


def test_decoding_as_spreadsheets_save_text() -> None:
    text = "commune;libellé\n"
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("cp1252")) == text
    assert decode(text.encode("utf-16")) == text
    assert decode(b"\x81") == "\x81"  # undefined in Windows-1252: Latin-1
    assert csv_delimiter("a;b,c;d\n1,2") == ";"
    assert csv_delimiter("a,b,c\n") == ","


def test_an_unreadable_workbook() -> None:
    with pytest.raises(UnreadableError):
        open_workbook(b"not a workbook", 10)
    with pytest.raises(UnreadableError):
        open_workbook(io.BytesIO(b"PK\x03\x04 broken"), 10)


def test_problems_are_located_by_sheet_or_file() -> None:
    long = "x" * 70
    assert str(Problem("a.xlsx", "m.", 3, "col", long, "Projets")) == (
        f"feuille « Projets », ligne 3, colonne « col », valeur « {'x' * 57}... » : m."
    )
    assert str(Problem("a.xlsx", "m.", kind="classeur")) == "classeur « a.xlsx » : m."
    assert str(Problem("a.csv", "m.", 2)) == "fichier « a.csv », ligne 2 : m."


def test_a_workbook_past_its_bounds_is_refused_in_french_naming_the_bound() -> None:
    from observatoire.tabular import MAX_CELL_CHARS, TooLargeError, capped, sheet_rows

    many = workbook_bytes({f"F{i}": [["a"]] for i in range(51)})
    with pytest.raises(TooLargeError, match="51 feuilles : 50 au plus"):
        open_workbook(many, 10)
    wide = open_workbook(workbook_bytes({"Projets": [["a"] * 101]}), 10)
    with pytest.raises(TooLargeError, match="101 colonnes : 100 au plus") as refused:
        sheet_rows(wide["Projets"], 10)
    assert refused.value.sheet == "Projets"
    # openpyxl cuts a cell at Excel's limit; CSV fields go up to 131,072 characters.
    with pytest.raises(TooLargeError, match="32768 caractères : 32767 au plus") as refused:
        list(capped([["a", "b"], ["1", "x" * (MAX_CELL_CHARS + 1)]], 10))
    assert (refused.value.line, refused.value.column) == (2, "B")


def test_the_line_cap_counts_filled_lines_and_bounds_blank_ones() -> None:
    from observatoire.tabular import BLANK_MARGIN, TooLargeError, capped

    # Blank lines do not count: a header and three filled lines pass a cap of four.
    assert len(list(capped([["h"], [None], ["1"], [""], ["2"], ["3"]], 4))) == 6
    with pytest.raises(TooLargeError, match="plus de 3 lignes") as refused:
        list(capped([["h"], ["1"], ["2"], ["3"], ["4"]], 4, "Projets"))
    assert (refused.value.sheet, refused.value.line) == ("Projets", 5)
    # Formatted blank lines below the data: tolerated up to the margin, never read on.
    blank = [["h"]] + [[None]] * (BLANK_MARGIN + 10)
    with pytest.raises(TooLargeError):
        list(capped(blank, 4))


def test_the_shared_strings_openpyxl_keeps_in_memory_are_bounded() -> None:
    import zipfile

    from observatoire.tabular import MAX_SHARED_STRINGS_BYTES, TooLargeError

    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes({"Projets": [["a"]]})))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("xl/sharedStrings.xml", b" " * (MAX_SHARED_STRINGS_BYTES + 1))
    with pytest.raises(TooLargeError, match="les textes du classeur pèsent 32 Mo"):
        open_workbook(out.getvalue(), 10)
