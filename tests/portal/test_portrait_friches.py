"""Friches on the portrait: indicators by status with their source, millésime, COG and
status, the list of the territory's sites and the map of their points (open API)."""

from __future__ import annotations

import json
import re

LENS_SITES = {"62498_5371", "62523_8231", "62498_942", "62573_4358", "62413_4252", "62510_4248"}


def _row(html: str, code: str) -> str:
    return html.split(f'data-indicator="{code}"')[1].split("</tr>")[0]


def test_portrait_lists_and_maps_the_sites(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/EPCI:246200364/").content.decode()
    for code in ("friches_sans_projet", "friches_avec_projet", "friches_reconverties",
                 "friches_surface", "friches_taux_traitement"):  # fmt: skip
        assert "(millésime 2024, COG 2024)" in _row(html, code), code
    # Six sites, all "friche potentielle": none remaining sans/avec projet, no ratio.
    assert "non disponible" in _row(html, "friches_taux_traitement")
    # One import in the demo: treated sites cannot be counted, and the row says why.
    assert "un seul import Cartofriches" in _row(html, "friches_traitees_annee")
    section = html.split('id="friches"')[1].split("</section>")[0]
    assert set(re.findall(r'<tr data-site="([^"]+)">', section)) == LENS_SITES
    bracq = section.split('data-site="62498_5371"')[1].split("</tr>")[0]
    assert "Chaudronnerie Bracq" in bracq and "friche potentielle" in bracq and "LENS" in bracq
    assert 'data-points="/api/v1/friches?territory=EPCI%3A246200364"' in section
    assert (
        'data-points-colour="statut"' in section and 'data-legend="friche sans projet"' in section
    )
    assert "/static/portal/points.js" in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html)
    # A territory without any recorded site has no section.
    assert 'id="friches"' not in client.get("/territoires/COM:62119/").content.decode()


def test_api_gives_the_points_of_the_sites(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/friches", {"territory": "EPCI:246200364"})
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    doc = json.loads(response.content)
    assert doc["source"]["millesime"] == 2024
    by_id = {f["properties"]["site_id"]: f for f in doc["features"]}
    assert set(by_id) == LENS_SITES
    assert by_id["62498_5371"]["geometry"] == {"type": "Point", "coordinates": [2.83344, 50.43495]}
    assert by_id["62498_5371"]["properties"]["surface_m2"] == 100.0
    bad = client.get("/api/v1/friches", {"territory": "EPCI:pas-un-code"})
    assert bad.status_code in (400, 404) and "erreur" in json.loads(bad.content)
    assert client.get("/api/v1/friches").status_code == 400
