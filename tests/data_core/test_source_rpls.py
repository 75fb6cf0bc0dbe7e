from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from observatoire.sources import SourceError, get
from observatoire.sources.base import Batch
from observatoire.sources.rpls import ABSENT_NOTE
from observatoire.territories.referential import national

READ = get("rpls").read
RESULTATS = "rpls/sdes-resultats-rpls-2024-commune-extrait.csv"
OCCUPATION = "rpls/sdes-rpls-2024-commune-occupation-extrait.csv"
INDICATEURS = "rpls/rrrpls-indicateurs-rpls-2019-extrait.csv"
DETAIL = "rpls/rrrpls-rpls-par-date-2019-extrait.csv"
AGREGE = "rpls/savoirfr-rpls-aggrege-large-2016-extrait.csv"
DEMO = Path(__file__).parents[2] / "src/observatoire/data/demo/rpls"
LENS_LIEVIN = "246200364"
TARGET_DEPS = ("14", "46", "53", "59", "62")


def value(obs: pl.DataFrame, code: str, variable: str, year: int | None = None,
          level: str | None = None) -> float | None:  # fmt: skip
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    if year is not None:
        row = row.filter(pl.col("year") == year)
    if level is not None:
        row = row.filter(pl.col("level") == level)
    assert row.height == 1, row
    v = row["value"][0]
    return None if v is None else float(v)


def status(obs: pl.DataFrame, code: str, variable: str, year: int | None = None) -> str:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    if year is not None:
        row = row.filter(pl.col("year") == year)
    assert row.height == 1
    return str(row["status"][0])


def dep_totals(obs: pl.DataFrame) -> dict[str, float]:
    """NB_LS by département, the département read from the commune code (as the file's DEP)."""
    nb = obs.filter(pl.col("variable") == "NB_LS")
    dep = pl.when(pl.col("code").str.starts_with("97")).then(pl.col("code").str.slice(0, 3))
    nb = nb.with_columns(dep.otherwise(pl.col("code").str.slice(0, 2)).alias("dep"))
    return dict(nb.group_by("dep").agg(pl.col("value").sum()).iter_rows())


def copy_edited(tmp_path: Path, fixtures: Path, name: str, edit: Callable[[bytes], bytes],
                new_name: str | None = None) -> Path:  # fmt: skip
    path = tmp_path / (new_name or Path(name).name)
    path.write_bytes(edit((fixtures / name).read_bytes()))
    return path


def edit_line(number: int, column: int, text: str) -> Callable[[bytes], bytes]:
    """Replace field `column` (0-based) of physical line `number` (1-based)."""

    def edit(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        cells = lines[number - 1].split(",")
        cells[column] = text
        lines[number - 1] = ",".join(cells)
        return "\n".join(lines).encode("utf-8")

    return edit


@pytest.fixture(scope="module")
def demo() -> dict[str, Batch]:
    """The shipped demo files, by layout (each read once: about 2 s in all)."""
    batches = [READ(p) for p in sorted(DEMO.glob("*.csv.gz"))]
    return {b.layout: b for b in batches}


# --------------------------------------------------------------------------- SDES, résultats


def test_resultats_known_values_of_lens(fixtures: Path) -> None:
    batch = READ(fixtures / RESULTATS)
    obs = batch.tables["observations"]
    assert (batch.layout, batch.part, batch.millesime, batch.geo_vintage) == (
        "sdes_resultats", "COM-resultats", 2024, 2024,
    )  # fmt: skip
    assert set(obs["year"]) == {2024} and set(obs["level"]) == {"COM"}
    assert value(obs, "62498", "NB_LS") == 9052
    assert value(obs, "62498", "TX_VAC") == pytest.approx(5.4065)
    assert value(obs, "62498", "TX_MOB") == pytest.approx(8.6921)
    assert value(obs, "62498", "DENSITE") == pytest.approx(58.28)
    assert value(obs, "2A004", "NB_LS") > 0 and value(obs, "97411", "NB_LS") > 0


def test_resultats_lens_lievin_sum_and_absent_communes(fixtures: Path) -> None:
    batch = READ(fixtures / RESULTATS)
    nb = batch.tables["observations"].filter(pl.col("variable") == "NB_LS")
    members = national().epci_members[LENS_LIEVIN]
    assert len(members) == 36
    inside = nb.filter(pl.col("code").is_in(list(members)))
    assert inside.height == 32 and inside["value"].sum() == 47_894
    # The 4 others have no social dwelling: absent from the file, i.e. 0 for the engine.
    assert sorted(set(members) - set(inside["code"])) == ["62003", "62213", "62380", "62854"]
    assert ABSENT_NOTE in batch.notes and "0 logement social" in ABSENT_NOTE


def test_rates_of_a_commune_without_social_dwelling_are_missing_not_zero(fixtures: Path) -> None:
    obs = READ(fixtures / RESULTATS).tables["observations"]
    assert value(obs, "05103", "NB_LS") == 0 and status(obs, "05103", "NB_LS") == "ok"
    assert value(obs, "05103", "DENSITE") == 0
    for variable in ("TX_VAC", "TX_MOB"):
        assert status(obs, "05103", variable) == "missing"
        assert value(obs, "05103", variable) is None
    assert status(obs, "01012", "TX_VAC") == "ok"  # 10 dwellings, rate published


def test_arrondissements_are_kept_when_the_city_row_is_absent(fixtures: Path) -> None:
    batch = READ(fixtures / RESULTATS)
    codes = set(batch.tables["observations"]["code"])
    assert {"75101", "75104", "13201", "69381"} <= codes and "75056" not in codes
    assert any("6 arrondissements municipaux" in n for n in batch.notes)


def test_arrondissements_are_dropped_when_the_city_row_is_there(
    tmp_path: Path, fixtures: Path
) -> None:
    path = copy_edited(tmp_path, fixtures, RESULTATS,
                       lambda b: b + b"11,75,75056,Paris,22.0,262000,2.0,5.0\n")  # fmt: skip
    batch = READ(path)
    codes = set(batch.tables["observations"]["code"])
    assert "75056" in codes and not codes & {"75101", "75102", "75103", "75104"}
    assert "13201" in codes  # Marseille has no city row: its arrondissement stays
    assert any("4 lignes d'arrondissements municipaux écartées" in n for n in batch.notes)


def test_demo_resultats_give_the_published_national_totals(demo: dict[str, Batch]) -> None:
    obs = demo["sdes_resultats"].tables["observations"]
    assert obs.filter(pl.col("variable") == "NB_LS")["value"].sum() == 5_366_986
    totals = dep_totals(obs)
    expected = {"14": 60_614, "46": 5_430, "53": 16_380, "59": 281_165, "62": 161_781}
    assert {d: totals[d] for d in expected} == expected
    assert value(obs, "62498", "NB_LS") == 9052


# --------------------------------------------------------------------------- SDES, occupation


def test_occupation_counts_and_secret(fixtures: Path) -> None:
    batch = READ(fixtures / OCCUPATION)
    obs = batch.tables["observations"]
    assert (batch.layout, batch.part, batch.millesime) == (
        "sdes_occupation",
        "COM-occupation",
        2024,
    )
    counts = ("NB_LOUES", "NB_VACANTS", "NB_VIDES", "NB_ASSO", "NB_OCCUP_FINAN", "NB_OCCUP_TEMP")
    lens = {v: value(obs, "62498", v) for v in counts}
    assert lens == {"NB_LOUES": 7016, "NB_VACANTS": 401, "NB_VIDES": 837, "NB_ASSO": 77,
                    "NB_OCCUP_FINAN": 721, "NB_OCCUP_TEMP": 0}  # fmt: skip
    assert value(obs, "62498", "NB_LS") == 9052
    # Aranc: empty counts = secret (never 0), its total stays published.
    assert status(obs, "01012", "NB_LOUES") == "secret" and value(obs, "01012", "NB_LOUES") is None
    assert status(obs, "01012", "NB_LS") == "ok" and value(obs, "01012", "NB_LS") == 10
    assert status(obs, "18032", "NB_LOUES") == "ok"  # published zeros stay zeros
    assert ABSENT_NOTE in batch.notes
    assert any("secret (" in n for n in batch.notes)


def test_occupation_gives_back_the_vacancy_rate_of_resultats(fixtures: Path) -> None:
    occ = READ(fixtures / OCCUPATION).tables["observations"]
    res = READ(fixtures / RESULTATS).tables["observations"]
    wide = occ.filter(pl.col("status") == "ok").pivot("variable", index="code", values="value")
    rates = res.filter(pl.col("variable") == "TX_VAC").select("code", pl.col("value").alias("tx"))
    both = wide.join(rates, on="code").filter((pl.col("NB_LOUES") + pl.col("NB_VACANTS")) > 0)
    computed = 100 * both["NB_VACANTS"] / (both["NB_LOUES"] + both["NB_VACANTS"])
    assert both.height >= 30
    assert (computed - both["tx"]).abs().max() < 1e-4
    lens = 100 * 401 / (7016 + 401)
    assert lens == pytest.approx(value(res, "62498", "TX_VAC"), abs=1e-4)


def test_demo_occupation_secret_count_and_same_stock(demo: dict[str, Batch]) -> None:
    occ = demo["sdes_occupation"].tables["observations"]
    res = demo["sdes_resultats"].tables["observations"]
    assert (
        occ.filter((pl.col("variable") == "NB_LOUES") & (pl.col("status") == "secret")).height
        == 5451
    )
    nb = occ.filter(pl.col("variable") == "NB_LS")
    assert nb["value"].sum() == 5_366_986 and nb["status"].unique().to_list() == ["ok"]
    assert res.filter(pl.col("variable") == "NB_LS").height == nb.height == 16_859


def test_occupation_counts_must_add_up_to_the_stock(tmp_path: Path, fixtures: Path) -> None:
    path = copy_edited(tmp_path, fixtures, OCCUPATION, edit_line(28, 3, "7116"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    (p,) = exc.value.problems
    assert (p.line, p.column, p.value) == (28, "nb_ls", "9052")
    assert "9152" in p.message and p.file == Path(OCCUPATION).name


def test_occupation_column_missing(tmp_path: Path, fixtures: Path) -> None:
    path = copy_edited(
        tmp_path, fixtures, OCCUPATION, lambda b: b.replace(b"nb_vides", b"nb_vide", 1)
    )
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert [(p.column, p.line) for p in exc.value.problems] == [("nb_vides", 1)]
    assert "absente" in exc.value.problems[0].message


# --------------------------------------------------------------------------- DREAL indicators


def test_indicateurs_lens_lievin_as_published(fixtures: Path) -> None:
    batch = READ(fixtures / INDICATEURS)
    obs = batch.tables["observations"]
    assert (batch.layout, batch.part, batch.millesime, batch.geo_vintage) == (
        "dreal_indicateurs", "SUPRA", 2019, 2019,
    )  # fmt: skip
    assert set(obs["year"]) == {2018, 2019} and "COM" not in set(obs["level"])
    ll = LENS_LIEVIN
    assert value(obs, ll, "NB_LS", 2019) == 48_154 and value(obs, ll, "NB_LS", 2018) == 48_286
    assert value(obs, ll, "DENSITE", 2019) == pytest.approx(48.2, abs=0.05)
    assert value(obs, ll, "LOYER_M2", 2019) == pytest.approx(5.6455, abs=1e-4)
    assert value(obs, ll, "TX_VAC", 2019) == pytest.approx(1.4649, abs=1e-4)
    assert value(obs, ll, "TX_MOB", 2019) == pytest.approx(9.8765, abs=1e-4)
    assert value(obs, ll, "RP", 2019) == pytest.approx(99_900, abs=1)
    loyer, surface = value(obs, ll, "LOYER_TOTAL", 2019), value(obs, ll, "SURF_HAB", 2019)
    assert loyer and surface and loyer / surface == pytest.approx(value(obs, ll, "LOYER_M2", 2019))
    # Only "Ensemble du parc": the "Parc de moins de 5 ans" rows of this EPCI are ignored.
    assert obs.filter((pl.col("code") == ll) & (pl.col("variable") == "NB_LS")).height == 2


def test_indicateurs_region_and_departement_codes_collide(fixtures: Path) -> None:
    obs = READ(fixtures / INDICATEURS).tables["observations"]
    assert value(obs, "32", "NB_LS", 2019, level="REG") == 579_987  # Hauts-de-France
    assert value(obs, "32", "NB_LS", 2019, level="DEP") == 5_696  # Gers
    deps = {d: value(obs, d, "NB_LS", 2019, level="DEP") for d in TARGET_DEPS}
    assert deps == {"14": 59_096, "46": 5_167, "53": 16_026, "59": 269_382, "62": 160_839}


def test_indicateurs_france_is_metropole_plus_drom(fixtures: Path) -> None:
    batch = READ(fixtures / INDICATEURS)
    obs = batch.tables["observations"]
    fr = obs.filter(pl.col("level") == "FR")
    assert set(fr["code"]) == {"FR"}
    assert value(obs, "FR", "NB_LS", 2019) == 5_089_834  # FRMETRODROM, not FRMETRO (4,925,460)
    assert any("FRMETRO (métropole seule) écarté" in n for n in batch.notes)


def test_indicateurs_r_inf_and_empty_values_are_missing(fixtures: Path) -> None:
    obs = READ(fixtures / INDICATEURS).tables["observations"]
    # Mayotte: RP published as 0, density written "inf" by R.
    assert value(obs, "976", "NB_LS", 2019) == 275
    assert status(obs, "976", "DENSITE", 2019) == "missing"
    assert status(obs, "976", "RP", 2019) == "missing"
    assert status(obs, "200060457", "DENSITE", 2019) == "missing"
    # An EPCI without social housing: its rates are 0/0, left empty.
    assert value(obs, "200059871", "NB_LS", 2019) == 0
    assert status(obs, "200059871", "TX_VAC", 2019) == "missing"


def test_indicateurs_millesime_must_match_the_columns(fixtures: Path) -> None:
    with pytest.raises(SourceError, match="millésime demandé"):
        READ(fixtures / INDICATEURS, millesime=2020)


def test_indicateurs_unknown_zone_and_negative_value(tmp_path: Path, fixtures: Path) -> None:
    path = copy_edited(tmp_path, fixtures, INDICATEURS, edit_line(4, 0, "Cantons"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert [(p.line, p.column, p.value) for p in exc.value.problems] == [(4, "TypeZone", "Cantons")]
    path = copy_edited(tmp_path, fixtures, INDICATEURS, edit_line(3, 5, "-14156.0"))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert [(p.line, p.column, p.value) for p in exc.value.problems] == [(3, "Valeur", "-14156")]


def test_indicateurs_duplicate_row(tmp_path: Path, fixtures: Path) -> None:
    def edit(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        return b"".join([*lines, lines[1]])

    with pytest.raises(SourceError) as exc:
        READ(copy_edited(tmp_path, fixtures, INDICATEURS, edit))
    assert {p.line for p in exc.value.problems} == {2, 310}
    assert "doublon" in exc.value.problems[0].message


# --------------------------------------------------------------------------- DREAL detail


def test_detail_sums_per_commune(fixtures: Path) -> None:
    batch = READ(fixtures / DETAIL)
    obs = batch.tables["observations"]
    assert (batch.layout, batch.part, batch.millesime, batch.geo_vintage) == (
        "dreal_detail", "COM-detail", 2019, 2019,
    )  # fmt: skip
    got = {v: value(obs, "62291", v) for v in ("NB_LS", "NB_LS_QPV", "NB_LS_INDIVIDUELS",
           "NB_LS_COLLECTIFS", "NB_LS_DPE_EFG", "NB_LS_DPE_INCONNU", "NB_LS_1_2P")}  # fmt: skip
    assert got == {"NB_LS": 357, "NB_LS_QPV": 51, "NB_LS_INDIVIDUELS": 215,
                   "NB_LS_COLLECTIFS": 142, "NB_LS_DPE_EFG": 28, "NB_LS_DPE_INCONNU": 188,
                   "NB_LS_1_2P": 81}  # fmt: skip
    wide = obs.pivot("variable", index="code", values="value")
    assert wide.height == 14
    for parts in (["NB_LS_INDIVIDUELS", "NB_LS_COLLECTIFS"],
                  ["NB_LS_DPE_ABC", "NB_LS_DPE_D", "NB_LS_DPE_EFG", "NB_LS_DPE_INCONNU"],
                  ["NB_LS_1_2P", "NB_LS_3_4P", "NB_LS_5P_PLUS"]):  # fmt: skip
        assert wide.select(pl.sum_horizontal(parts) == pl.col("NB_LS")).to_series().all()
    assert value(obs, "62107", "NB_LS_QPV") == 0  # explicit zero, not absent
    assert value(obs, "62865", "NB_LS") == 341  # rows with construction year 1097 are counted
    assert any("départements couverts : 14, 46, 53, 59, 62" in n for n in batch.notes)


def test_detail_counts_dwellings_built_before_1975_out_of_plausible_years(fixtures: Path) -> None:
    obs = READ(fixtures / DETAIL).tables["observations"]
    # 62865: 341 dwellings, 7 with the construction year 1097 (a typing error): unknown
    # year, not "before 1975"; 5 built between 1800 and 1974.
    assert value(obs, "62865", "NB_LS_CONSTRUCT_CONNU") == 341 - 7
    assert value(obs, "62865", "NB_LS_AVANT_1975") == 5


def test_demo_detail_adds_up_to_the_published_epci_and_departements(
    demo: dict[str, Batch],
) -> None:
    obs = demo["dreal_detail"].tables["observations"]
    pub = demo["dreal_indicateurs"].tables["observations"]
    ref = national()
    nb = obs.filter(pl.col("variable") == "NB_LS")
    ll = nb.filter(pl.col("code").is_in(list(ref.epci_members[LENS_LIEVIN])))
    assert ll.height == 32 and ll["value"].sum() == 48_154 == value(pub, LENS_LIEVIN, "NB_LS", 2019)
    totals = dep_totals(obs)
    assert totals == {"14": 59_096, "46": 5_167, "53": 16_026, "59": 269_382, "62": 160_839}
    for dep, total in totals.items():
        assert value(pub, dep, "NB_LS", 2019, level="DEP") == total
    # COG 2019 codes: the communes merged since then are unknown to the COG 2026; the
    # engine harmonises them (their département is their code's).
    gone = sorted(set(nb["code"]) - set(ref.commune_dep))
    assert gone == ["14011", "14623", "53239", "53274", "62461", "62549", "62743"]


def test_detail_millesime_from_name_or_argument(tmp_path: Path, fixtures: Path) -> None:
    path = copy_edited(tmp_path, fixtures, DETAIL, lambda b: b, new_name="rpls_par_date.csv")
    with pytest.raises(SourceError, match="--millesime"):
        READ(path)
    batch = READ(path, millesime=2019)
    assert batch.millesime == 2019 and set(batch.tables["observations"]["year"]) == {2019}


def test_detail_unknown_category_and_negative_count(tmp_path: Path, fixtures: Path) -> None:
    def edit(data: bytes) -> bytes:
        data = edit_line(2, 2, "H")(data)
        return edit_line(5, 7, "-3")(data)

    with pytest.raises(SourceError) as exc:
        READ(copy_edited(tmp_path, fixtures, DETAIL, edit))
    assert [(p.line, p.column, p.value) for p in exc.value.problems] == [
        (2, "dpeenergie", "H"),
        (5, "n", "-3"),
    ]


def test_detail_duplicate_and_missing_column(tmp_path: Path, fixtures: Path) -> None:
    def dup(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        return b"".join([*lines, lines[3]])

    with pytest.raises(SourceError) as exc:
        READ(copy_edited(tmp_path, fixtures, DETAIL, dup))
    assert {p.line for p in exc.value.problems} == {4, 432}
    path = copy_edited(tmp_path, fixtures, DETAIL, lambda b: b.replace(b"dpeserre", b"dpe_ges", 1))
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert [(p.column, p.message) for p in exc.value.problems] == [
        ("dpeserre", "colonne obligatoire absente de l'en-tête.")
    ]


# --------------------------------------------------------------------------- savoirfR


def test_savoirfr_communes_add_up_to_their_epci(fixtures: Path) -> None:
    batch = READ(fixtures / AGREGE)
    obs = batch.tables["observations"]
    assert (batch.layout, batch.part, batch.millesime, batch.geo_vintage) == (
        "savoirfr_agrege", "COM-SUPRA-agrege", 2016, 2017,
    )  # fmt: skip
    nb = obs.filter((pl.col("variable") == "NB_LS") & (pl.col("level") == "COM"))
    members = list(national().epci_members[LENS_LIEVIN])
    for year, total in ((2016, 48_451), (2015, 48_044)):
        coms = nb.filter(pl.col("code").is_in(members) & (pl.col("year") == year))
        assert coms.height == 36 and coms["value"].sum() == total
        assert value(obs, LENS_LIEVIN, "NB_LS", year, level="EPCI") == total
    assert value(obs, "62498", "NB_LS", 2016) == 9220
    assert value(obs, "62380", "NB_LS", 2016) == 0  # listed with 0
    assert value(obs, "32", "NB_LS", 2016, level="REG") == 564_451
    assert value(obs, "32", "NB_LS", 2016, level="DEP") != 564_451
    assert value(obs, "FR", "NB_LS", 2016) == 4_776_535
    assert "ZZZZZZZZZ" not in set(obs["code"])
    assert any("Sans objet" in n for n in batch.notes)
    assert any("France métropolitaine (hors DROM)" in n for n in batch.notes)


# --------------------------------------------------------------------------- bad input, formats


def test_text_in_numbers_reported_together(tmp_path: Path, fixtures: Path) -> None:
    def edit(data: bytes) -> bytes:
        return edit_line(28, 5, "douze")(edit_line(30, 6, "5.4.3")(data))

    with pytest.raises(SourceError) as exc:
        READ(copy_edited(tmp_path, fixtures, RESULTATS, edit))
    problems = exc.value.problems
    assert [(p.line, p.column, p.value) for p in problems] == [
        (28, "nb_ls", "douze"),
        (30, "tx_vac", "5.4.3"),
    ]
    text = str(exc.value)
    assert "sdes-resultats-rpls-2024-commune-extrait.csv" in text and "ligne 28" in text
    assert "« nb_ls »" in text and "« douze »" in text


def test_rate_above_100_is_refused(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as exc:
        READ(copy_edited(tmp_path, fixtures, RESULTATS, edit_line(28, 7, "186.9")))
    (p,) = exc.value.problems
    assert (p.line, p.column, p.value) == (28, "tx_mob", "186.9")


def test_duplicate_commune(tmp_path: Path, fixtures: Path) -> None:
    def edit(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        return b"".join([*lines, lines[27]])

    with pytest.raises(SourceError) as exc:
        READ(copy_edited(tmp_path, fixtures, RESULTATS, edit))
    assert {(p.line, p.value) for p in exc.value.problems} == {(28, "62498"), (51, "62498")}


def test_truncated_file(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(SourceError) as exc:
        READ(copy_edited(tmp_path, fixtures, OCCUPATION, lambda b: b[:-12]))
    (p,) = exc.value.problems
    assert p.line == 50 and "champs au lieu de 10" in p.message


def test_encoding_errors(tmp_path: Path, fixtures: Path) -> None:
    # 0x81 is neither UTF-8 nor cp1252 here: the line is named.
    bad = copy_edited(
        tmp_path, fixtures, RESULTATS, lambda b: b.replace(b"62498,Lens", b"62498,L\x81ns", 1)
    )
    with pytest.raises(SourceError) as exc:
        READ(bad)
    assert exc.value.problems[0].line == 28 and "encodage" in exc.value.problems[0].message
    utf16 = copy_edited(
        tmp_path, fixtures, RESULTATS, lambda b: b.decode().encode("utf-16"), "rpls-2024-16.csv"
    )
    with pytest.raises(SourceError) as exc:
        READ(utf16)
    assert exc.value.problems[0].line == 1 and "UTF-16" in exc.value.problems[0].message


def test_excel_export_cp1252_semicolon_decimal_comma(tmp_path: Path, fixtures: Path) -> None:
    def excel(data: bytes) -> bytes:
        rows = [line.split(",") for line in data.decode().splitlines()]
        return "\r\n".join(";".join(c.replace(".", ",") for c in r) for r in rows).encode("cp1252")

    path = copy_edited(tmp_path, fixtures, RESULTATS, excel)
    assert b"\xe9" in path.read_bytes()  # "Le Poët", "Liévin"... in cp1252
    assert (
        READ(path).tables["observations"].equals(READ(fixtures / RESULTATS).tables["observations"])
    )


@pytest.mark.parametrize("content", [b"", b"  \n", b"DEPCOM_ARM,nb_ls\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "rpls-2024.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=r"vide|aucune ligne de données"):
        READ(path)


def test_unknown_layout(tmp_path: Path) -> None:
    path = tmp_path / "rpls-2024.csv"
    path.write_bytes(b"CODGEO,P21_LOG\n62498,1\n")
    with pytest.raises(SourceError) as exc:
        READ(path)
    assert exc.value.problems[0].line == 1 and "DEPCOM_ARM" in str(exc.value)


def test_gzipped_file_reads_the_same(tmp_path: Path, fixtures: Path) -> None:
    gz = tmp_path / "sdes-rpls-2024-commune-occupation-extrait.csv.gz"
    gz.write_bytes(gzip.compress((fixtures / OCCUPATION).read_bytes()))
    assert (
        READ(gz).tables["observations"].equals(READ(fixtures / OCCUPATION).tables["observations"])
    )


def test_every_variable_is_declared(fixtures: Path) -> None:
    from observatoire.sources.rpls import VARIABLES

    seen: set[str] = set()
    for name in (RESULTATS, OCCUPATION, INDICATEURS, DETAIL, AGREGE):
        seen |= set(READ(fixtures / name).tables["observations"]["variable"])
    assert seen == set(VARIABLES)
