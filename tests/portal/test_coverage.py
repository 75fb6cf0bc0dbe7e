"""The page « Couverture de l'observatoire » on the demo."""

from __future__ import annotations


def _row(html: str, group: str, key: str) -> str:
    table = html.split(f'data-group="{group}"')[1].split("</table>")[0]
    return table.split(f'data-field="{key}"')[1].split("</tr>")[0]


def test_coverage_page_lists_indicators_loaded_millesimes_and_missing_sources(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/couverture/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Article R302-1-4" in html and "fiche 11" in html
    # A field measured by loaded sources: its indicators link to the catalog, the DVF
    # millésimes of the demo are listed.
    markets = _row(html, "r302", "marches")
    assert 'href="/indicateurs/dvf_prix_m2_median/"' in markets
    assert 'data-source="dvf"' in markets
    assert "2023" in markets and "ECLN" in markets
    # A fiche-11 item the observatory cannot measure says which source would fill it.
    assert "BANATIC" in _row(html, "fiche11", "competences_epci")
    assert "Aucun indicateur" in _row(html, "fiche11", "competences_epci")
    # Social demand: SNE indicators (partner diffusion: label without link for anonymous).
    demand = _row(html, "r302", "demande_sociale")
    assert 'data-indicator="sne_demandes"' in demand
    assert "DREAL, convention" in demand
    # Nav link.
    assert 'href="/couverture/"' in html
