"""Finding a territory in the portal (search page, API, names in the explorer and the
comparison), the explorer's paginated table, the comparison's sources, reasons and
downloads, and the catalog in French: on the real demo data."""

from __future__ import annotations

import csv
import io
import re
from html import escape

from observatoire.settings import Settings

LENS_LIEVIN = "EPCI:246200364"


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode()), delimiter=";"))


def _names(html: str) -> list[str]:
    return re.findall(r'<tr data-code="\d+">\s*<th scope="row"><a [^>]+>([^<]+)</a>', html)


def test_search_reads_a_postcode_and_says_how_many(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/", {"q": "62300"}).content.decode()
    results = html.split('id="search-results"')[1].split("</ul>")[0]
    assert re.findall(r">([^<]+)</a>", results) == ["Éleu-dit-Leauwette (62)", "Lens (62)"]
    assert "Équihen-Plage" not in results and "code postal 62300" in results
    assert "2 territoires trouvés" in html and "INSEE 62300" in html
    html = client.get("/", {"q": "INSEE 62300"}).content.decode()
    assert "Équihen-Plage (62)" in html.split('id="search-results"')[1]


def test_search_shows_the_departement_and_how_to_refine(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/", {"q": "st omer"}).content.decode()
    assert "Saint-Omer (62)</a>" in html and "Saint-Omer (14)</a>" in html
    html = client.get("/", {"q": "saint"}).content.decode()
    count = re.search(r'id="search-count" role="status">(\d+) territoires correspondent', html)
    assert count and int(count.group(1)) > 1000
    assert "ajoutez un mot du nom ou le numéro du département" in html
    assert html.split('id="search-results"')[1].split("</ul>")[0].count("<li>") == 30
    assert "CA de Lens - Liévin" in client.get("/", {"q": "CA Lens"}).content.decode()
    html = client.get("/", {"q": "zzzz introuvable"}).content.decode()
    assert "Aucun territoire ne correspond" in html and "« CA Lens »" in html


def test_api_search_gives_labels_for_suggestions(client) -> None:  # type: ignore[no-untyped-def]
    found = client.get("/api/v1/suggestions", {"q": "62300"}).json()
    assert [(t["id"], t["label"], t["departement"]) for t in found] == [
        ("COM:62291", "Éleu-dit-Leauwette (62)", "62"),
        ("COM:62498", "Lens (62)", "62"),
    ]
    epci = client.get("/api/v1/suggestions", {"q": "CA Lens", "limit": 1}).json()
    assert epci == [
        {
            "id": LENS_LIEVIN,
            "level": "EPCI",
            "code": "246200364",
            "name": "CA de Lens - Liévin",
            "label": "CA de Lens - Liévin",
            "kind": "intercommunalité (EPCI)",
            "departement": None,
        }
    ]


def test_explorer_table_is_paginated_filtered_and_in_french_order(client) -> None:  # type: ignore[no-untyped-def]
    params = {"indicator": "taux_vacance", "level": "COM", "within": "DEP:62"}
    html = client.get("/explorer/", params).content.decode()
    first = _names(html)
    assert len(first) == 50 and "Page 1 sur 18" in html
    assert 'aria-label="Pages du tableau"' in html
    # No JavaScript needed: the next page is a link keeping the other parameters.
    pager = html.split('aria-label="Pages du tableau"')[1].split("</nav>")[0]
    assert "within=DEP%3A62" in pager and "&amp;page=2" in pager and "&amp;page=18" in pager
    last = _names(client.get("/explorer/", {**params, "page": "18"}).content.decode())
    assert len(last) == 887 - 17 * 50
    # The downloads still hold the 887 communes (the API's files, not the page).
    assert "887 communes du Pas-de-Calais" in html
    # Œuf-en-Ternois among the O, not after Z.
    assert "Œuf-en-Ternois" not in last
    found = client.get("/explorer/", {**params, "filtre": "oeuf"}).content.decode()
    assert _names(found) == ["Œuf-en-Ternois"]
    assert "1 sur 887 communes pour « oeuf »" in found
    names = [
        n
        for p in range(1, 19)
        for n in _names(client.get("/explorer/", {**params, "page": str(p)}).content.decode())
    ]
    assert len(names) == 887 and names[0].startswith("A") and names[-1].startswith("Z")
    i = names.index("Œuf-en-Ternois")
    assert names[i - 1][0] in "NO" and names[i + 1][0] in "OP", names[i - 1 : i + 2]
    # "Éleu-dit-Leauwette" among the E, not after Z either.
    assert names[names.index("Éleu-dit-Leauwette") + 1][0] in "EÉ"
    # Accents ignored at the first level: "Méricourt" before "Meurchin" (CA Lens-Liévin).
    lens = _names(client.get("/explorer/", {**params, "within": LENS_LIEVIN}).content.decode())
    assert lens.index("Méricourt") < lens.index("Meurchin")
    assert len(lens) == 36  # one page: no pager
    # A filter matching nothing says so; a bad page number falls back to a real page.
    assert (
        "Aucun territoire ne correspond au filtre"
        in client.get("/explorer/", {**params, "filtre": "zzzz"}).content.decode()
    )
    assert len(_names(client.get("/explorer/", {**params, "page": "abc"}).content.decode())) == 50


def test_explorer_and_comparison_take_names(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(
        "/explorer/", {"indicator": "taux_vacance", "level": "EPCI", "within": "Pas-de-Calais"}
    ).content.decode()
    assert "Taux de vacance, intercommunalités du Pas-de-Calais" in html
    response = client.get("/comparer/", {"t": ["CA de Lens - Liévin", "Saint-Omer (62)"]})
    assert response.status_code == 200
    assert "<title>Comparaison : CA de Lens - Liévin, Saint-Omer" in response.content.decode()
    # Ambiguous: the page offers links to each candidate, keeping the other fields.
    response = client.get("/comparer/", {"t": [LENS_LIEVIN, "saint omer"]})
    assert response.status_code == 400
    html = response.content.decode()
    links = html.split('id="suggestions-erreur"')[1].split("</ul>")[0]
    assert (
        f'href="/comparer/?t={LENS_LIEVIN.replace(":", "%3A")}&amp;t=COM%3A62765">Saint-Omer (62)</a>'
        in links
    )
    assert ">Saint-Omer (14)</a>" in links
    assert 'data-suggest="/api/v1/suggestions"' in html
    assert "/static/portal/suggest.js" in html


def test_comparison_has_sources_reasons_and_downloads(client) -> None:  # type: ignore[no-untyped-def]
    # The SRU rate is published per commune only: the EPCI's cell says why it has none.
    params = {"t": [LENS_LIEVIN, "COM:62498"], "indicator": ["sru_taux_lls", "taux_vacance"]}
    html = client.get("/comparer/", params).content.decode()
    row = html.split('<tr data-indicator="sru_taux_lls">')[1].split("</tr>")[0]
    assert "non disponible" in row and "comparaison__raison" in row
    assert "Inventaire SRU (article 55)" in row
    vacancy = html.split('<tr data-indicator="taux_vacance">')[1].split("</tr>")[0]
    assert "Recensement de la population" in vacancy and "millésime 2021" in vacancy
    assert 'id="telechargements-comparaison"' in html
    response = client.get("/comparer/", {**params, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode()), delimiter=";"))
    assert {(r["code"], r["indicateur"]) for r in rows} == {
        (c, i) for c in ("246200364", "62498") for i in ("sru_taux_lls", "taux_vacance")
    }
    lens = next(r for r in rows if r["code"] == "62498" and r["indicateur"] == "taux_vacance")
    assert lens["valeur"].startswith("11.1") and lens["statut"] == "ok"
    xlsx = client.get("/comparer/", {**params, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    bad = client.get("/comparer/", {**params, "format": "pdf"})
    assert bad.status_code == 400 and "Format « pdf » inconnu" in bad.content.decode()


def test_comparison_download_honours_diffusion(  # type: ignore[no-untyped-def]
    client, restricted, reader_lens, reader_arras
) -> None:
    params = {"t": "COM:62498", "indicator": "taux_pauvrete", "format": "csv"}
    response = client.get("/comparer/", params)
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
    client.force_login(reader_arras)
    response = client.get("/comparer/", params)
    assert response.status_code == 403 and b"32.0" not in response.content
    client.force_login(reader_lens)
    response = client.get("/comparer/", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert [(r["code"], r["indicateur"]) for r in _csv(response.content)] == [
        ("62498", "taux_pauvrete")
    ]
    # The default selection of a download leaves out what the user may not read.
    client.logout()
    default = client.get("/comparer/", {"t": "COM:62498", "format": "csv"})
    indicators = {r["indicateur"] for r in _csv(default.content)}
    assert "taux_pauvrete" not in indicators and "taux_vacance" in indicators


def test_catalog_speaks_french(client) -> None:  # type: ignore[no-untyped-def]
    from observatoire.indicators.catalog import AGGREGATION_LABELS, AGGREGATIONS, catalog

    assert set(AGGREGATION_LABELS) == AGGREGATIONS
    html = client.get("/indicateurs/").content.decode()
    for code in {i.aggregation for i in catalog().values()}:
        assert f"<td>{code}</td>" not in html
        assert f"<td>{escape(AGGREGATION_LABELS[code])}</td>" in html
    assert "<td>rapport de sommes</td>" in html
    page = client.get("/indicateurs/taux_vacance/").content.decode()
    recipes = page.split('id="recettes"')[1].split("</ul>")[0]
    assert "rapport de sommes" in recipes and "Recensement de la population" in recipes
    assert "insee_rp_logement" not in recipes and "ratio" not in recipes
    page = client.get("/indicateurs/dvf_prix_m2_moyen/").content.decode()
    recipes = page.split('id="recettes"')[1].split("</ul>")[0]
    assert "moyenne pondérée" in recipes and "compte pour 0" in recipes


def test_every_source_of_the_catalog_has_a_french_name(web: Settings) -> None:
    from observatoire import figures
    from observatoire.indicators.catalog import catalog

    for ind in catalog().values():
        for recipe in figures.recipes(ind):
            assert all("_" not in s for s in recipe["sources"]), ind.code  # type: ignore[attr-defined]
