"""Pages of the portal on the real demo data."""

from __future__ import annotations

import pytest


def test_home_search_is_accent_and_case_insensitive(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", {"q": "lievin"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Liévin" in html and "/territoires/COM:62510/" in html
    assert "/territoires/EPCI:246200364/" in html
    assert "<title>Accueil — Observatoire de l'habitat</title>" in html
    assert 'href="#content"' in html  # skip link


def test_search_by_code_and_no_result(client) -> None:  # type: ignore[no-untyped-def]
    assert "CA de Lens - Liévin" in client.get("/", {"q": "246200364"}).content.decode()
    html = client.get("/", {"q": "zzzz introuvable"}).content.decode()
    assert "Aucun territoire ne correspond" in html


def test_portrait_shows_values_with_referents_and_status(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/territoires/EPCI:246200364/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Taux de vacance" in html and "7,2 %" in html
    for referent in ("Pas-de-Calais", "Hauts-de-France", "France"):
        assert referent in html
    # A rate published per commune only (SRU) is shown as such for the EPCI, not computed.
    row = html.split('data-indicator="sru_taux_lls"')[1].split("</tr>")[0]
    assert "non disponible" in row
    # No INSEE EPCI file in the demo: the median is estimated, said so with its coverage.
    row = html.split('data-indicator="revenu_median"')[1].split("</tr>")[0]
    assert "estim" in row and "% des personnes couvertes" in row
    assert "source non chargée" in html  # Sitadel


def test_portrait_referents_show_their_perimeter(client) -> None:  # type: ignore[no-untyped-def]
    # Lens's figure has no note, but the France it is compared with leaves Mayotte out
    # (RP 2021): the reader sees it beside the French figure, not only in the API.
    html = client.get("/territoires/COM:62498/").content.decode()
    row = html.split('data-indicator="taux_vacance"')[1].split("</tr>")[0]
    cells = row.split("<td>")
    france = cells[-2]  # referents in order (EPCI, DEP, REG, FR), then "Année, source"
    assert "8,1" in france and "France hors Mayotte" in france


def test_unknown_territory_is_a_french_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/territoires/COM:99999/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert client.get("/territoires/n-importe-quoi/").status_code == 404


def test_catalog_pages(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/indicateurs/").content.decode()
    assert "Logements sociaux pour 100 résidences principales" in html
    page = client.get("/indicateurs/dvf_prix_m2_median/").content.decode()
    assert "médiane" in page.lower() and "5 observations" in page
    assert client.get("/indicateurs/inconnu/").status_code == 404
    lls = client.get("/indicateurs/lls_nombre/").content.decode()
    table = lls.split('id="millesimes"')[1].split("</table>")[0]
    assert "<td>2019</td>" in table and "<td>2024</td>" in table
    assert "Source non chargée" in client.get("/indicateurs/logements_autorises/").content.decode()


@pytest.mark.parametrize("url", ["/indicateurs/taux_pauvrete/"])
def test_restricted_indicator_hidden_from_anonymous(client, restricted, reader_lens, url) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
    html = client.get("/territoires/COM:62498/").content.decode()
    assert "Taux de pauvreté" not in html
    client.force_login(reader_lens)
    assert client.get(url).status_code == 200
    assert "Taux de pauvreté" in client.get("/territoires/COM:62498/").content.decode()


def test_portrait_shows_population_and_its_growth(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/EPCI:246200364/").content.decode()
    row = html.split('data-indicator="population_municipale"')[1].split("</tr>")[0]
    assert "242" in row and "013" in row  # summed from the 2023 file of its 36 communes
    assert "2023" in row and "Populations légales" in row
    growth = html.split('data-indicator="population_evolution_annuelle"')[1].split("</tr>")[0]
    assert "-0,12" in growth


def test_portrait_shows_sru_with_source_and_status(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/EPCI:246200364/").content.decode()
    assert "Loi SRU" in html
    row = html.split('data-indicator="sru_communes_deficitaires"')[1].split("</tr>")[0]
    assert "Inventaire SRU (article 55)" in row and "millésime 2025" in row and "COG 2026" in row
    # The EPCI's SRU rate is not a mean of its communes' rates: shown as not available.
    row = html.split('data-indicator="sru_taux_lls"')[1].split("</tr>")[0]
    assert "non disponible" in row
    lens = client.get("/territoires/COM:62498/").content.decode()
    row = lens.split('data-indicator="sru_taux_lls"')[1].split("</tr>")[0]
    assert "61,45 %" in row and "COG 2024" in row
