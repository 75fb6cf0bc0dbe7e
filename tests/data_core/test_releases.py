"""Open data releases (`observatoire publications release`) on the demo cube: the files
reload into DuckDB and equal the cube's public rows, two runs give the same bytes, only
public diffusion, secret values without value; what changed between two releases."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from tests.support import CountingConnection

from observatoire import figures
from observatoire.cli import main
from observatoire.indicators.catalog import catalog
from observatoire.releases import changes, writer
from observatoire.releases.rows import row
from observatoire.settings import Settings, activate
from observatoire.territories import Level, Territory

LENS_LIEVIN = Territory(Level.EPCI, "246200364")
PARENTS = [("EPCI", "246200364"), ("DEP", "62"), ("REG", "32"), ("FR", "FR")]
FILES = (writer.CSV_NAME, writer.PARQUET_NAME, writer.SCHEMA_NAME, writer.README_NAME)


@pytest.fixture(scope="module")
def demo(demo_data: tuple[Path, str]) -> Iterator[Settings]:
    settings = activate(Settings(data_dir=demo_data[0]))
    yield settings


@pytest.fixture(scope="module")
def release(demo: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return writer.write(LENS_LIEVIN, tmp_path_factory.mktemp("releases")).path


def _csv(path: Path) -> list[dict[str, str]]:
    with (path / writer.CSV_NAME).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _cube_public_rows(settings: Settings) -> set[tuple[object, ...]]:
    """Read straight from the cube file, without the release code: public indicators of
    the CA de Lens-Liévin, its 36 communes and its parents."""
    public = sorted(c for c, i in catalog().items() if i.diffusion == "public")
    wanted = [("COM", c) for c in figures.communes_of(LENS_LIEVIN)] + PARENTS
    assert len(wanted) == 36 + 4
    with duckdb.connect(str(settings.cube_path), read_only=True) as con:
        rows = con.execute(
            "SELECT indicator, level, code, year, "
            "CASE WHEN status IN ('ok', 'estimated') THEN round(value, 6) END, status, "
            "millesime, geo_vintage FROM cube "
            "WHERE indicator IN (SELECT unnest(?::VARCHAR[])) "
            "AND level || ':' || code IN (SELECT unnest(?::VARCHAR[]))",
            [public, [f"{level}:{code}" for level, code in wanted]],
        ).fetchall()
    return set(rows)


def test_release_reloads_into_duckdb_and_equals_the_cube(demo: Settings, release: Path) -> None:
    expected = _cube_public_rows(demo)
    assert len(expected) > 1000
    select = (
        "SELECT indicateur, niveau, code, annee, valeur, statut, millesime, millesime_cog FROM "
    )
    with duckdb.connect() as con:
        parquet = con.execute(select + f"'{release / writer.PARQUET_NAME}'").fetchall()
        # The CSV as a data.gouv.fr user reads it: `,` separator, codes kept as text.
        from_csv = con.execute(
            select + f"read_csv('{release / writer.CSV_NAME}', delim = ',', header = true, "
            "types = {'code': 'VARCHAR'})"
        ).fetchall()
    assert len(parquet) == len(expected)
    assert set(parquet) == expected
    assert set(from_csv) == expected
    # One row per indicator × territory × year.
    assert len({r[:4] for r in parquet}) == len(parquet)


def test_two_runs_give_the_same_bytes(demo: Settings, release: Path, tmp_path: Path) -> None:
    again = writer.write(LENS_LIEVIN, tmp_path).path
    assert again.name == release.name
    for name in FILES:
        assert (again / name).read_bytes() == (release / name).read_bytes(), name


def test_only_public_indicators_are_released(demo: Settings, release: Path) -> None:
    hidden = {c for c, i in catalog().items() if i.diffusion != "public"}
    assert "vacance_longue_duree_part" in hidden
    with duckdb.connect(str(demo.cube_path), read_only=True) as con:
        (in_cube,) = con.execute(
            "SELECT count(*) FROM cube WHERE indicator = 'vacance_longue_duree_part' "
            "AND code = '246200364'"
        ).fetchone() or (0,)
    assert in_cube > 0  # the cube has it: the release leaves it out
    released = {r["indicateur"] for r in _csv(release)}
    assert not released & hidden
    assert "taux_vacance" in released


def test_secret_values_have_no_value(demo: Settings, release: Path) -> None:
    rows = _csv(release)
    secret = [r for r in rows if r["statut"] == "secret"]
    assert secret
    assert all(r["valeur"] == "" for r in secret)
    assert all(r["valeur"] != "" for r in rows if r["statut"] == "ok")


def test_release_files_follow_data_gouv_conventions(release: Path) -> None:
    raw = (release / writer.CSV_NAME).read_bytes()
    header = raw.split(b"\r\n", 1)[0].decode("utf-8")
    package = json.loads((release / writer.SCHEMA_NAME).read_text(encoding="utf-8"))
    schema = package["resources"][0]["schema"]
    assert header.split(",") == [f["name"] for f in schema["fields"]]
    assert package["resources"][0]["dialect"]["delimiter"] == ","
    lens = next(
        r for r in _csv(release) if r["code"] == "62498" and r["indicateur"] == "taux_vacance"
    )
    assert "," not in lens["valeur"] and "." in lens["valeur"]
    assert release.name.startswith("observatoire_EPCI-246200364_")
    readme = (release / writer.README_NAME).read_text(encoding="utf-8")
    assert "Licence Ouverte" in readme
    assert "secret statistique" in readme
    assert package["created"] in readme


def test_cli_release_and_refusal(demo: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(demo.data_dir), "publications", "release"]
    done = runner.invoke(main, [*args, "EPCI:246200364", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert len(changes.listed(tmp_path)) == 1
    bad = runner.invoke(main, [*args, "EPCI:999999999", "--out", str(tmp_path)])
    assert bad.exit_code == 2
    assert "999999999" in bad.output and "Traceback" not in bad.output


def test_changes_between_two_releases(release: Path, tmp_path: Path) -> None:
    """A later release (its CSV edited as a rebuild with a new RP millésime would)."""
    old = tmp_path / release.name
    shutil.copytree(release, old)
    new = tmp_path / "observatoire_EPCI-246200364_2099-01-01T000000Z"
    shutil.copytree(release, new)
    rows = _csv(release)
    lens = next(
        i for i, r in enumerate(rows) if r["code"] == "62498" and r["indicateur"] == "taux_vacance"
    )
    rows[lens] = rows[lens] | {"valeur": "9.4"}
    rows.append(rows[lens] | {"annee": "2099", "millesime": "2099", "valeur": "9.5"})
    with (new / writer.CSV_NAME).open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    found = changes.between(old, new)
    assert [(c.code, c.before != "9.4", c.after) for c in found.changed] == [("62498", True, "9.4")]
    assert [(c.code, c.year) for c in found.added] == [("62498", "2099")]
    assert [m[0] for m in found.new_millesimes] == ["taux_vacance"]


def test_a_release_reads_the_cube_at_once_with_the_rows_of_each_territory(
    demo: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read territory by territory, a France release (~35,000 territories) did not end in
    4 minutes: the rows come from one query, the same as each territory's series."""
    current = figures.cube()
    counting = CountingConnection(current.con)
    monkeypatch.setattr(current, "con", counting)
    monkeypatch.setattr(current, "_rows_cache", {}, raising=False)
    rows = writer.release_rows(LENS_LIEVIN)
    assert len(counting.queries) <= 2
    one_by_one = [
        row(v)
        for t in writer.territories_of(LENS_LIEVIN)
        for i in writer.public_indicators()
        for v in figures.series(i.code, t)
    ]
    one_by_one.sort(key=lambda r: (r["indicateur"], r["niveau"], r["code"], r["annee"] or 0))
    assert len(rows) > 9000
    assert rows == one_by_one


def test_a_release_writes_its_rows_as_it_reads_them(
    demo: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A France release (8 million rows) held every row, then the whole CSV as one string,
    before writing a byte, while DuckDB held its sorted rows: 12.6 GB. Now the rows reach
    the file as the cube gives them (when the cube's last row is read, the CSV on disk
    holds all the others but one buffer) and DuckDB sorts them under a memory limit,
    lifted after the release for the next reader of the cube."""
    con = figures.cube().con
    setting = "SELECT current_setting('memory_limit')"
    (before,) = con.execute(setting).fetchone() or ("",)
    read = figures.every_series
    seen: dict[str, object] = {}

    def spy(codes: list[str], territories: list[Territory]) -> Iterator[object]:
        seen["limit"] = con.execute(setting).fetchone()
        yield from read(codes, territories)
        written = list(tmp_path.glob(f".*.tmp/{writer.CSV_NAME}"))
        seen["on_disk"] = written[0].stat().st_size if written else 0

    monkeypatch.setattr(figures, "every_series", spy)
    release = writer.write(LENS_LIEVIN, tmp_path).path
    final = (release / writer.CSV_NAME).stat().st_size
    assert final > 1_000_000
    assert isinstance(seen["on_disk"], int) and seen["on_disk"] > final - 64 * 1024
    # "488.2 MiB" during the read, "18.8 GiB" (80 % of the machine) otherwise.
    (limit,) = seen["limit"]  # type: ignore[misc]
    amount, unit = str(limit).split()
    assert unit == "MiB" and float(amount) < 1024, limit
    assert con.execute(setting).fetchone() == (before,)
