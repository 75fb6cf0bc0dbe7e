"""RNIC (registre national d'immatriculation des copropriétés): the reader and indicators.

No real extract of the registry is available here: the fixture is a small file WRITTEN from
the producer's documented layout (tests/fixtures/rnic/README.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import SourceError, get
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

READ = get("rnic").read
NAME = "rnc-data-gouv-with-qpv-2025-documente.csv"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "rnic" / NAME


def value(obs: pl.DataFrame, code: str, variable: str) -> float | None:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    return None if row.is_empty() else row["value"][0]


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / NAME
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _refusal(path: Path) -> SourceError:
    with pytest.raises(SourceError) as err:
        READ(path)
    assert NAME in err.value.render()
    return err.value


def test_counts_by_commune() -> None:
    batch = READ(FIXTURE)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.part, batch.row_count) == (2025, "DEP-62", 6)
    assert set(obs["year"]) == {2025}
    # Lens: professionnel (QPV, 1961-1974, 30 lots), bénévole (1949-, 4), non connu (10).
    assert value(obs, "62498", "COPRO") == 3
    assert value(obs, "62498", "COPRO_LOTS_HABITATION") == 44
    assert value(obs, "62498", "COPRO_SYNDIC_PRO") == 1
    assert value(obs, "62498", "COPRO_SYNDIC_CONNU") == 2
    assert value(obs, "62498", "COPRO_QPV") == 1
    assert value(obs, "62498", "COPRO_AVANT_1949") == 1
    # Liévin: professionnel and coopératif, both known.
    assert value(obs, "62510", "COPRO_SYNDIC_CONNU") == 2
    assert "1 copropriétés sans commune" in " ".join(batch.notes)


def test_unknown_syndic_type(tmp_path: Path) -> None:
    err = _refusal(_edited(tmp_path, ",bénévole,", ",benevole,"))
    p = err.problems[0]
    assert (p.line, p.column, p.value) == (
        3,
        "type_de_syndic_benevole_professionnel_non_connu",
        "benevole",
    )


def test_text_in_a_number_of_lots(tmp_path: Path) -> None:
    err = _refusal(_edited(tmp_path, ",40,32,30,8,", ",40,32,trente,8,"))
    p = err.problems[0]
    assert (p.line, p.column, p.value) == (2, "nombre_de_lots_a_usage_d_habitation", "trente")


def test_more_dwelling_lots_than_lots(tmp_path: Path) -> None:
    err = _refusal(_edited(tmp_path, ",6,4,4,2,", ",6,4,9,2,"))
    p = err.problems[0]
    assert (p.line, p.column, p.value) == (3, "nombre_de_lots_a_usage_d_habitation", "9")


def test_unknown_period(tmp_path: Path) -> None:
    err = _refusal(_edited(tmp_path, ",DE_1994_A_2000,", ",1994-2000,"))
    assert (err.problems[0].line, err.problems[0].column) == (5, "periode_de_construction")


def test_duplicate_number(tmp_path: Path) -> None:
    err = _refusal(_edited(tmp_path, ",AA0000002,", ",AA0000001,"))
    assert {p.line for p in err.problems} == {2, 3}


def test_missing_column(tmp_path: Path) -> None:
    path = _edited(tmp_path, "code_officiel_commune", "code_commune")
    with pytest.raises(SourceError, match="code_officiel_commune"):
        READ(path)


def test_truncated_line(tmp_path: Path) -> None:
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2][:60]
    path = tmp_path / NAME
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _refusal(path).problems[0].line == 3


def test_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(FIXTURE.read_text(encoding="utf-8").encode("latin-1"))
    err = _refusal(path)
    assert err.problems[0].line == 2  # "Grande Résidence"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)


def test_millesime_is_required_without_a_year_in_the_name(tmp_path: Path) -> None:
    path = tmp_path / "rnc-data-gouv-with-qpv.csv"
    path.write_bytes(FIXTURE.read_bytes())
    with pytest.raises(SourceError, match="millésime"):
        READ(path)
    assert READ(path, millesime=2024).millesime == 2024


@pytest.fixture(scope="module")
def cube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cube]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("rnic"))
    import_file(settings, "rnic", FIXTURE)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield c


def test_call_shares_are_ratios_of_sums(cube: Cube) -> None:
    call = Territory.parse("EPCI:246200364")
    assert cube.value("copro_nombre", call).value == 5
    assert cube.value("copro_lots_habitation", call).value == 70
    # 2 professional of 4 of known syndic type (Lens "non connu" out of the denominator).
    assert cube.value("copro_part_syndic_pro", call).value == pytest.approx(50)
    assert cube.value("copro_part_qpv", call).value == pytest.approx(20)
    arras = cube.value("copro_nombre", Territory.parse("COM:62041"))
    assert (arras.value, arras.status) == (0, "ok")
