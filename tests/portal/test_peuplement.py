"""The peuplement page (issue #13 §4, CALL PLH 4-1 « observatoire du peuplement ») of the
CA de Lens-Liévin on the demo data: the occupancy of its social stock (SDES RPLS 2024,
commune sheet « occupation »), the SNE demands and attributions (not loaded in the demo:
where the file comes from), its quartiers prioritaires, and what no loaded file gives.

Figures from the real extract src/observatoire/data/demo/rpls/sdes-rpls-2024-commune-
occupation-extract.csv.gz: Lens (62498) 7,016 let of 9,052. Bénifontaine (62107, 8 social
dwellings) has its six occupancy counts left empty by the SDES (secret): the CA's sums and
shares cannot be computed exactly, and the engine says « non disponible » with « 1 commune
sans valeur connue » rather than a figure that leaves it out."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from observatoire import figures
from observatoire.territories import Territory

LENS_LIEVIN = "EPCI:246200364"
PAGE = f"/territoires/{LENS_LIEVIN}/peuplement/"


def _row(html: str, code: str) -> str:
    return html.split(f'data-indicator="{code}"')[1].split("</tr>")[0]


def _signed_in(name: str) -> Client:
    user = get_user_model().objects.get(email=f"{name}@demo.observatoire-habitat.fr")
    client = Client()
    client.force_login(user)
    return client


def test_occupation_of_lens_is_the_sdes_one(web) -> None:  # type: ignore[no-untyped-def]
    lens = Territory.parse("COM:62498")
    assert figures.value("lls_loues", lens).value == 7016
    assert figures.value("lls_part_loues", lens).value == pytest.approx(100 * 7016 / 9052)
    assert figures.value("lls_part_vides", lens).value == pytest.approx(100 * 837 / 9052)
    assert figures.value("lls_part_associations", lens).value == pytest.approx(100 * 77 / 9052)
    epci = Territory.parse(LENS_LIEVIN)
    for code in ("lls_loues", "lls_part_loues", "lls_part_vides", "lls_part_associations"):
        v = figures.value(code, epci)
        assert v.value is None and v.note == "1 commune sans valeur connue", code


def test_lens_lievin_peuplement_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Peuplement de la CA de Lens - Liévin" in html
    for code in ("lls_loues", "lls_part_loues", "lls_part_vides", "lls_taux_vacance"):
        row = _row(html, code)
        assert "non disponible" in row and "1 commune sans valeur connue" in row, code
        assert "millésime 2024" in row, code
    for code in ("lls_nombre", "qpv_nombre", "population_qpv", "lls_part_qpv"):
        row = _row(html, code)
        assert "millésime" in row and "non disponible" not in row, code
    # SNE figures are for partners: the anonymous visitor sees where, not what.
    for code in ("sne_demandes", "sne_attributions", "sne_demandes_par_attribution"):
        assert "accès restreint" in _row(html, code), code
    # The quartiers of the CA, with their communes; a straddling one with its whole population.
    quartiers = html.split('id="quartiers"')[1].split("</table>")[0]
    assert "Cité 12-14 (QP062024)" in quartiers and "2\u202f158" in quartiers
    assert "Cité Bellevue (QP062023)" in quartiers  # Harnes
    # Once, though it lies in three communes of the CA.
    assert quartiers.count('data-qpv="QP062025"') == 1
    grande = quartiers.split('data-qpv="QP062025"')[1].split("</tr>")[0]
    assert "quartier intercommunal : Lens, Loison-sous-Lens, Vendin-le-Vieil" in grande
    assert "(quartier entier)" in grande
    assert "Harnes" in html.split("au moins un quartier prioritaire")[1].split("</p>")[0]
    # What the loaded files cannot tell is said, with who would.
    assert "occupation du parc social (OPS, obligatoire pour les bailleurs" in html
    assert "ancienneté des ménages demandeurs et attributaires" in html


def test_sne_not_loaded_says_where_the_file_comes_from(web) -> None:  # type: ignore[no-untyped-def]
    html = _signed_in("lecteur.lens").get(PAGE).content.decode()
    row = _row(html, "sne_demandes")
    assert "source non chargée" in row and "accès restreint" not in row
    assert 'data-how-to-obtain="sne"' in row and "DREAL" in row


def test_portrait_links_to_peuplement_only_for_communes_and_epci(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/territoires/{LENS_LIEVIN}/").content.decode()
    assert f'href="{PAGE}"' in html
    assert 'id="lien-peuplement"' in client.get("/territoires/COM:62498/").content.decode()
    assert 'id="lien-peuplement"' not in client.get("/territoires/DEP:62/").content.decode()
    assert client.get("/territoires/DEP:62/peuplement/").status_code == 404
    assert client.get("/territoires/EPCI:999999999/peuplement/").status_code == 404


@pytest.fixture
def occupation_restricted(web) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """lls_part_loues as if its producer required « restreint »."""
    from observatoire.indicators.catalog import catalog

    items = catalog()
    original = items["lls_part_loues"]
    items["lls_part_loues"] = dataclasses.replace(original, diffusion="restreint")
    yield "lls_part_loues"
    items["lls_part_loues"] = original


def test_restricted_figures_follow_the_scope(occupation_restricted: str) -> None:
    page = "/territoires/COM:62498/peuplement/"
    arras = _signed_in("lecteur.arras").get(page).content.decode()
    row = _row(arras, occupation_restricted)
    assert "accès restreint" in row and "77,5" not in row and "demandez" in row
    lens = _signed_in("lecteur.lens").get(page).content.decode()
    assert "77,5 %" in _row(lens, occupation_restricted)
