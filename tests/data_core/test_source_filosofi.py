"""Filosofi reader on real INSEE slices (tests/fixtures/filosofi, see its README)."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, filosofi, get

READ = get("filosofi").read
CC = "filosofi/cc_filosofi_2021_COM-extrait.csv"
DISP = "filosofi/FILO2019_DISP_COM-extrait.csv"
DEMO = Path(filosofi.__file__).parent.parent / "data" / "demo" / "filosofi"


def obs_of(path: Path, **kwargs: object) -> pl.DataFrame:
    table = READ(path, **kwargs).tables["observations"]
    assert isinstance(table, pl.DataFrame)
    return table


def row(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str]:
    found = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert found.height == 1
    return found["value"][0], found["status"][0]


# ------------------------------------------------------------------ real values, both layouts


def test_disp_2019_median_of_lens_lievin_lille(fixtures: Path) -> None:
    batch = READ(fixtures / DISP)
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert (batch.millesime, batch.layout, batch.part) == (2019, "disp", "COM")
    assert set(obs["year"]) == {2019} and set(obs["level"]) == {"COM"}
    # SOURCES.md §11: Q219 Lens 16,310, Liévin 16,740, Lille 19,580 (Q2 = the median).
    assert row(obs, "62498", "MED") == (16310.0, "ok")
    assert row(obs, "62510", "MED") == (16740.0, "ok")
    assert row(obs, "59350", "MED") == (19580.0, "ok")
    # Decimal comma (NBUC19 "21211,6"), the suffix-less RD column, the DISP-only variables.
    assert row(obs, "62498", "NBUC") == (pytest.approx(21211.6), "ok")
    assert row(obs, "62498", "RD") == (3.0, "ok")
    assert row(obs, "62498", "GI") == (pytest.approx(0.258), "ok")
    assert row(obs, "62498", "S80S20") == (pytest.approx(3.7), "ok")
    assert row(obs, "62498", "NBMEN") == (13991.0, "ok")
    assert set(obs["variable"]) == {
        "MED", "NBMEN", "NBPERS", "NBUC", "Q1", "Q3", "D1", "D9", "RD", "GI", "S80S20",
        "D2", "D3", "D4", "D6", "D7", "D8",
    }  # fmt: skip


def test_disp_empty_field_is_secret(fixtures: Path) -> None:
    obs = obs_of(fixtures / DISP)
    # 62001 Ablain-Saint-Nazaire: only NBMEN, NBPERS, NBUC and Q2 are published.
    assert row(obs, "62001", "MED") == (24550.0, "ok")
    assert row(obs, "62001", "D1") == (None, "secret")
    assert row(obs, "62001", "GI") == (None, "secret")


def test_disp_2014_read_by_name_with_its_deciles(fixtures: Path) -> None:
    # FILO2014 has PTSAC14 and no PACT/PCHO (SOURCES.md §12): read by name, not position.
    batch = READ(fixtures / "filosofi/FILO2014_DISP_COM-extrait.csv")
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert (batch.millesime, batch.layout, batch.geo_vintage) == (2014, "disp", 2015)
    # SOURCES.md §12, Lens 62498 in 2014: Q2 15,039.7, D1 8,494.3, D9 27,556.7.
    assert row(obs, "62498", "MED") == (pytest.approx(15039.7), "ok")
    assert row(obs, "62498", "D1") == (pytest.approx(8494.3), "ok")
    assert row(obs, "62498", "D9") == (pytest.approx(27556.7), "ok")
    # D2-D8 are read for the estimation of the parents (no D5: the median is Q2).
    assert {f"D{k}" for k in (2, 3, 4, 6, 7, 8)} <= set(obs["variable"])
    assert row(obs, "62001", "D2") == (None, "secret")


def test_chiffres_cles_2021(fixtures: Path) -> None:
    batch = READ(fixtures / CC)
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert (batch.millesime, batch.layout, batch.part) == (2021, "chiffres_cles", "COM")
    assert set(obs["year"]) == {2021}
    # cc_filosofi_2021_COM.csv, Lens: MED21 17250, PIMP21 "35,0", TP6021 "32,0", D121 9720.
    assert row(obs, "62498", "MED") == (17250.0, "ok")
    assert row(obs, "62498", "TP60") == (32.0, "ok")
    assert row(obs, "62498", "D1") == (9720.0, "ok")
    assert row(obs, "62498", "RD") == (pytest.approx(3.1), "ok")
    assert row(obs, "62498", "NBMEN") == (13571.0, "ok")
    assert set(obs["variable"]) == {"MED", "NBMEN", "NBPERS", "TP60", "D1", "D9", "RD"}


def test_chiffres_cles_secret_and_not_available(fixtures: Path) -> None:
    obs = obs_of(fixtures / CC)
    # 62001: MED21 25590 published, TP6021 and D121 are `s`.
    assert row(obs, "62001", "MED") == (25590.0, "ok")
    assert row(obs, "62001", "TP60") == (None, "secret")
    assert row(obs, "62001", "D1") == (None, "secret")
    # 55039 (uninhabited Meuse village) and 60694 (re-created in 2024) are `nd` everywhere.
    assert row(obs, "55039", "MED") == (None, "missing")
    assert row(obs, "60694", "NBMEN") == (None, "missing")


@pytest.mark.parametrize("fixture", [CC, DISP])
def test_arrondissements_dropped_when_their_city_is_present(fixtures: Path, fixture: str) -> None:
    text = (fixtures / fixture).read_bytes()
    assert b"\n75056;" in text and b"\n75101;" in text  # the trap is in the slice
    batch = READ(fixtures / fixture)
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert not obs.filter(pl.col("code").str.starts_with("751")).height
    assert obs.filter(pl.col("code") == "75056").height > 0
    assert any("4 lignes d'arrondissements" in n for n in batch.notes)


def test_arrondissements_kept_without_their_city(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / DISP).read_bytes().splitlines(keepends=True)
    path = tmp_path / "FILO2019_DISP_COM.csv"
    path.write_bytes(b"".join(line for line in lines if not line.startswith(b"75056;")))
    obs = obs_of(path)
    assert row(obs, "75101", "MED") == (34720.0, "ok")


def test_absence_semantics_are_stated(fixtures: Path) -> None:
    assert any("commune absente = secret" in n for n in READ(fixtures / DISP).notes)
    assert any("commune absente = non couverte" in n for n in READ(fixtures / CC).notes)


# ------------------------------------------------------------------ geography


def test_geo_vintage_per_millesime(fixtures: Path) -> None:
    assert READ(fixtures / DISP).geo_vintage == 2020
    assert READ(fixtures / CC).geo_vintage == 2024


def test_geo_vintage_contradicted_by_the_codes_is_recomputed(
    fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The 2021 slice holds 60694, 85165, 85212, re-created on 1 January 2024: not COG 2023.
    monkeypatch.setitem(filosofi.GEO_VINTAGE, 2021, 2023)
    batch = READ(fixtures / CC)
    assert batch.geo_vintage == 2024
    assert any("COG au 1er janvier 2024" in n for n in batch.notes)
    # The 2019 slice holds 16351 (merged 1 January 2021) and 08294 (merged 1 January 2024).
    monkeypatch.setitem(filosofi.GEO_VINTAGE, 2019, 2024)
    assert READ(fixtures / DISP).geo_vintage == 2020


def test_geo_vintage_from_the_insee_zip_folder(fixtures: Path, tmp_path: Path) -> None:
    # INSEE republished Filosofi 2021 as base-cc-filosofi-2021-geo2025 (same inner name).
    folder = tmp_path / "base-cc-filosofi-2021-geo2025_CSV"
    folder.mkdir()
    shutil.copy(fixtures / CC, folder / "cc_filosofi_2021_COM.csv")
    assert READ(folder / "cc_filosofi_2021_COM.csv").geo_vintage == 2025
    assert READ(fixtures / CC, geo_vintage=2023).geo_vintage == 2023  # explicit wins


# ------------------------------------------------------------------ levels
# The supra-communal files are held out: these tests reuse REAL commune rows of the DISP
# slice and only rename the file and replace CODGEO, to exercise level detection.


def _relabel(fixtures: Path, tmp_path: Path, name: str, codes: dict[str, str]) -> Path:
    lines = (fixtures / DISP).read_bytes().splitlines(keepends=True)
    out = [lines[0]]
    for commune, code in codes.items():
        line = next(li for li in lines if li.startswith(commune.encode() + b";"))
        out.append(code.encode() + line[len(commune) :])
    path = tmp_path / name
    path.write_bytes(b"".join(out))
    return path


def test_epci_file_detected_from_its_name(fixtures: Path, tmp_path: Path) -> None:
    path = _relabel(
        fixtures, tmp_path, "FILO2019_DISP_EPCI.csv", {"62498": "246200364", "59350": "200093201"}
    )
    batch = READ(path)
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert (batch.part, set(obs["level"])) == ("EPCI", {"EPCI"})
    assert row(obs, "246200364", "MED") == (16310.0, "ok")  # Lens's row under an EPCI code
    assert batch.geo_vintage == 2020


def test_dep_reg_and_lost_leading_zero(fixtures: Path, tmp_path: Path) -> None:
    dep = _relabel(
        fixtures, tmp_path, "FILO2019_DISP_DEP.csv", {"62498": "62", "59350": "1", "2A004": "2A"}
    )
    batch = READ(dep)
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert batch.part == "DEP"
    assert set(obs["code"]) == {"62", "01", "2A"}
    reg = _relabel(fixtures, tmp_path, "FILO2019_DISP_REG.csv", {"62498": "32", "59350": "11"})
    assert READ(reg).part == "REG"


def test_france_file(fixtures: Path, tmp_path: Path) -> None:
    path = _relabel(fixtures, tmp_path, "FILO2019_DISP_METROPOLE.csv", {"62498": "1"})
    path.write_bytes(path.read_bytes().replace(b";Lens;", ";France métropolitaine;".encode()))
    batch = READ(path)
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert (batch.part, set(obs["level"]), set(obs["code"])) == ("FR", {"FR"}, {"FR"})
    assert any("France métropolitaine" in n for n in batch.notes)


def test_level_from_code_shapes_or_keyword(fixtures: Path, tmp_path: Path) -> None:
    epci = _relabel(fixtures, tmp_path, "revenus.csv", {"62498": "246200364"})
    assert READ(epci).part == "EPCI"
    com = tmp_path / "revenus_communes_lens.csv"
    shutil.copy(fixtures / DISP, com)
    assert READ(com).part == "COM"
    dep = _relabel(fixtures, tmp_path, "revenus_2019.csv", {"62498": "62", "59350": "59"})
    assert READ(dep, level="DEP").part == "DEP"
    with pytest.raises(SourceError, match="niveau « canton » inconnu"):
        READ(dep, level="canton")


def test_code_that_does_not_fit_the_level(fixtures: Path, tmp_path: Path) -> None:
    path = _relabel(
        fixtures, tmp_path, "FILO2019_DISP_EPCI.csv", {"62498": "246200364", "59350": "59350"}
    )
    with pytest.raises(SourceError) as exc:
        READ(path)
    p = exc.value.problems[0]
    assert (p.file, p.line, p.column, p.value) == ("FILO2019_DISP_EPCI.csv", 3, "CODGEO", "59350")


def test_other_zonings_are_refused(fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "cc_filosofi_2021_BV2022.csv"
    shutil.copy(fixtures / CC, path)
    with pytest.raises(SourceError, match="« BV » non pris en charge"):
        READ(path)


# ------------------------------------------------------------------ demo files


def test_gzipped_file_is_read(fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "FILO2019_DISP_COM.csv.gz"
    path.write_bytes(gzip.compress((fixtures / DISP).read_bytes()))
    batch = READ(path)
    obs = batch.tables["observations"]
    assert isinstance(obs, pl.DataFrame)
    assert (batch.part, batch.layout) == ("COM", "disp")
    assert row(obs, "62498", "MED") == (16310.0, "ok")


@pytest.mark.parametrize(
    ("name", "rows", "header"),
    [
        ("FILO2019_DISP_COM.csv.gz", 31361, b"\xef\xbb\xbfCODGEO;LIBGEO;NBMEN19;"),
        ("cc_filosofi_2021_COM.csv.gz", 34909, b"CODGEO;NBMENFISC21;NBPERSMENFISC21;MED21;"),
    ],
)
def test_demo_files_are_the_full_extracts(
    fixtures: Path, name: str, rows: int, header: bytes
) -> None:
    data = gzip.decompress((DEMO / name).read_bytes())
    assert data.startswith(header) and len(data.splitlines()) == rows + 1
    slice_lines = (fixtures / "filosofi" / name.replace(".csv.gz", "-extrait.csv")).read_bytes()
    assert set(slice_lines.splitlines(keepends=True)) <= set(data.splitlines(keepends=True))


# ------------------------------------------------------------------ bad input


def _broken(tmp_path: Path, fixtures: Path, edit: Callable[[bytes], bytes], src: str = CC) -> Path:
    path = tmp_path / Path(src).name
    path.write_bytes(edit((fixtures / src).read_bytes()))
    return path


def _set(data: bytes, line: int, field: int, value: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    end = lines[line - 1][len(lines[line - 1].rstrip(b"\r\n")) :]
    cells = lines[line - 1].rstrip(b"\r\n").split(b";")
    cells[field] = value
    lines[line - 1] = b";".join(cells) + end
    return b"".join(lines)


def test_several_problems_name_line_column_value(tmp_path: Path, fixtures: Path) -> None:
    def edit(data: bytes) -> bytes:
        data = _set(data, 4, 3, b"vingt mille")  # MED21 of 01004
        data = _set(data, 36, 5, b"35,0,1")  # TP6021 of Lens
        return data

    with pytest.raises(SourceError) as exc:
        READ(_broken(tmp_path, fixtures, edit))
    found = [(p.file, p.line, p.column, p.value) for p in exc.value.problems]
    assert found == [
        ("cc_filosofi_2021_COM-extrait.csv", 4, "MED21", "vingt mille"),
        ("cc_filosofi_2021_COM-extrait.csv", 36, "TP6021", "35,0,1"),
    ]
    message = str(exc.value)
    assert "2 problèmes" in message and "ligne 36" in message and "« TP6021 »" in message


def test_out_of_range_rate(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as exc:
        READ(_broken(tmp_path, fixtures, lambda d: _set(d, 36, 5, b"135,0")))
    p = exc.value.problems[0]
    assert (p.line, p.column, p.value) == (36, "TP6021", "135.0")


def test_missing_column(tmp_path: Path, fixtures: Path) -> None:
    path = _broken(tmp_path, fixtures, lambda d: d.replace(b";GI19;", b";GINI;", 1), DISP)
    with pytest.raises(SourceError) as exc:
        READ(path)
    p = exc.value.problems[0]
    assert (p.column, p.line) == ("GI19", None) and "absente" in p.message


def test_unknown_layout(tmp_path: Path, fixtures: Path) -> None:
    path = _broken(tmp_path, fixtures, lambda d: d.replace(b"MED21", b"MEDIANE", 1))
    with pytest.raises(SourceError, match="format de fichier non reconnu"):
        READ(path)


def test_millesime_must_match_columns(fixtures: Path) -> None:
    with pytest.raises(SourceError, match=r"millésime demandé \(2020\)"):
        READ(fixtures / DISP, millesime=2020)


def test_duplicate_commune(tmp_path: Path, fixtures: Path) -> None:
    def edit(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        return b"".join([*lines, lines[35]])

    with pytest.raises(SourceError) as exc:
        READ(_broken(tmp_path, fixtures, edit))
    assert {(p.line, p.value) for p in exc.value.problems} == {(36, "62498"), (60, "62498")}
    assert "doublon" in exc.value.problems[0].message


def test_truncated_file(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as exc:
        READ(_broken(tmp_path, fixtures, lambda d: d[:-40], DISP))
    p = exc.value.problems[0]
    assert (p.file, p.line) == ("FILO2019_DISP_COM-extrait.csv", 56)
    assert "champs au lieu de 31" in p.message


def test_wrong_encoding(tmp_path: Path, fixtures: Path) -> None:
    # Re-saved as Latin-1 by a spreadsheet: "Liévin" on line 36 is no longer UTF-8.
    path = _broken(tmp_path, fixtures, lambda d: d.decode("utf-8-sig").encode("latin-1"), DISP)
    with pytest.raises(SourceError) as exc:
        READ(path)
    p = exc.value.problems[0]
    assert p.file == "FILO2019_DISP_COM-extrait.csv" and p.line is not None
    assert "encodage invalide" in p.message and "0xE9" in p.message


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "vide"), (b"  \r\n", "vide"), (b"\xef\xbb\xbf", "pas de ligne d'en-tête")],
)
def test_empty_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "FILO2019_DISP_COM.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as exc:
        READ(path)
    assert exc.value.problems[0].file == "FILO2019_DISP_COM.csv"


def test_header_only(tmp_path: Path, fixtures: Path) -> None:
    path = _broken(tmp_path, fixtures, lambda d: d.splitlines(keepends=True)[0], DISP)
    with pytest.raises(SourceError, match="aucune ligne de données"):
        READ(path)
