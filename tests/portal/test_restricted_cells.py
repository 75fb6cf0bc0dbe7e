"""Restricted cells (issue #14 §5): a comparison or a portrait mixing what a user may read
and what lies outside the scope of their account shows the first and marks the rest
"accès restreint" with how to ask, without the value: no blanket 403, no silent gap.
With the demo accounts (LOVAC, diffusion restreinte: Lens 9,2 %)."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

LOVAC = "vacance_longue_duree_part"
ROW = f'data-indicator="{LOVAC}"'


def _demo_user(web, name: str) -> Client:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.get(email=f"{name}@demo.observatoire-habitat.fr")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def arras(web) -> Client:  # type: ignore[no-untyped-def]
    return _demo_user(web, "lecteur.arras")


def _cells(html: str) -> list[str]:
    row = html.split(ROW)[1].split("</tr>")[0]
    return row.split("<td")[1:]


def test_lecteur_arras_compares_lens_and_arras(arras: Client) -> None:
    query = {"t": ["COM:62498", "COM:62041"], "indicator": [LOVAC, "taux_vacance"]}
    response = arras.get("/comparer/", query)
    assert response.status_code == 200
    lens, own = _cells(response.content.decode())[:2]
    assert "accès restreint" in lens and "demandez" in lens and "9,2" not in lens
    assert "%" in own and "accès restreint" not in own
    # The public indicator is there for both.
    vacancy = response.content.decode().split('data-indicator="taux_vacance"')[1]
    assert "11,2 %" in vacancy.split("</tr>")[0]
    # The download says the same, without the value.
    download = arras.get("/comparer/", {**query, "format": "csv"})
    assert download.status_code == 200
    text = download.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    lines = {r["code"]: r for r in rows if r["indicateur"] == LOVAC}
    assert lines["62498"]["valeur"] == "" and lines["62498"]["statut"] == "unavailable"
    assert lines["62041"]["valeur"] != ""
    assert not any(v.startswith(("9.2", "9,2")) for v in lines["62498"].values() if v)


def test_lovac_row_on_the_lens_portrait_for_lecteur_arras(arras: Client) -> None:
    html = arras.get("/territoires/COM:62498/").content.decode()
    assert ROW in html
    cells = _cells(html)
    assert "accès restreint" in cells[0] and "demandez" in cells[0]
    assert "9,2" not in "".join(cells)


def test_anonymous_still_sees_no_restricted_row(web) -> None:  # type: ignore[no-untyped-def]
    html = Client().get("/territoires/COM:62498/").content.decode()
    assert ROW not in html
