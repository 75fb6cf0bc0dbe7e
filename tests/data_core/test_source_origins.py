"""Sources that are not in the demo (issue #13 §1) say where their file comes from when
they are not loaded, instead of a bare "source non chargée"."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from observatoire import figures
from observatoire.cli import main
from observatoire.indicators.catalog import get

PARTNER_SOURCES = ("dpe", "rnic", "finess", "sne", "pppi")


def test_cli_sources_tells_where_to_get_an_unloaded_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "d"), "sources"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for name in PARTNER_SOURCES:
        block = text.split(f"{name} — ")[1].split(" — ")[0]
        assert "source non chargée" in block and "où l'obtenir" in block
        assert f"observatoire import {name}" in block


def test_origins_of_an_indicator_name_the_producer_and_the_file() -> None:
    [dpe] = figures.origins(get("dpe_part_fg"))
    assert (dpe.name, dpe.producer) == ("dpe", "ADEME")
    assert "dpe03existant" in dpe.how_to_obtain
    [rnic] = figures.origins(get("copro_nombre"))
    assert "rnc-data-gouv-with-qpv.csv" in rnic.how_to_obtain
    # A source without a dedicated text falls back on its producer's page.
    [sitadel] = figures.origins(get("logements_autorises"))
    assert sitadel.url in sitadel.how_to_obtain
