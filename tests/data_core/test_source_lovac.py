from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, get

READ = get("lovac").read
DERIVED = "lovac/tauxvacance_communes_2021-extrait.csv"
# The official open-data layout is documented but no real file was obtainable: this fixture
# writes its documented header around real values (see tests/fixtures/lovac/README.md).
OPEN = "lovac/Lovac_opendata_Communes-extrait.csv"
LENS_LIEVIN_SECRET = {"62003", "62107", "62213", "62311", "62380", "62854"}


def row(obs: pl.DataFrame, code: str, variable: str, year: int) -> dict[str, object]:
    found = obs.filter(
        (pl.col("code") == code) & (pl.col("variable") == variable) & (pl.col("year") == year)
    )
    assert found.height == 1
    return found.row(0, named=True)


def _edited(tmp_path: Path, fixtures: Path, name: str, edit: Callable[[str], str]) -> Path:
    text = (fixtures / name).read_bytes().decode("cp1252")
    path = tmp_path / Path(name).name
    path.write_bytes(edit(text).encode("cp1252"))
    return path


def _replace_line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


# --------------------------------------------------------------------------- derived file


def test_derived_file_year_millesime_and_known_communes(fixtures: Path) -> None:
    batch = READ(fixtures / DERIVED)
    obs = batch.tables["observations"]
    assert (batch.layout, batch.part, batch.millesime, batch.geo_vintage) == (
        "derive_cerema",
        "derive_cerema",
        2022,  # Nb_log_pp_2022: LOVAC millésime 2022...
        2021,
    )
    assert set(obs["year"]) == {2021}  # ...describing 1 January 2021 (Prop_..._010121)
    lens = row(obs, "62498", "PP_TOTAL", 2021)
    assert (lens["value"], lens["status"]) == (9717.0, "ok")  # "9 717": space separator
    vacant = row(obs, "62498", "PP_VACANT_PLUS_2ANS", 2021)
    assert vacant["value"] == pytest.approx(9.2 / 100 * 9717)  # "9,2": decimal comma
    assert vacant["status"] == "estimated"  # rebuilt from a share rounded to 0.1 point
    assert row(obs, "01004", "PP_TOTAL", 2021)["value"] == 5922.0  # "1004" -> "01004"
    assert row(obs, "2A004", "PP_TOTAL", 2021)["value"] == 31654.0
    assert batch.row_count == 71


def test_derived_empty_row_is_secret_and_absent_commune_is_left_to_the_engine(
    fixtures: Path,
) -> None:
    batch = READ(fixtures / DERIVED)
    obs = batch.tables["observations"]
    for variable in ("PP_TOTAL", "PP_VACANT_PLUS_2ANS"):
        hames = row(obs, "62408", variable, 2021)  # "62408;Hames-Boucres;;"
        assert (hames["value"], hames["status"]) == (None, "secret")
    lens_lievin = {c for c in obs["code"] if c.startswith("62")}
    assert not lens_lievin & LENS_LIEVIN_SECRET
    assert any("commune absente = secret" in n for n in batch.notes)


def test_derived_arrondissements_kept_alone_dropped_with_their_city(
    tmp_path: Path, fixtures: Path
) -> None:
    codes = set(READ(fixtures / DERIVED).tables["observations"]["code"])
    assert {"75101", "75102", "13201", "69381"} <= codes and "75056" not in codes

    path = _edited(tmp_path, fixtures, DERIVED, lambda t: t + "75056;Paris;1 400 000;2,1\n")
    batch = READ(path)
    codes = set(batch.tables["observations"]["code"])
    assert "75056" in codes and "75101" not in codes and "13201" in codes
    assert any("2 lignes d'arrondissements" in n for n in batch.notes)


def test_derived_millesime_must_match(fixtures: Path) -> None:
    assert READ(fixtures / DERIVED, millesime=2022).millesime == 2022
    with pytest.raises(SourceError, match="millésime demandé"):
        READ(fixtures / DERIVED, millesime=2021)


def test_derived_stock_and_share_of_different_millesimes(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, DERIVED, lambda t: t.replace("_010121", "_010119", 1))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].column == "Prop_logvac_pp_2A_010119"


# --------------------------------------------------------------------------- open data


def test_opendata_years_are_millesime_minus_one(fixtures: Path) -> None:
    batch = READ(fixtures / OPEN)
    obs = batch.tables["observations"]
    assert (batch.layout, batch.millesime, batch.geo_vintage) == ("opendata", 2025, 2025)
    # Only filled columns are read: millésimes 22 and 25 -> 2021 and 2024.
    assert set(obs["year"]) == {2021, 2024}
    assert row(obs, "01004", "PP_VACANT_PLUS_2ANS", 2024)["value"] == 207.0
    # ff_pp_total_22 "9\xa0717" (non-breaking space) is the derived file's 2021 stock.
    assert row(obs, "62498", "PP_TOTAL", 2021)["value"] == 9717.0
    assert row(obs, "62498", "PP_VACANT_PLUS_2ANS", 2021)["status"] == "ok"
    assert set(obs["variable"]) == {"PP_TOTAL", "PP_VACANT", "PP_VACANT_PLUS_2ANS"}


def test_opendata_s_is_secret_empty_is_missing(fixtures: Path) -> None:
    obs = READ(fixtures / OPEN).tables["observations"]
    for variable in ("PP_TOTAL", "PP_VACANT", "PP_VACANT_PLUS_2ANS"):
        acheville = row(obs, "62003", variable, 2021)
        assert (acheville["value"], acheville["status"]) == (None, "secret")
    hames = row(obs, "62408", "PP_TOTAL", 2021)  # empty cell, not "s"
    assert (hames["value"], hames["status"]) == (None, "missing")
    assert row(obs, "62408", "PP_VACANT_PLUS_2ANS", 2021)["status"] == "secret"


def test_opendata_accepts_pp_total_spelling(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, OPEN, lambda t: t.replace("ff_pp_total_", "pp_total_"))
    obs = READ(path).tables["observations"]
    assert row(obs, "62510", "PP_TOTAL", 2021)["value"] == 7153.0


def test_derived_and_opendata_agree_on_the_year_of_the_same_millesime(fixtures: Path) -> None:
    derived = READ(fixtures / DERIVED).tables["observations"]
    official = READ(fixtures / OPEN).tables["observations"]
    for code in ("62498", "62510", "59350", "14118"):
        assert (
            row(derived, code, "PP_TOTAL", 2021)["value"]
            == row(official, code, "PP_TOTAL", 2021)["value"]
        )


def test_opendata_without_stock_column(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, OPEN, lambda t: t.replace("ff_pp_total_", "ff_pp_tot_"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].column == "ff_pp_total_AA"


def test_opendata_millesime_must_match(fixtures: Path) -> None:
    with pytest.raises(SourceError, match="millésime demandé"):
        READ(fixtures / OPEN, millesime=2024)


# --------------------------------------------------------------------------- bad input


def test_text_in_numbers_reported_together(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        text = _replace_line(text, 53, "62498;Lens;neuf mille;9,2")
        return _replace_line(text, 54, "62510;Liévin;7 153;4,2,1")

    with pytest.raises(SourceError) as exc:
        READ(_edited(tmp_path, fixtures, DERIVED, edit))
    problems = exc.value.problems
    assert [(p.line, p.column, p.value) for p in problems] == [
        (53, "Nb_log_pp_2022", "neuf mille"),
        (54, "Prop_logvac_pp_2A_010121", "4,2,1"),
    ]
    message = str(exc.value)
    assert "2 problèmes" in message and "ligne 53" in message and "« neuf mille »" in message
    assert "tauxvacance_communes_2021-extrait.csv" in message


def test_share_above_100_is_refused(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(
        tmp_path, fixtures, DERIVED, lambda t: _replace_line(t, 53, "62498;Lens;9 717;192")
    )
    with pytest.raises(SourceError) as exc:
        READ(path)
    problem = exc.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (
        53,
        "Prop_logvac_pp_2A_010121",
        "192.0",
    )


def test_secret_opendata_value_text_in_number(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, OPEN, lambda t: t.replace(";207;", ";x207;", 1))
    with pytest.raises(SourceError) as exc:
        READ(path)
    problem = exc.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (2, "pp_vacant_plus_2ans_25", "x207")


def test_missing_share_column(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, DERIVED, lambda t: t.replace("Prop_logvac", "Part_vac", 1))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].column == "Prop_logvac_pp_2A_0101AA"
    assert "absente" in exc.value.problems[0].message


def test_unknown_layout(tmp_path: Path) -> None:
    path = tmp_path / "autre.csv"
    path.write_text("code;valeur\n62498;3\n", encoding="utf-8")
    with pytest.raises(SourceError, match="format de fichier non reconnu"):
        READ(path)


def test_duplicate_commune_names_both_lines(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, DERIVED, lambda t: t + "62498;Lens;9 717;9,2\n")
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert {p.line for p in exc.value.problems} == {53, 73}
    assert all(p.value == "62498" for p in exc.value.problems)


def test_truncated_file(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "tronque.csv"
    path.write_bytes((fixtures / DERIVED).read_bytes()[:-12])
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].line == 72
    assert "champs au lieu de 4" in exc.value.problems[0].message


@pytest.mark.parametrize("content", [b"", b"\n\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "vide.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="vide"):
        READ(path)


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "entete.csv"
    path.write_bytes(b"comm_insee;NOM_COM;Nb_log_pp_2022;Prop_logvac_pp_2A_010121\n")
    with pytest.raises(SourceError, match="aucune ligne de données"):
        READ(path)


def test_wrong_encoding_utf16(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes((fixtures / DERIVED).read_bytes().decode("latin-1").encode("utf-16"))
    with pytest.raises(SourceError):
        READ(path)


def test_utf8_copy_reads_the_same(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "utf8.csv"
    path.write_bytes((fixtures / DERIVED).read_bytes().decode("latin-1").encode("utf-8"))
    assert READ(path).tables["observations"].equals(READ(fixtures / DERIVED).tables["observations"])


def test_gzipped_file_reads_the_same(tmp_path: Path, fixtures: Path) -> None:
    gz = tmp_path / "tauxvacance_communes_2021.csv.gz"
    gz.write_bytes(gzip.compress((fixtures / DERIVED).read_bytes()))
    assert READ(gz).tables["observations"].equals(READ(fixtures / DERIVED).tables["observations"])
