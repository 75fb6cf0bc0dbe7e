"""Zonages et dispositifs: zonage A/B/C, zone tendue, THLV/TLV, ANCT programmes and QPV
read from real extracts, carried to the current COG, and counted in a cube."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire.demo import demo_dir
from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import SourceError, get
from observatoire.sources.attributes import on_current_cog
from observatoire.territories import Territory, vintages
from observatoire.territories.referential import national
from observatoire.warehouse.imports import import_file

ABC = "zonage_abc/zonage-abc-2019-extrait.csv"
TLV = "zone_tendue/tlv_cities-extrait.csv"
TAXE = "taxe_vacance/taxe-extrait.csv"
ANCT = "anct_programmes/ngeo-anct-cog2023-extrait.csv"
QPV = "qpv/onpv-qpv2015-demo-2022-extrait.csv"
MEL = "EPCI:200093201"  # Métropole Européenne de Lille


def value(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str]:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1, (code, variable)
    return row["value"][0], row["status"][0]


def refusal(source: str, path: Path) -> list[tuple[int | None, str | None, str | None]]:
    with pytest.raises(SourceError) as exc:
        get(source).read(path)
    assert "rien n'a été importé" in exc.value.render()
    return [(p.line, p.column, p.value) for p in exc.value.problems]


def edited(tmp_path: Path, fixtures: Path, fixture: str, old: str, new: str) -> Path:
    raw = (fixtures / fixture).read_bytes()
    assert old.encode() in raw
    path = tmp_path / Path(fixture).name
    path.write_bytes(raw.replace(old.encode(), new.encode(), 1))
    return path


# --------------------------------------------------------------------------- zonage A/B/C


def test_lille_is_in_zone_a_and_cahors_in_zone_c(fixtures: Path) -> None:
    batch = get("zonage_abc").read(fixtures / ABC)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.geo_vintage, batch.row_count) == (2019, 2019, 961)
    # 59350,Zone A ; 46042,Zone C
    assert value(obs, "59350", "ZONE_A") == (1, "ok")
    assert value(obs, "59350", "ZONE_ABC_RANG") == (2, "ok")
    assert value(obs, "59350", "ZONE_C") == (0, "ok")
    assert value(obs, "46042", "ZONE_C") == (1, "ok")
    # The file's counts for the Nord (SOURCES.md §12): A 7, B1 65, B2 244, C 332.
    nord = obs.filter(pl.col("code").str.starts_with("59") & (pl.col("value") == 1))
    counts = dict(nord.group_by("variable").len().iter_rows())
    assert counts["ZONE_A"] == 7 and counts["ZONE_B1"] == 65


def test_merged_commune_takes_the_most_restrictive_zone() -> None:
    """Two communes of the COG 2019 merged since: the commune nouvelle keeps the lowest rank.
    Checked on a real merger of the shipped COG history."""
    table = vintages.passage(2019)
    merged = (
        table.group_by("new_code")
        .agg(pl.col("old_code"))
        .filter(pl.col("old_code").list.len() == 2)
    )
    new_code, (first, second) = merged.row(0)
    frame = pl.DataFrame({"code": [first, second], "value": [5.0, 3.0]})
    assert on_current_cog(frame, 2019, keep="min").rows() == [(new_code, 3.0)]
    assert on_current_cog(frame, 2019, keep="max").rows() == [(new_code, 5.0)]


def test_unknown_zone_is_located(tmp_path: Path, fixtures: Path) -> None:
    path = edited(tmp_path, fixtures, ABC, "59350,Zone A", "59350,Zone D")
    [(line, column, text)] = refusal("zonage_abc", path)
    assert (column, text) == ("zonage_abc", "Zone D")
    assert path.read_text().split("\n")[line - 1] == "59350,Zone D"


def test_unknown_commune_and_duplicate_are_located(tmp_path: Path, fixtures: Path) -> None:
    path = edited(tmp_path, fixtures, ABC, "59350,Zone A", "59999,Zone A")
    assert [(c, v) for _, c, v in refusal("zonage_abc", path)] == [("DEPCOM", "59999")]
    path = edited(tmp_path, fixtures, ABC, "59350,Zone A", "59009,Zone A")
    assert {c for _, c, _ in refusal("zonage_abc", path)} == {"DEPCOM"}


def test_missing_column_empty_file_and_wrong_encoding(tmp_path: Path, fixtures: Path) -> None:
    path = edited(tmp_path, fixtures, ABC, "DEPCOM,zonage_abc", "DEPCOM,zone")
    assert refusal("zonage_abc", path)[0][0] == 1
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    assert refusal("zonage_abc", empty) == [(None, None, None)]
    latin = tmp_path / "latin.csv"
    latin.write_bytes((fixtures / ABC).read_bytes().replace(b"Zone C", b"Zone \xe9", 1))
    assert refusal("zonage_abc", latin)[0][0] is not None


# --------------------------------------------------------------------------- zone tendue


def test_zone_tendue_extract_covers_its_departements_only(fixtures: Path) -> None:
    batch = get("zone_tendue").read(fixtures / TLV)
    obs = batch.tables["observations"]
    # "59350;59;Lille" is listed (code without leading zero elsewhere in the file).
    assert value(obs, "59350", "ZONE_TENDUE") == (1, "ok")
    assert value(obs, "62498", "ZONE_TENDUE") == (0, "ok")  # Lens: not listed
    assert obs.filter(pl.col("code") == "46042").height == 0  # Lot not in the extract
    assert obs["value"].sum() == 93


def test_zone_tendue_national_list_with_its_bom_gives_zero_elsewhere() -> None:
    batch = get("zone_tendue").read(demo_dir() / "zone_tendue" / "tlv_cities.csv.gz")
    obs = batch.tables["observations"]
    assert batch.row_count == 3697
    # The Lot has no commune in zone tendue: 0, not "not covered".
    assert value(obs, "46042", "ZONE_TENDUE") == (0, "ok")
    assert value(obs, "59350", "ZONE_TENDUE") == (1, "ok")


def test_zone_tendue_text_in_a_code(tmp_path: Path, fixtures: Path) -> None:
    path = edited(tmp_path, fixtures, TLV, "59350;", "59A50;")
    [(line, column, text)] = refusal("zone_tendue", path)
    assert (column, text) == ("CODE INSEE", "59A50") and line is not None


# --------------------------------------------------------------------------- THLV / TLV


def test_thlv_rate_of_cahors_and_tlv_of_lille(fixtures: Path) -> None:
    obs = get("taxe_vacance").read(fixtures / TAXE).tables["observations"]
    # 46042;THLV;0.169566150439648 ; 59350;TLV;
    assert value(obs, "46042", "THLV") == (1, "ok")
    assert value(obs, "46042", "THLV_TAUX") == (pytest.approx(16.9566150), "ok")
    assert value(obs, "59350", "TLV") == (1, "ok")
    assert value(obs, "59350", "THLV") == (0, "ok")


def test_thlv_bad_rate_and_type_are_located(tmp_path: Path, fixtures: Path) -> None:
    path = edited(tmp_path, fixtures, TAXE, "46042;THLV;0.169566150439648", "46042;THLV;dix")
    assert [(c, v) for _, c, v in refusal("taxe_vacance", path)] == [("taux", "dix")]
    path = edited(tmp_path, fixtures, TAXE, "46042;THLV;", "46042;THLVX;")
    problems = refusal("taxe_vacance", path)
    assert ("type_taxe", "THLVX") in [(c, v) for _, c, v in problems]


# --------------------------------------------------------------------------- ANCT


def test_anct_programmes_of_cahors(fixtures: Path) -> None:
    obs = get("anct_programmes").read(fixtures / ANCT).tables["observations"]
    # "46042","Cahors",,"ti-7603","crte-76-46-1","acv-042",...,"262",...
    assert value(obs, "46042", "ANCT_ACV") == (1, "ok")
    assert value(obs, "46042", "ANCT_PVD") == (0, "ok")
    assert value(obs, "46042", "ANCT_FS") == (1, "ok")
    pvd = obs.filter((pl.col("variable") == "ANCT_PVD") & (pl.col("value") == 1))
    assert pvd.height > 0  # e.g. Gourdon, Figeac...


def test_anct_duplicate_commune_is_located(tmp_path: Path, fixtures: Path) -> None:
    path = edited(tmp_path, fixtures, ANCT, '"46042","Cahors"', '"46043","Cahors"')
    problems = refusal("anct_programmes", path)
    assert {c for _, c, _ in problems} == {"insee_com"}
    assert all(line is not None for line, _, _ in problems)


# --------------------------------------------------------------------------- QPV


def test_qpv_of_lille_with_straddling_quartiers_not_split(fixtures: Path) -> None:
    batch = get("qpv").read(fixtures / QPV)
    obs = batch.tables["observations"]
    # Lille lies alone in Secteur Ouest (1 733), Nord Est (12 828) and Nord (1 421).
    assert value(obs, "59350", "QPV_NOMBRE") == (3, "ok")
    assert value(obs, "59350", "QPV_POPULATION") == (1733 + 12828 + 1421, "ok")
    # Secteur Sud (47 011: Faches-Thumesnil, Lezennes, Lille, Loos) and Nouveau Mons.
    assert value(obs, "59350", "QPV_INTERCOMMUNAUX") == (2, "ok")
    quartiers = batch.tables["quartiers"].filter(pl.col("code_qpv") == "QP059074")
    assert sorted(quartiers["code_commune"]) == ["59220", "59346", "59350", "59360"]
    assert set(quartiers["population"]) == {47011}
    assert value(obs, "59220", "QPV_POPULATION") == (0, "ok")  # Faches: only Secteur Sud


def test_qpv_unknown_commune_name_is_located(tmp_path: Path, fixtures: Path) -> None:
    path = edited(tmp_path, fixtures, QPV, ";Lille;", ";Lile;")
    [(line, column, text)] = refusal("qpv", path)
    assert (column, text) == ("LIB_COM", "Lile") and line is not None


def test_qpv_text_in_a_population(tmp_path: Path, fixtures: Path) -> None:
    path = edited(tmp_path, fixtures, QPV, "Secteur Ouest;1\u202f733;", "Secteur Ouest;mille;")
    [(line, column, text)] = refusal("qpv", path)
    assert (column, text) == ("POP_MUN", "mille") and line is not None


# --------------------------------------------------------------------------- cube


@pytest.fixture(scope="module")
def cube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cube]:
    fixtures = Path(__file__).parents[1] / "fixtures"
    settings = Settings(tmp_path_factory.mktemp("zonages"))
    for source, fixture in (
        ("zonage_abc", ABC),
        ("zone_tendue", TLV),
        ("anct_programmes", ANCT),
        ("qpv", QPV),
    ):
        import_file(settings, source, fixtures / fixture)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield c


def test_parent_counts_equal_its_communes_in_the_zone(fixtures: Path, cube: Cube) -> None:
    obs = get("zonage_abc").read(fixtures / ABC).tables["observations"]
    members = set(national().communes_of(Territory.parse(MEL)))
    for indicator, variable in (("communes_zone_a", "ZONE_A"), ("communes_zone_b1", "ZONE_B1")):
        expected = obs.filter(pl.col("code").is_in(members) & (pl.col("variable") == variable))[
            "value"
        ].sum()
        got = cube.value(indicator, Territory.parse(MEL))
        assert (got.value, got.status) == (expected, "ok")
        assert got.value > 0
    # The Lot's 313 communes of the COG 2019, all in zone C, are its communes of today
    # after a merger: every one counted once.
    lot = Territory.parse("DEP:46")
    assert cube.value("communes_zone_c", lot).value == len(national().communes_of(lot)) == 312


def test_qpv_counts_of_the_mel_leave_straddling_quartiers_out(cube: Cube) -> None:
    lille = cube.value("population_qpv", Territory.parse("COM:59350"))
    assert (lille.value, lille.status) == (15982, "ok")
    mel = cube.value("qpv_nombre", Territory.parse(MEL))
    assert mel.status == "ok" and mel.value > 3
