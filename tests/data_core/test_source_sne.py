"""SNE infocentre exports (demandes en cours, attributions, délai médian): reader and cube.

No real infocentre export is available here: the fixtures are small files WRITTEN from the
layout described in the infocentre's "Guide de lecture des restitutions"
(tests/fixtures/sne/README.md). Their figures are invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from observatoire.indicators.catalog import get as indicator
from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import SourceError, get
from observatoire.territories import Territory
from observatoire.warehouse.imports import import_file

READ = get("sne").read
FIXTURES = Path(__file__).parents[1] / "fixtures" / "sne"
COMMUNES = FIXTURES / "sne-demandes-attributions-communes-2024.csv"
EPCI = FIXTURES / "sne-demandes-attributions-epci-2024.csv"
CALL = Territory.parse("EPCI:246200364")


def value(obs: pl.DataFrame, code: str, variable: str) -> tuple[float | None, str] | None:
    row = obs.filter((pl.col("code") == code) & (pl.col("variable") == variable))
    return None if row.is_empty() else (row["value"][0], row["status"][0])


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = COMMUNES.read_text(encoding="cp1252")
    assert old in text
    path = tmp_path / COMMUNES.name
    path.write_text(text.replace(old, new, 1), encoding="cp1252")
    return path


def test_counts_markers_and_published_delay() -> None:
    batch = READ(COMMUNES)
    obs = batch.tables["observations"]
    assert (batch.millesime, batch.part, batch.row_count) == (2024, "COM", 5)
    assert value(obs, "62498", "DEMANDES") == (2140, "ok")  # "2 140"
    assert value(obs, "62498", "DELAI_MEDIAN") == (9.5, "ok")  # "9,5"
    # Billy-Berclau: "s" is the producer's secret, not 0 nor missing.
    assert value(obs, "62133", "DEMANDES") == (None, "secret")
    # Avion: no délai published -> not emitted (never derived).
    assert value(obs, "62065", "DELAI_MEDIAN") is None
    assert "2 valeurs masquées" in batch.notes[0]


def test_epci_export_is_read_at_its_level() -> None:
    batch = READ(EPCI)
    obs = batch.tables["observations"]
    assert batch.part == "EPCI" and set(obs["level"]) == {"EPCI"}
    assert value(obs, "246200364", "DEMANDES") == (9870, "ok")


def test_diffusion_is_partenaires_by_default() -> None:
    for code in ("sne_demandes", "sne_attributions", "sne_demandes_par_attribution"):
        assert indicator(code).diffusion == "partenaires"
    assert indicator("sne_delai_median").aggregation == "published"


def test_unknown_marker_in_a_count(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, ";402;", ";<5;"))
    p = err.value.problems[0]
    assert (p.file, p.line, p.column, p.value) == (COMMUNES.name, 4, "Demandes en cours", "<5")


def test_negative_count_and_absurd_delay(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, ";512;9,5", ";-512;950"))
    assert {(p.line, p.column) for p in err.value.problems} == {
        (2, "Attributions"),
        (2, "Délai médian d'attribution (mois)"),
    }


def test_duplicate_commune(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="doublon") as err:
        READ(_edited(tmp_path, "62510;Liévin", "62498;Liévin"))
    assert {p.line for p in err.value.problems} == {2, 3}


def test_missing_column(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="format de fichier non reconnu"):
        READ(_edited(tmp_path, ";Attributions;", ";Attrib.;"))


def test_truncated_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        READ(_edited(tmp_path, "62065;Avion;402;88;", "62065;Avion;402"))
    assert err.value.problems[0].line == 4


def test_millesime_is_required_without_a_year_in_the_name(tmp_path: Path) -> None:
    path = tmp_path / "export-infocentre.csv"
    path.write_bytes(COMMUNES.read_bytes())
    with pytest.raises(SourceError, match="millésime"):
        READ(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / COMMUNES.name
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="vide"):
        READ(path)


@pytest.fixture(scope="module")
def settings_sne(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("sne"))
    import_file(settings, "sne", COMMUNES)
    build(settings)
    return settings


@pytest.fixture(scope="module")
def cube(settings_sne: Settings) -> Iterator[Cube]:
    with Cube(settings_sne, referential_for(settings_sne)) as c:
        yield c


def test_ratio_of_sums_and_delay_never_derived(cube: Cube) -> None:
    arras = Territory.parse("EPCI:200033579")  # CU d'Arras: only Arras has demandes here
    assert cube.value("sne_demandes", arras).value == 2015
    ratio = cube.value("sne_demandes_par_attribution", arras)
    assert ratio.value == pytest.approx(2015 / 455)
    delay = cube.value("sne_delai_median", arras)
    assert (delay.value, delay.status) == (None, "unavailable")
    assert cube.value("sne_delai_median", Territory.parse("COM:62498")).value == 9.5
    # Billy-Berclau is masked: the CA de Lens-Liévin cannot be summed from its communes.
    assert cube.value("sne_demandes", CALL).value is None


def test_producer_epci_values_fill_what_communes_cannot(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d")
    import_file(settings, "sne", COMMUNES)
    import_file(settings, "sne", EPCI)
    build(settings)
    with Cube(settings, referential_for(settings)) as c:
        assert c.value("sne_demandes", CALL).value == 9870
        assert c.value("sne_delai_median", CALL).value == 10.4
        assert c.value("sne_demandes_par_attribution", CALL).value == pytest.approx(9870 / 2101)
