"""Private-sector rents reach the portraits: the carte des loyers per commune (never
aggregated) and the series of the observatoires locaux des loyers on the territories
their zones cover, with source, millésime, COG and status."""

from __future__ import annotations


def _row(html: str, code: str) -> str:
    return html.split(f'data-indicator="{code}"')[1].split("</tr>")[0]


def test_lille_portrait_shows_its_rents(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/COM:59350/").content.decode()
    # Carte des loyers 2018: Lille 13,857 €/m² (commune level, R² 0,81).
    carte = _row(html, "loyer_predit_m2_appartement")
    assert "13,86 €/m²" in carte and "(millésime 2018, COG 2017)" in carte
    # OLL 2021, zone "Ville centre" of the Lille observatory: median 13,1 €/m².
    oll = _row(html, "oll_loyer_median")
    assert "13,1 €/m²" in oll and "(millésime 2021, COG 2021)" in oll


def test_epci_portrait_shows_the_oll_series_and_no_averaged_rent(client) -> None:  # type: ignore[no-untyped-def]
    mel = client.get("/territoires/EPCI:200093201/").content.decode()
    # OLL 2021, agglomération de Lille (MEL): median 11,4 €/m².
    assert "11,4 €/m²" in _row(mel, "oll_loyer_median")
    call = client.get("/territoires/EPCI:246200364/").content.decode()
    carte = _row(call, "loyer_predit_m2_appartement")
    assert "non disponible" in carte and "commune seulement" in carte
