"""Zonages et dispositifs on the portraits: a commune lists its zones, programmes and
quartiers with their source and millésime; a parent shows its counts as indicators."""

from __future__ import annotations


def _row(html: str, code: str) -> str:
    return html.split(f'data-indicator="{code}"')[1].split("</tr>")[0]


def test_cahors_lists_its_zone_thlv_and_programmes(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/COM:46042/").content.decode()
    section = html.split('id="zonages"')[1].split("</section>")[0]
    assert "zone C" in section and "millésime 2019, COG 2026" in section
    # 46042;THLV;0.169566150439648
    assert "appliquée, taux 16,96 %" in section
    assert "Action cœur de ville" in section and "Petites villes de demain" not in section
    assert "Quartier prioritaire" in section  # Cahors's QPV (QP046001)


def test_lens_lievin_counts_its_communes_per_zone(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/EPCI:246200364/").content.decode()
    assert 'id="zonages"' not in html
    for code in ("communes_zone_b2", "communes_zone_tendue", "communes_pvd", "qpv_nombre",
                 "population_qpv", "population_zone_tendue"):  # fmt: skip
        row = _row(html, code)
        assert "millésime" in row and "COG 2026" in row, code


def test_explorer_maps_the_zone_abc_one_class_per_zone(client) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": "zone_abc_rang", "level": "COM", "within": "DEP:59"}
    body = client.get("/api/v1/map", params).json()
    # The Nord has communes in zones A, B1, B2 and C (SOURCES.md §12): one class each.
    assert body["breaks"][1:] == [2, 3, 4, 5]
    lille = next(f for f in body["features"] if f["properties"]["code"] == "59350")
    assert lille["properties"]["value"] == 2
