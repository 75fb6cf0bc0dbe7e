"""Sources declared without code: the three shipped declarations (SIAO, CCAPEX, Anah
dossiers, docs/sources-declarees/), their checks, import, values at every level, diffusion
and the end of the convention.

No partner file exists here (they are handed under convention): each test WRITES its file
from the declaration, one row per real commune of the Pas-de-Calais (COG 2026), with
invented counts; the expected values are recomputed from the written rows.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from observatoire.cli import main
from observatoire.figures import PUBLIC, Reader, read_value
from observatoire.indicators.catalog import catalog, get, national
from observatoire.indicators.cube import build, check_secrecy, referential_for
from observatoire.indicators.declared import declare
from observatoire.indicators.query import Cube
from observatoire.settings import Settings, activate
from observatoire.sources import SourceError
from observatoire.status import Status
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

DOCS = Path(__file__).parents[2] / "docs" / "sources-declarees"
LENS = Territory.parse("COM:62498")
ARRAS = Territory.parse("COM:62041")
CALL = Territory.parse("EPCI:246200364")
PAS_DE_CALAIS = Territory.parse("DEP:62")


def shipped(tmp: Path, name: str, end: date | None = None) -> Path:
    """A shipped declaration, its convention running a year from today unless `end`: the
    tests must not expire with the example's date."""
    text = (DOCS / f"{name}.toml").read_text(encoding="utf-8")
    end = end or date.today() + timedelta(days=365)
    text, n = re.subn(r"(?m)^end = .*$", f"end = {end.isoformat()}", text)
    assert n == 1
    path = tmp / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def count(code: str, salt: int) -> int:
    """An invented count per commune, never under the thresholds (3 and 5)."""
    return 10 + (int(code[-3:]) * salt) % 40


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, dict]]:
    """One data dir with the three sources declared, a file of each imported, the cube
    built; and the rows written, by source."""
    tmp = tmp_path_factory.mktemp("declared")
    settings = Settings(data_dir=tmp / "data")
    communes = referential_for(settings).communes_of(PAS_DE_CALAIS)
    rows: dict[str, dict[str, tuple[float, ...]]] = {"siao": {}, "ccapex": {}, "anah": {}}
    for c in communes:
        # Arras: 3 demandes, under the SIAO threshold of 5.
        demandes = 3 if c == ARRAS.code else count(c, 7)
        rows["siao"][c] = (demandes, demandes // 2)
        rows["ccapex"][c] = (count(c, 3), count(c, 11) // 4)
        rows["anah"][c] = (count(c, 5), count(c, 13), count(c, 5) * 8250.5)
    files = {
        "siao": ("CODE_COMMUNE;ANNEE;DEMANDES;ORIENTATIONS", "{c};2024;{v[0]};{v[1]}"),
        "ccapex": ("COMMUNE;ANNEE;ASSIGNATIONS;CFP_ACCORDES", "{c};2024;{v[0]};{v[1]}"),
        "anah": (
            "INSEE;LOGEMENTS_RENOVATION;LOGEMENTS_AUTONOMIE;AIDES_ENGAGEES",
            '{c};{v[0]};{v[1]};"{v[2]:.2f}"',
        ),
    }
    for source, declaration in (
        ("siao", "siao"),
        ("ccapex", "ccapex"),
        ("anah", "anah-dossiers"),
    ):
        declare(settings, shipped(tmp, declaration))
        head, line = files[source]
        data = tmp / f"{source}-2024.csv"
        body = [line.format(c=c, v=v).replace(".", ",") for c, v in rows[source].items()]
        data.write_text("\n".join([head, *body]) + "\n", encoding="utf-8")
        name = "anah_dossiers" if source == "anah" else source
        import_file(settings, name, data)
    build(settings)
    yield settings, rows


def value(settings: Settings, code: str, t: Territory) -> tuple[float | None, str]:
    with Cube(settings, referential_for(settings)) as cube:
        v = cube.value(code, t, 2024)
    return (None if v.value is None else round(v.value, 4)), v.status


def total(rows: dict[str, tuple[float, ...]], communes: tuple[str, ...], i: int) -> float:
    return sum(rows[c][i] for c in communes)


def test_each_shipped_declaration_is_valid(settings: Settings, tmp_path: Path) -> None:
    for name in ("siao", "ccapex", "anah-dossiers"):
        _, indicators, replaced = declare(settings, shipped(tmp_path, name))
        assert not replaced and indicators
        assert set(indicators) <= set(catalog(settings))
        assert not set(indicators) & set(national())
    assert get("siao_demandes", settings).diffusion == "restreint"
    assert get("ccapex_assignations", settings).diffusion == "partenaires"


def test_values_at_commune_epci_and_departement(built: tuple[Settings, dict]) -> None:
    settings, rows = built
    ref = referential_for(settings)
    call, dep = ref.communes_of(CALL), ref.communes_of(PAS_DE_CALAIS)
    ccapex, anah = rows["ccapex"], rows["anah"]
    assert value(settings, "ccapex_assignations", LENS) == (ccapex[LENS.code][0], Status.OK)
    assert value(settings, "ccapex_assignations", CALL) == (total(ccapex, call, 0), Status.OK)
    assert value(settings, "ccapex_concours_force_publique", PAS_DE_CALAIS) == (
        total(ccapex, dep, 1),
        Status.OK,
    )
    assert value(settings, "anah_logements_autonomie", CALL) == (total(anah, call, 1), Status.OK)
    # A ratio of sums at the EPCI, never a mean of the communes' ratios.
    expected = round(total(anah, call, 2) / total(anah, call, 0), 4)
    assert value(settings, "anah_aide_moyenne_renovation", CALL) == (expected, Status.OK)
    siao = rows["siao"]
    assert value(settings, "siao_demandes", LENS) == (siao[LENS.code][0], Status.OK)
    assert value(settings, "siao_demandes", CALL) == (total(siao, call, 0), Status.OK)
    expected = round(100 * total(siao, call, 1) / total(siao, call, 0), 4)
    assert value(settings, "siao_taux_orientation", CALL) == (expected, Status.OK)


def test_the_declared_threshold_masks_a_commune(built: tuple[Settings, dict]) -> None:
    settings, _ = built
    assert value(settings, "siao_demandes", ARRAS) == (None, Status.SECRET)
    # The published totals (EPCI, département) do not give it away: the attack replayed on
    # the cube finds nothing.
    audits = [a for a in check_secrecy(settings) if a.indicator.startswith("siao_")]
    assert audits and all(a.masked and not a.findings for a in audits)


def test_diffusion_of_the_declaration_is_enforced(built: tuple[Settings, dict]) -> None:
    settings, rows = built
    activate(settings)
    siao, ccapex = get("siao_demandes"), get("ccapex_assignations")
    lens_reader = Reader("lecteur", (CALL,))
    # restreint: only inside the reader's scope; partenaires: any signed-in reader.
    assert read_value(lens_reader, siao, LENS).value == rows["siao"][LENS.code][0]
    assert read_value(PUBLIC, siao, LENS).value is None
    assert read_value(lens_reader, siao, PAS_DE_CALAIS).value is None
    assert read_value(Reader("lecteur", (ARRAS,)), siao, LENS).value is None
    assert read_value(PUBLIC, ccapex, LENS).status == Status.UNAVAILABLE
    assert (
        read_value(Reader("lecteur", (ARRAS,)), ccapex, LENS).value
        == (rows["ccapex"][LENS.code][0])
    )


def test_convention_ended_values_no_longer_served(
    built: tuple[Settings, dict], tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    shutil.copytree(built[0].data_dir, settings.data_dir)
    declare(settings, shipped(tmp_path, "ccapex", end=date.today() - timedelta(days=1)))
    with Cube(settings, referential_for(settings)) as cube:
        v = cube.value("ccapex_assignations", CALL, 2024)
        other = cube.value("siao_demandes", CALL, 2024)
    assert (v.value, v.status) == (None, Status.UNAVAILABLE)
    assert "convention" in (v.note or "") and "échue" in (v.note or "")
    assert other.status == Status.OK


def _declaration(tmp_path: Path, old: str, new: str) -> Path:
    text = shipped(tmp_path, "siao").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def keys(settings: Settings, path: Path) -> dict[str, str | None]:
    with pytest.raises(SourceError) as err:
        declare(settings, path)
    return {str(p.column): p.value for p in err.value.problems}


def test_every_problem_of_a_declaration_with_its_key(settings: Settings, tmp_path: Path) -> None:
    text = shipped(tmp_path, "siao").read_text(encoding="utf-8")
    text = (
        text.replace('name = "siao"', 'name = "dvf"')
        .replace('code = "siao_demandes"', 'code = "taux_vacance"')
        .replace('variable = "DEMANDES"', 'variable = "PERSONNES"')
        .replace('type = "int"', 'type = "python"', 1)
        .replace("[secrecy]", "read = \"__import__('os').system('id')\"\n\n[secrecy]")
        .replace('aggregation = "ratio"', 'aggregation = "eval"')
    )
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    found = keys(settings, path)
    assert found == {
        "year.read": None,
        "variable[1].type": "python",
        "source.name": "dvf",
        "indicator[1].code": "taux_vacance",
        "indicator[1].variable": "PERSONNES",
        "indicator[2].aggregation": "eval",
    }
    assert not (settings.data_dir / "declarations").exists()


def test_a_name_is_never_a_path(settings: Settings, tmp_path: Path) -> None:
    found = keys(settings, _declaration(tmp_path, 'name = "siao"', 'name = "../../cube"'))
    assert found == {"source.name": "../../cube"}


def test_diffusion_no_wider_than_the_producer_requires(settings: Settings, tmp_path: Path) -> None:
    path = _declaration(
        tmp_path, 'code = "siao_demandes"', 'code = "siao_demandes"\ndiffusion = "public"'
    )
    assert keys(settings, path) == {"indicator[1].diffusion": "public"}


def test_a_file_is_refused_with_line_column_value(
    built: tuple[Settings, dict], tmp_path: Path
) -> None:
    settings = built[0]
    path = tmp_path / "siao-bad.csv"
    path.write_text(
        "CODE_COMMUNE;ANNEE;DEMANDES;ORIENTATIONS\n62498;2024;douze;3\n62041;2024;-4;1\n"
        "62041;2024;5;1\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as err:
        import_file(settings, "siao", path)
    assert [(p.line, p.column, p.value) for p in err.value.problems] == [(2, "DEMANDES", "douze")]
    path.write_text(path.read_text().replace("douze", "12"), encoding="utf-8")
    with pytest.raises(SourceError, match="doublon"):
        import_file(settings, "siao", path)
    path.write_text("CODE_COMMUNE;ANNEE;DEMANDES\n62498;2024;12\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        import_file(settings, "siao", path)
    assert [p.column for p in err.value.problems] == ["ORIENTATIONS"]


def test_cli_declare_and_import(settings: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(settings.data_dir)]
    bad = _declaration(tmp_path, 'level = "commune"', 'level = "canton"')
    result = runner.invoke(main, [*data, "sources", "declare", str(bad)])
    assert result.exit_code == 1
    assert "territory.level" in result.output and "canton" in result.output
    result = runner.invoke(main, [*data, "sources", "declare", str(shipped(tmp_path, "ccapex"))])
    assert result.exit_code == 0, result.output
    csv = tmp_path / "ccapex.csv"
    csv.write_text("COMMUNE;ANNEE;ASSIGNATIONS;CFP_ACCORDES\n62498;2024;40;3\n", encoding="utf-8")
    result = runner.invoke(main, [*data, "import", "ccapex", str(csv)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, [*data, "sources"])
    assert "ccapex" in result.output and "ccapex.csv" in result.output
