"""Territoires qui me ressemblent on the portrait (issue #14 §1): the nearest territories of
the same level with their values, and a one-click comparison, on the real demo cube."""

from __future__ import annotations

import html as htmllib
import re


def _section(html: str) -> str:
    return html.split('id="ressemblants"')[1].split("</section>")[0]


def test_lens_portrait_lists_similar_communes_with_values_and_comparison(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/territoires/COM:62498/")
    assert response.status_code == 200
    section = _section(response.content.decode())
    assert "Territoires qui me ressemblent" in section
    rows = re.findall(r'data-similar="(COM:\d+)"', section)
    assert len(rows) == 5 and "COM:62498" not in rows
    assert "Liévin" in section and "Bruay-la-Buissière" in section
    # Each neighbour with its figures, in French (Liévin: 30 063 habitants, RP 2021).
    lievin = section.split('data-similar="COM:62510"')[1].split("</tr>")[0]
    assert "30\u202f063" in lievin and "%" in lievin
    # One click: the comparison of Lens with that neighbour, on the compared indicators.
    link = htmllib.unescape(re.findall(r'href="(/comparer/[^"]+)">Comparer</a>', lievin)[0])
    assert "t=COM%3A62498" in link and "t=COM%3A62510" in link
    assert "indicator=taux_vacance" in link
    compared = client.get(link)
    assert compared.status_code == 200
    page = compared.content.decode()
    assert "Liévin" in page and "Lens" in page and 'data-indicator="taux_vacance"' in page


def test_epci_portrait_compares_with_all_its_similar_epci(client) -> None:  # type: ignore[no-untyped-def]
    section = _section(client.get("/territoires/EPCI:246200364/").content.decode())
    rows = re.findall(r'data-similar="(EPCI:\d+)"', section)
    assert rows and "EPCI:246200364" not in rows
    link = htmllib.unescape(re.findall(r'href="([^"]+)" data-compare-all', section)[0])
    assert link.count("t=EPCI") == len(rows) + 1
