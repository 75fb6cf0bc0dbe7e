"""Incomes reach the portrait of an EPCI: estimated from its communes' distributions (no
INSEE EPCI file in the demo), with the coverage, the source, millésime and COG."""

from __future__ import annotations


def _row(html: str, code: str) -> str:
    return html.split(f'data-indicator="{code}"')[1].split("</tr>")[0]


def test_lens_lievin_portrait_shows_estimated_incomes_with_coverage(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/EPCI:246200364/").content.decode()
    median = _row(html, "revenu_median")
    assert "estimé" in median and "% des personnes couvertes" in median
    assert "(millésime 2021, COG 2024)" in median
    for code in ("revenu_d1", "revenu_d9", "rapport_interdecile"):
        row = _row(html, code)
        assert "estimé" in row and "% des personnes couvertes" in row, code
