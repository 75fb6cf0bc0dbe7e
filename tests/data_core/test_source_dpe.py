"""DPE of existing dwellings (ADEME dpe03existant): the reader and its indicators.

No real file of existing dwellings is available here: the fixture is a small file WRITTEN
from the producer's documented layout (tests/fixtures/dpe/README.md). The real export of
the sister dataset "DPE logements neufs" (Rhône) checks that the shared columns are spelled
as the reader expects, and that such a file is refused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import SourceError, get
from observatoire.sources.dpe import LAYOUTS
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

READ = get("dpe").read
NAME = "dpe-existants-dep62-documente.csv"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "dpe" / NAME
NEUFS = Path("/work/shared/data/real/dpe/dpe-v2-logements-neufs-dep69.csv")


def value(obs: pl.DataFrame, code: str, year: int, variable: str) -> float | None:
    row = obs.filter(
        (pl.col("code") == code) & (pl.col("year") == year) & (pl.col("variable") == variable)
    )
    return None if row.is_empty() else row["value"][0]


def _edited(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = FIXTURE.read_text(encoding="utf-8-sig")
    assert old in text
    path = tmp_path / NAME
    path.write_text("\ufeff" + text.replace(old, new, count), encoding="utf-8")
    return path


def test_counts_by_commune_and_year() -> None:
    batch = READ(FIXTURE)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.part, batch.layout, batch.row_count) == (
        2023,
        "DEP-62",
        "libelles",
        8,
    )
    # Lens 2022: D, F, and G superseded by 2362E0000004D (2023, E) -> 2 DPE, 1 F or G.
    assert value(obs, "62498", 2022, "DPE_LOGEMENTS") == 2
    assert value(obs, "62498", 2022, "DPE_FG") == 1
    assert value(obs, "62498", 2023, "DPE_LOGEMENTS") == 1
    assert value(obs, "62498", 2023, "DPE_FG") == 0
    # Liévin 2023: one F appartement; the "immeuble" DPE (whole building) is not a dwelling.
    assert value(obs, "62510", 2023, "DPE_LOGEMENTS") == 1
    assert value(obs, "62510", 2023, "DPE_FG") == 1
    assert value(obs, "62065", 2023, "DPE_FG") == 1
    notes = " ".join(batch.notes)
    assert "1 DPE d'immeuble" in notes and "1 DPE sans commune" in notes
    assert "1 DPE remplacés" in notes and "ne recensent pas le parc" in notes


def test_api_spelling_is_read_the_same(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    for name, column in LAYOUTS["libelles"].items():
        header = header.replace(f'"{column}"', f'"{LAYOUTS["api"][name]}"')
    path = tmp_path / "dpe03existant.csv"
    path.write_text(header + "\n" + rest, encoding="utf-8")
    batch = READ(path)
    assert batch.layout == "api"
    assert batch.tables["observations"].equals(READ(FIXTURE).tables["observations"])


def test_real_new_dwellings_export_has_the_columns_but_is_refused() -> None:
    with NEUFS.open(encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    assert set(LAYOUTS["libelles"].values()) <= set(header)
    with pytest.raises(SourceError) as err:
        READ(NEUFS)
    first = err.value.problems[0]
    assert (first.line, first.column) == (2, "Modèle_DPE")
    assert first.value == "DPE NEUF logement : RT2012"
    assert "dpe03existant" in first.message


def test_unknown_label_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _edited(tmp_path, '"D","B","maison"', '"H","B","maison"')
    with pytest.raises(SourceError) as err:
        READ(path)
    p = err.value.problems[0]
    assert (p.file, p.line, p.column, p.value) == (NAME, 2, "Etiquette_DPE", "H")


def test_text_in_a_date(tmp_path: Path) -> None:
    path = _edited(tmp_path, '"2022-05-09"', '"9 mai 2022"')
    with pytest.raises(SourceError) as err:
        READ(path)
    p = err.value.problems[0]
    assert (p.line, p.column, p.value) == (3, "Date_établissement_DPE", "9 mai 2022")


def test_duplicate_dpe_number(tmp_path: Path) -> None:
    path = _edited(tmp_path, '"2262E0000002B"', '"2262E0000001A"')
    with pytest.raises(SourceError, match="doublon") as err:
        READ(path)
    assert {p.line for p in err.value.problems} == {2, 3}


def test_missing_column(tmp_path: Path) -> None:
    path = _edited(tmp_path, '"Type_bâtiment"', '"Type"')
    with pytest.raises(SourceError, match="Type_bâtiment"):
        READ(path)


def test_truncated_line(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8-sig").split("\n")
    text[3] = text[3][:50]
    path = tmp_path / NAME
    path.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        READ(path)
    assert err.value.problems[0].line == 4


def test_latin1_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(FIXTURE.read_text(encoding="utf-8-sig").encode("latin-1"))
    with pytest.raises(SourceError, match="utf-8") as err:
        READ(path)
    assert err.value.problems[0].line == 1  # "N°DPE" in the header


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)


@pytest.fixture(scope="module")
def cube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cube]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("dpe"))
    import_file(settings, "dpe", FIXTURE)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield c


def test_share_of_f_and_g_is_a_ratio_of_sums(cube: Cube) -> None:
    call = Territory.parse("EPCI:246200364")
    # 2023 in the CA de Lens-Liévin: Lens E, Liévin F, Avion G -> 2 of 3.
    assert cube.value("dpe_logements", call, year=2023).value == 3
    share = cube.value("dpe_part_fg", call, year=2023)
    assert (share.value, share.status) == (pytest.approx(200 / 3), "ok")
    # A commune of the Pas-de-Calais without any DPE counts 0, not "missing".
    arras = cube.value("dpe_logements", Territory.parse("COM:62041"), year=2023)
    assert (arras.value, arras.status) == (0, "ok")
