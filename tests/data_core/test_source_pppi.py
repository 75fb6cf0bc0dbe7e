"""PPPI (Anah / FILOCOM): the reader, the producer's secrecy and the engine's below 11.

No real PPPI file is available here (not open data): the fixture is a small file WRITTEN
from the documented layout, with invented counts (tests/fixtures/pppi/README.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.optimize import linprog

from observatoire.indicators.catalog import get as indicator
from observatoire.indicators.cube import build, check_secrecy, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import SourceError, get
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

READ = get("pppi").read
NAME = "pppi-communes-2021-documente.csv"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "pppi" / NAME
CALL = Territory.parse("EPCI:246200364")


def value(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str]:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    assert row.height == 1
    return row["value"][0], row["status"][0]


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="cp1252")
    assert old in text
    path = tmp_path / NAME
    path.write_text(text.replace(old, new, 1), encoding="cp1252")
    return path


def test_read_with_the_producers_secret() -> None:
    batch = READ(FIXTURE)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.part, batch.row_count) == (2021, "DEP-62", 38)
    assert value(obs, "62498", "PPPI") == (77, "ok")
    assert value(obs, "62119", "PPPI") == (None, "secret")  # "s"
    assert value(obs, "62119", "RP_PRIVEES") == (9905, "ok")  # "9 905"


def test_restricted_with_secrecy_below_11() -> None:
    for code in ("pppi_nombre", "pppi_part"):
        ind = indicator(code)
        assert ind.diffusion == "restreint"
        assert (ind.secrecy.min_numerator, ind.secrecy.secondary) == (11, True)


def test_more_pppi_than_private_residences(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, "62498;Commune 62498;1203;77", "62498;Commune 62498;1203;1500"))
    p = err.value.problems[0]
    assert (p.file, p.line, p.column, p.value) == (NAME, 21, "PPPI", "1500")


def test_unknown_marker(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, ";9 905;s", ";9 905;<11"))
    p = err.value.problems[0]
    assert (p.line, p.column, p.value) == (39, "PPPI", "<11")


def test_duplicate_commune(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="doublon"):
        READ(_edited(tmp_path, "62003;", "62001;"))


def test_missing_column(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="RP_PRIVEES"):
        READ(_edited(tmp_path, "RP_PRIVEES", "RP"))


def test_truncated_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, "62003;Commune 62003;537;23", "62003;Commune 62003;537"))
    assert err.value.problems[0].line == 3


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)


@pytest.fixture(scope="module")
def cube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cube]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("pppi"))
    import_file(settings, "pppi", FIXTURE)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield c


def test_below_11_is_masked_and_the_shares_are_ratios_of_sums(cube: Cube) -> None:
    arras = cube.value("pppi_nombre", Territory.parse("COM:62041"))
    assert (arras.value, arras.status) == (None, "secret")  # 7 in the file
    share = cube.value("pppi_part", Territory.parse("COM:62041"))
    assert (share.value, share.status) == (None, "secret")
    total = cube.value("pppi_nombre", CALL)
    assert (total.value, total.status) == (2610, "ok")
    assert cube.value("pppi_part", CALL).value == pytest.approx(100 * 2610 / 41310)
    # Béthune "s": never 0, and its EPCI cannot be summed from its communes.
    assert cube.value("pppi_nombre", Territory.parse("COM:62119")).status == "secret"


def _interval_of_a_masked_commune(
    cube: Cube, masked: str, counts: dict[str, int]
) -> tuple[float, float]:
    """The attack of docs/methodes.md « Secret statistique » written out on the CA alone:
    the published EPCI total minus its published communes is the sum of its masked
    communes; each commune lies between the smallest and largest published commune value
    (widened to its own value, as the model does)."""
    communes = {
        t.code: cube.value("pppi_nombre", t)
        for t in cube.ref.children(CALL)
        if cube.value("pppi_nombre", t).status != "missing"
    }
    shown = {c: v.value for c, v in communes.items() if v.value is not None}
    hidden = sorted(c for c, v in communes.items() if v.value is None)
    total = cube.value("pppi_nombre", CALL).value
    assert total is not None and masked in hidden
    truth = {c: float(counts[c]) for c in hidden}
    lo, hi = min(shown.values()), max(shown.values())
    bounds = [(min(lo, truth[c]), max(hi, truth[c])) for c in hidden]
    a_eq = np.ones((1, len(hidden)))
    b_eq = [total - sum(shown.values())]
    objective = np.array([1.0 if c == masked else 0.0 for c in hidden])
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    assert low.success and high.success
    return low.fun, -high.fun


def _file_counts(path: Path) -> dict[str, int]:
    lines = path.read_text(encoding="cp1252").splitlines()[1:]
    return {code: int(n) for code, _, _, n in (line.split(";") for line in lines) if n != "s"}


@pytest.fixture(scope="module")
def edited_cube(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, Cube, dict[str, int]]]:
    """Ablain-Saint-Nazaire (62001) at 7 in a CA whose every other commune is published."""
    tmp = tmp_path_factory.mktemp("pppi-below-11")
    path = _edited(tmp, "62001;Commune 62001;500;20", "62001;Commune 62001;500;7")
    settings = Settings(data_dir=tmp / "d")
    import_file(settings, "pppi", path)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        yield settings, c, _file_counts(path)


def test_a_value_below_11_alone_in_a_published_ca_is_protected_and_the_build_succeeds(
    edited_cube: tuple[Settings, Cube, dict[str, int]],
) -> None:
    """Before: the complementary commune chosen (the smallest) was at its own a priori
    lower bound once masked, so 62001 stayed exactly recoverable and every build was
    refused. Now one more commune, able to move down, is masked and the audit passes."""
    settings, cube, counts = edited_cube
    assert cube.value("pppi_nombre", Territory.parse("COM:62001")).status == "secret"
    total = cube.value("pppi_nombre", CALL)
    assert (total.value, total.status) == (2597, "ok")
    masked = [
        t.code for t in cube.ref.children(CALL) if cube.value("pppi_nombre", t).status == "secret"
    ]
    assert masked == ["62001", "62019"]  # one complementary commune, not the whole CA
    findings = [a for a in check_secrecy(settings) if a.findings]
    assert findings == []
    low, high = _interval_of_a_masked_commune(cube, "62001", counts)
    assert high - low >= indicator("pppi_nombre").secrecy.protection * 7
