from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, get

READ = get("cartofriches").read
NAME = "friches_standard_test-extrait.csv"
FIXTURE = "cartofriches/" + NAME


def value(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str]:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1
    return row["value"][0], row["status"][0]


def _edited(tmp_path: Path, fixtures: Path, edit: Callable[[str], str], name: str = NAME) -> Path:
    path = tmp_path / name
    path.write_text(edit((fixtures / FIXTURE).read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _replace_in_line(text: str, number: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return "\n".join(lines)


def test_sites_of_lens_and_lievin(fixtures: Path) -> None:
    batch = READ(fixtures / FIXTURE)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.geo_vintage, batch.part) == (2024, 2024, "sites")
    assert set(obs["year"]) == {2024}
    # Lens: two unverified sites (Basias), 100 m² and 6,255 m².
    assert value(obs, "62498", "FRICHES") == (2.0, "ok")
    assert value(obs, "62498", "FRICHES_POTENTIELLES") == (2.0, "ok")
    assert value(obs, "62498", "FRICHES_AVEC_PROJET") == (0.0, "ok")
    assert value(obs, "62498", "FRICHES_SURFACE") == (6355.0, "ok")
    assert value(obs, "62510", "FRICHES_SURFACE") == (1220.0, "ok")
    assert obs.filter(pl.col("code").str.starts_with("62"))["code"].n_unique() > 20
    assert any("commune absente = 0 friche recensée" in n for n in batch.notes)


def test_sites_table(fixtures: Path) -> None:
    sites = READ(fixtures / FIXTURE).tables["sites"]
    assert isinstance(sites, pl.DataFrame)
    assert sites.height == 88 and sites["site_id"].n_unique() == 88
    lens = sites.filter(pl.col("site_id") == "62498_5371").row(0, named=True)
    assert (lens["longitude"], lens["latitude"]) == (2.83344, 50.43495)  # POINT (lon lat)
    assert lens["site_nom"] == "Chaudronnerie Bracq" and lens["unite_fonciere_surface"] == 100.0
    assert str(lens["site_actu_date"]) == "2022-10-10"  # "10/10/2022"
    assert lens["site_type"] == "inconnu"
    assert sites.filter(pl.col("comm_insee").str.starts_with("62")).height == 49


def test_multiline_records_and_lost_leading_zeros(fixtures: Path) -> None:
    sites = READ(fixtures / FIXTURE).tables["sites"]
    # 03065_18069 spans lines 31-32 of the file (line break inside a quoted field).
    assert sites.filter(pl.col("site_id") == "03065_18069")["comm_insee"].to_list() == ["03065"]
    assert "03013" in set(sites["comm_insee"])  # written "3013"
    assert {"2A048", "2B293"} <= set(sites["comm_insee"])


def test_reconverted_sites_are_listed_but_not_counted(fixtures: Path) -> None:
    batch = READ(fixtures / FIXTURE)
    sites = batch.tables["sites"]
    assert isinstance(sites, pl.DataFrame)
    assert sites.filter(pl.col("site_id") == "51388_13132")["site_statut"][0] == (
        "friche reconvertie"
    )
    assert value(batch.tables["observations"], "51388", "FRICHES") == (0.0, "ok")
    assert value(batch.tables["observations"], "51388", "FRICHES_SURFACE") == (0.0, "ok")
    assert "2 friches reconverties exclues du décompte" in batch.notes


def test_missing_surface_gives_a_lower_bound(tmp_path: Path, fixtures: Path) -> None:
    batch = READ(fixtures / FIXTURE)
    # 54547: 54547_23633 has "NA", 54547_23402 has 45,547 m².
    assert value(batch.tables["observations"], "54547", "FRICHES_SURFACE") == (
        45547.0,
        "estimated",
    )
    assert value(batch.tables["observations"], "54547", "FRICHES") == (2.0, "ok")
    assert any("1 site sans surface" in n for n in batch.notes)
    path = _edited(tmp_path, fixtures, lambda t: _replace_in_line(t, 42, ";45547;", ";NA;"))
    obs = READ(path).tables["observations"]
    assert value(obs, "54547", "FRICHES_SURFACE") == (None, "missing")


def test_millesime(tmp_path: Path, fixtures: Path) -> None:
    # No year in the name: the latest site_actu_date of the fixture is 13/02/2024.
    assert READ(fixtures / FIXTURE).millesime == 2024
    assert READ(fixtures / FIXTURE, millesime=2025).millesime == 2025
    named = _edited(tmp_path, fixtures, lambda t: t, name="friches_2025-02.csv")
    batch = READ(named)
    assert batch.millesime == 2025 and set(batch.tables["observations"]["year"]) == {2025}


def test_iso_dates_of_the_standard_are_read(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace("10/10/2022", "2022-10-10"))
    sites = READ(path).tables["sites"]
    assert isinstance(sites, pl.DataFrame)
    assert str(sites.filter(pl.col("site_id") == "62498_5371")["site_actu_date"][0]) == (
        "2022-10-10"
    )


def test_gzipped_file_reads_the_same(tmp_path: Path, fixtures: Path) -> None:
    gz = tmp_path / (NAME + ".gz")
    gz.write_bytes(gzip.compress((fixtures / FIXTURE).read_bytes()))
    assert READ(gz).tables["observations"].equals(READ(fixtures / FIXTURE).tables["observations"])


# --------------------------------------------------------------------------- bad input


def test_text_in_surface_of_a_multiline_record(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        text = _replace_in_line(text, 31, ";7912;", ";7 912 m2;")  # record on lines 31-32
        return _replace_in_line(text, 21, ";100;", ";cent;")

    with pytest.raises(SourceError) as exc:
        READ(_edited(tmp_path, fixtures, edit))
    found = [(p.line, p.column, p.value) for p in exc.value.problems]
    assert found == [
        (21, "unite_fonciere_surface", "cent"),
        (31, "unite_fonciere_surface", "7 912 m2"),
    ]


def test_status_date_and_point_reported_together(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        text = _replace_in_line(text, 21, "friche potentielle", "friche en sommeil")
        text = _replace_in_line(text, 91, "POINT (", "POINT [")
        return _replace_in_line(text, 67, "10/10/2022;10/10/2022", "10/10/2022;31/02/2022")

    with pytest.raises(SourceError) as exc:
        READ(_edited(tmp_path, fixtures, edit))
    found = [(p.line, p.column, p.value) for p in exc.value.problems]
    assert found == [
        (21, "site_statut", "friche en sommeil"),
        (67, "site_actu_date", "31/02/2022"),
        (91, "geompoint", "POINT [2.749653 50.42825)"),
    ]
    message = str(exc.value)
    assert "3 problèmes" in message and NAME in message and "ligne 67" in message


def test_negative_surface_and_latitude_out_of_range(tmp_path: Path, fixtures: Path) -> None:
    def edit(text: str) -> str:
        text = _replace_in_line(text, 21, ";100;", ";-100;")
        return _replace_in_line(text, 91, " 50.42825)", " 150.42825)")

    with pytest.raises(SourceError) as exc:
        READ(_edited(tmp_path, fixtures, edit))
    found = {(p.line, p.column, p.value) for p in exc.value.problems}
    assert found == {(21, "unite_fonciere_surface", "-100.0"), (91, "latitude", "150.42825")}


def test_duplicate_site(tmp_path: Path, fixtures: Path) -> None:
    lines = (fixtures / FIXTURE).read_text(encoding="utf-8").split("\n")
    path = _edited(tmp_path, fixtures, lambda t: t + lines[20] + "\n")
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert {p.line for p in exc.value.problems} == {21, 97}
    assert exc.value.problems[0].value == "62498_5371"


def test_missing_commune_code(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: _replace_in_line(t, 21, ";62498;", ";NA;"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    problem = exc.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (21, "comm_insee", "NA")


def test_missing_column(tmp_path: Path, fixtures: Path) -> None:
    path = _edited(tmp_path, fixtures, lambda t: t.replace("unite_fonciere_surface", "uf_surf", 1))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].column == "unite_fonciere_surface"


def test_other_file_is_not_recognised(tmp_path: Path) -> None:
    path = tmp_path / "autre.csv"
    path.write_text("id;commune\n1;62498\n", encoding="utf-8")
    with pytest.raises(SourceError, match="format de fichier non reconnu"):
        READ(path)


def test_truncated_file(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes((fixtures / FIXTURE).read_bytes()[:-200])
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].line == 94  # the last record, lines 94-96
    assert "champs au lieu de 50" in exc.value.problems[0].message


@pytest.mark.parametrize("content", [b"", b"\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / NAME
    path.write_bytes(content)
    with pytest.raises(SourceError, match="vide"):
        READ(path)


def test_latin1_file_is_refused(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes((fixtures / FIXTURE).read_text(encoding="utf-8").encode("latin-1", "replace"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert "encodage" in exc.value.problems[0].message
    assert exc.value.problems[0].line is not None and exc.value.problems[0].line > 1


def test_counts_and_surfaces_by_status(fixtures: Path) -> None:
    obs = READ(fixtures / FIXTURE).tables["observations"]
    # 51388: one reconverted site of 39,937 m² (line 2 of the Marne sites).
    assert value(obs, "51388", "FRICHES_RECONVERTIES") == (1.0, "ok")
    assert value(obs, "51388", "FRICHES_SURFACE_RECONVERTIES") == (39937.0, "ok")
    # 54547: "avec projet" without surface, "sans projet" of 45,547 m²: each status alone.
    assert value(obs, "54547", "FRICHES_SURFACE_SANS_PROJET") == (45547.0, "ok")
    assert value(obs, "54547", "FRICHES_SURFACE_AVEC_PROJET") == (None, "missing")
    assert value(obs, "54547", "FRICHES_SURFACE_RECONVERTIES") == (0.0, "ok")
    # 62160 (Carvin): two "avec projet" sites, 13,767 + 255 m².
    assert value(obs, "62160", "FRICHES_AVEC_PROJET") == (2.0, "ok")
    assert value(obs, "62160", "FRICHES_SURFACE_AVEC_PROJET") == (14022.0, "ok")
