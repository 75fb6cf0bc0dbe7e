"""FINESS établissements on the portrait (hébergement theme): « source non chargée » on
the demo (no FINESS file), and with the FINESS fixture (a small file WRITTEN from the
producer's layout, tests/fixtures/finess/README.md) loaded, the map of points by category
of the nomenclature de l'offre with its legend, the same list as a table, and the open
API's points."""

from __future__ import annotations

import html as markup
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from observatoire.demo import demo_dir
from observatoire.indicators.cube import build
from observatoire.settings import Settings, activate, active
from observatoire.warehouse.imports import import_file

FINESS = Path(__file__).parents[1] / "fixtures" / "finess"
CALL = "/territoires/EPCI:246200364/"


def _block(html: str) -> str:
    return html.split('id="etablissements"')[1].split("</section>")[0]


@pytest.fixture(scope="module")
def finess_dir(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("finess-portrait"))
    import_file(settings, "finess", FINESS / "etalab-cs1100507-stock-20260512-0339.csv")
    pop = demo_dir() / "populations_legales"
    import_file(settings, "populations_legales", sorted(pop.glob("donnees_communes_*.csv.gz"))[-1])
    build(settings)
    return settings


@pytest.fixture
def finess_loaded(web: Settings, finess_dir: Settings) -> Iterator[Settings]:
    """The portal reads the FINESS data dir's cube (the database stays the demo's)."""
    before = active()
    activate(Settings(data_dir=finess_dir.data_dir))
    yield finess_dir
    activate(before)


def test_demo_says_source_not_loaded(client) -> None:  # type: ignore[no-untyped-def]
    block = _block(client.get(CALL).content.decode())
    assert "Source non chargée" in block and "etalab-cs1100507" in block
    assert "data-points=" not in block and "etablissements-liste" not in block


def test_portrait_maps_and_lists_the_etablissements(client, finess_loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get(CALL).content.decode()
    # Inside the hébergement theme, after its table of indicators.
    theme = html.split("<h2>Hébergement</h2>")[1]
    assert theme.index('id="etablissements"') < theme.index("</section>")
    block = _block(theme)
    assert "3 établissements recensés dans FINESS (DREES, millésime 2026)" in block
    assert 'data-points="/api/v1/etablissements?territory=EPCI%3A246200364"' in block
    assert 'data-points-colour="type"' in block
    # The legend names the categories present, in the nomenclature's order.
    assert re.findall(r'data-legend="([^"]+)"', block) == ["CHRS", "PENSION_FAMILLE", "FJT"]
    rows = dict(re.findall(r'<tr data-finess="(\d+)">(.*?)</tr>', block, re.S))
    assert set(rows) == {"620000011", "620000029", "620000037"}  # not the CADA of Arras
    chrs = markup.unescape(re.sub(r"<[^>]+>", "|", rows["620000011"]))
    assert [c for c in chrs.split("|") if c] == [
        "CHRS LE CAP",
        "centres d'hébergement et de réinsertion sociale (CHRS)",
        "Lens",
        "57",
    ]
    assert "Liévin" in rows["620000029"] and ">25<" in rows["620000029"]
    assert "/static/portal/points.js" in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html)


def test_api_gives_the_points_of_the_etablissements(client, finess_loaded) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/etablissements", {"territory": "EPCI:246200364"})
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    doc = json.loads(response.content)
    assert doc["source"] == {"name": "FINESS (DREES)", "millesime": 2026, "non_localises": 0}
    by_id = {f["properties"]["nofinesset"]: f for f in doc["features"]}
    assert set(by_id) == {"620000011", "620000029", "620000037"}
    fjt = by_id["620000037"]["properties"]
    assert (fjt["type"], fjt["places"], fjt["commune_nom"]) == ("FJT", 80, "Lens")
    lon, lat = by_id["620000011"]["geometry"]["coordinates"]
    assert 2.7 < lon < 2.9 and 50.4 < lat < 50.5
    assert client.get("/api/v1/etablissements").status_code == 400
    unknown = client.get("/api/v1/etablissements", {"territory": "COM:99999"})
    assert unknown.status_code == 404 and "erreur" in json.loads(unknown.content)
