"""The social-stock and DVF houses/flats indicators reach the portrait with their source,
millésime, COG and status, like every catalog indicator."""

from __future__ import annotations


def _row(html: str, code: str) -> str:
    return html.split(f'data-indicator="{code}"')[1].split("</tr>")[0]


def test_portrait_shows_social_stock_and_market_indicators(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/EPCI:246200364/").content.decode()
    rent = _row(html, "lls_loyer_m2")
    assert "5,65 €/m²" in rent and "(millésime 2019, COG 2019)" in rent
    share = _row(html, "dvf_part_appartements")
    # 2024: Lens-Liévin 11.5 %, Pas-de-Calais 2,183 / 13,788 = 15.8 %.
    assert "11,5 %" in share and "15,8 %" in share and "(millésime 2024, COG 2024)" in share
    for code in ("lls_part_dpe_efg", "lls_part_t1_t2", "lls_part_t5_plus", "lls_part_qpv",
                 "lls_part_avant_1975", "dvf_ventes_maisons", "dvf_ventes_appartements"):  # fmt: skip
        assert "millésime" in _row(html, code), code
    # The SDES publishes 2024 mobility rates by commune only: said, never averaged.
    mobility = _row(html, "lls_taux_mobilite")
    assert "non disponible" in mobility and "non dérivable des communes" in mobility
