"""Explorer, comparison and portrait additions (maps, charts) on the real demo data."""

from __future__ import annotations

import json
import re
from importlib import resources
from urllib.parse import parse_qs, urlsplit

import pytest

LENS_LIEVIN = "EPCI:246200364"


def _row(html: str, code: str) -> str:
    return html.split(f'<tr data-code="{code}">')[1].split("</tr>")[0]


def _json_script(html: str, element_id: str) -> dict:  # type: ignore[type-arg]
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, element_id
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def _scripts(html: str) -> list[str]:
    return re.findall(r'<script[^>]* src="([^"]+)"', html)


def _assert_csp_friendly(html: str) -> None:
    assert not re.search(r"<[^>]+\son[a-z]+=", html), "inline event handler"
    assert all(src.startswith("/static/") for src in _scripts(html)), "script not served locally"


def test_explorer_maps_the_36_communes_of_lens_lievin(client) -> None:  # type: ignore[no-untyped-def]
    from observatoire import figures
    from observatoire.territories import Territory

    response = client.get(
        "/explorer/", {"indicator": "taux_vacance", "level": "COM", "within": LENS_LIEVIN}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Taux de vacance, communes de la CA de Lens - Liévin (2021)" in html
    codes = re.findall(r'<tr data-code="(\d+)">', html)
    expected = figures.referential().communes_of(Territory.parse(LENS_LIEVIN))
    assert len(codes) == 36 and sorted(codes) == sorted(expected)
    lens = _row(html, "62498")
    assert ">Lens</a>" in lens and "11,2 %" in lens
    # Machine-readable key for the client-side sort, French figure for the reader.
    assert 11.1 < float(re.search(r'data-sort-value="([^"]+)"', lens).group(1)) < 11.2  # type: ignore[union-attr]
    assert '<table data-sortable id="tableau-valeurs">' in html
    assert 'aria-sort="ascending">Territoire</th>' in html
    # Map container, legend with the fixed entries, downloads of the API exports.
    assert 'id="legende"' in html
    legend = html.split('id="legende"')[1].split("</div>")[0]
    assert "secret statistique" in legend and "non disponible" in legend
    map_url = re.search(r'data-choropleth="([^"]+)"', html).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert urlsplit(map_url).path == "/api/v1/map"
    assert parse_qs(urlsplit(map_url).query) == {
        "indicator": ["taux_vacance"],
        "level": ["COM"],
        "within": [LENS_LIEVIN],
        "year": ["2021"],
        "method": ["quantiles"],
        "classes": ["5"],
    }
    for fmt in ("csv", "xlsx", "geojson"):
        assert f'href="{map_url.replace("&", "&amp;")}&amp;format={fmt}" download' in html
    assert "/static/vendor/maplibre-gl/maplibre-gl.js" in _scripts(html)
    assert "/static/portal/choropleth.js" in _scripts(html)
    # The one MapLibre map shared with the plans' objectives map, after MapLibre itself.
    scripts = _scripts(html)
    shared = "/static/web/map.js"
    assert scripts.index("/static/vendor/maplibre-gl/maplibre-gl.js") < scripts.index(shared)
    assert scripts.index(shared) < scripts.index("/static/portal/choropleth.js")
    assert client.get(shared).status_code == 200
    assert '<link rel="stylesheet" href="/static/vendor/maplibre-gl/maplibre-gl.css">' in html
    _assert_csp_friendly(html)


def test_explorer_credits_the_source_of_most_values_it_does_not_list(client) -> None:  # type: ignore[no-untyped-def]
    # The France commune page lists 50 communes; its map's credits still name the source
    # and millésime of most of the 34,875 values (counted in the cube, not on the page).
    from collections import Counter

    from django.utils.html import escape

    from observatoire import figures
    from observatoire.figures import PUBLIC
    from observatoire.indicators.catalog import catalog
    from observatoire.territories import Level, Territory

    response = client.get(
        "/explorer/", {"indicator": "taux_vacance", "level": "COM", "within": "FR"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    year = int(
        re.search(r'<select[^>]*name="year".*?<option value="(\d{4})" selected', html, re.S).group(
            1
        )
    )  # type: ignore[union-attr]
    ind = catalog()["taux_vacance"]
    communes = figures.referential().children(Territory.parse("FR"), Level.COM)
    values = [
        v for v in figures.read_values(PUBLIC, ind, communes, year).values() if v.value is not None
    ]
    (source, millesime), _ = Counter((v.source, v.millesime) for v in values).most_common(1)[0]
    first = next(v for v in values if (v.source, v.millesime) == (source, millesime))
    label = escape(first.as_dict()["source"]["name"])
    assert f"Source : {label}, millésime {millesime}." in html
    assert html.count("<tr data-code=") == 50


def test_explorer_marks_secret_values_without_showing_them(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(
        "/explorer/",
        {"indicator": "dvf_prix_m2_moyen", "within": LENS_LIEVIN, "method": "jenks"},
    ).content.decode()
    secret = _row(html, "62107")  # Bénifontaine: too few sales in 2024
    assert "secret statistique" in secret and "€/m²" not in secret
    assert 'data-sort-value=""' in secret
    assert "1\u202f678 €/m²" in _row(html, "62498")  # Lens
    assert "method=jenks" in html and 'value="2024" selected' in html


def test_explorer_other_levels_and_missing_contours(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/explorer/", {"level": "EPCI", "within": "DEP:62"}).content.decode()
    assert f'<tr data-code="{LENS_LIEVIN.split(":")[1]}">' in html
    assert "data-choropleth=" in html
    # EPCI of Paris: no EPCI contours shipped there; the values are still listed.
    response = client.get("/explorer/", {"level": "EPCI", "within": "DEP:75"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fond de carte non disponible pour ce territoire" in html
    assert "data-choropleth=" not in html and '<tr data-code="200054781">' in html
    # Its commune: every commune of France is drawn on the national vector tiles.
    html = client.get("/explorer/", {"level": "COM", "within": "DEP:75"}).content.decode()
    assert 'data-layer="communes"' in html and '<tr data-code="75056">' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"within": "lievin"}, "Vouliez-vous dire : Liévin (COM:62510)"),
        ({"within": "COM:99999"}, "« COM:99999 » est inconnu"),
        ({"level": "DEP"}, "n&#x27;est pas contenu dans EPCI:246200364"),
        ({"level": "XYZ"}, "Niveau « XYZ » inconnu"),
        ({"year": "1999"}, "Pas de donnée pour 1999 (années disponibles : 2021)"),
        ({"year": "abc"}, "Année « abc » invalide"),
        ({"method": "kmeans"}, "Méthode « kmeans » inconnue"),
        ({"indicator": "inconnu"}, "Indicateur « inconnu » inconnu"),
    ],
)
def test_explorer_bad_parameters_give_a_french_message(client, params, message) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/explorer/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and 'role="alert"' in html
    assert "<title>Paramètres à corriger" in html
    assert "data-choropleth=" not in html and "<tr data-code=" not in html


def test_explorer_says_when_a_source_is_not_loaded(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/explorer/", {"indicator": "logements_autorises"}).content.decode()
    assert "la source n&#x27;est pas chargée" in html and "<tr data-code=" not in html


def test_restricted_indicator_not_offered_to_anonymous(  # type: ignore[no-untyped-def]
    client, restricted, reader_lens, reader_arras
) -> None:
    assert 'value="taux_pauvrete"' not in client.get("/explorer/").content.decode()
    for url, params in [
        ("/explorer/", {"indicator": "taux_pauvrete"}),
        ("/comparer/", {"t": "COM:62498", "indicator": "taux_pauvrete"}),
    ]:
        # Anonymous users are asked to sign in, and come back to the same page.
        response = client.get(url, params)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/?next=")
        assert "32,0" not in response.content.decode()  # Lens
    default = client.get("/comparer/", {"t": ["COM:62498", "COM:62510"]}).content.decode()
    assert "Taux de pauvreté" not in default and "Taux de vacance" in default
    portrait = client.get("/territoires/EPCI:246200364/", {"carte": "taux_pauvrete"})
    html = portrait.content.decode()
    assert portrait.status_code == 200 and "diffusion restreinte" in html
    assert "Taux de pauvreté" not in html and "data-choropleth=" not in html

    # Out of scope: refused in French, no figure.
    client.force_login(reader_arras)
    response = client.get("/explorer/", {"indicator": "taux_pauvrete"})
    html = response.content.decode()
    assert response.status_code == 403 and "hors du périmètre" in html
    assert "<tr data-code=" not in html
    response = client.get("/comparer/", {"t": "COM:62498", "indicator": "taux_pauvrete"})
    assert response.status_code == 403 and "Lens (COM:62498)" in response.content.decode()
    html = client.get("/territoires/EPCI:246200364/", {"carte": "taux_pauvrete"}).content.decode()
    assert "hors du périmètre" in html and "data-choropleth=" not in html
    # The portrait keeps the row, marked « accès restreint » with how to ask (#14 §5),
    # without the figure.
    row = html.split('data-indicator="taux_pauvrete"')[1].split("</tr>")[0]
    assert "accès restreint" in row and "data-restricted" in row and "32,0" not in row

    # In scope (the EPCI and its communes): the figures are there.
    client.force_login(reader_lens)
    html = client.get("/explorer/", {"indicator": "taux_pauvrete"}).content.decode()
    assert "32,0 %" in _row(html, "62498")
    assert "Taux de pauvreté" in client.get("/comparer/", {"t": "COM:62498"}).content.decode()
    # ...but not the whole département (its communes are not all in scope).
    response = client.get(
        "/explorer/", {"indicator": "taux_pauvrete", "within": "DEP:62", "level": "EPCI"}
    )
    assert response.status_code == 403


def test_compare_side_by_side_with_charts(client) -> None:  # type: ignore[no-untyped-def]
    territories = [LENS_LIEVIN, "DEP:62", "REG:32", "FR"]
    response = client.get("/comparer/", {"t": territories})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "<title>Comparaison : CA de Lens - Liévin, Pas-de-Calais, Hauts-de-France, France" in html
    )
    row = html.split('<tr data-indicator="taux_vacance">')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="nombre">([^<]*)</td>', row)
    assert cells == ["7,2 %", "7,3 %", "7,7 %", "8,1 %"]
    assert "<td>2021</td>" in row
    # One bar chart per default indicator, carrying the figures of the table.
    codes = re.findall(r'<tr data-indicator="([a-z_0-9]+)">', html)
    assert codes[:3] == ["log_total", "taux_vacance", "part_residences_secondaires"]
    spec = _json_script(html, f"comparaison-{codes.index('taux_vacance')}")
    bars = {p["territoire"]: round(p["valeur"], 1) for p in spec["data"]["values"]}
    assert bars == {
        "CA de Lens - Liévin": 7.2,
        "Pas-de-Calais": 7.3,
        "Hauts-de-France": 7.7,
        "France": 8.1,
    }
    assert html.count("<summary") == len(codes)  # a data table under every chart
    assert "/static/vendor/vega-embed/vega-embed.min.js" in _scripts(html)
    _assert_csp_friendly(html)


def test_compare_chosen_indicators_and_unavailable_values(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(
        "/comparer/", {"t": [LENS_LIEVIN, "COM:62498"], "indicator": "revenu_median"}
    ).content.decode()
    assert re.findall(r'<tr data-indicator="([a-z_]+)">', html) == ["revenu_median"]
    row = html.split('<tr data-indicator="revenu_median">')[1].split("</tr>")[0]
    # No INSEE EPCI file in the demo: the EPCI's median is estimated and says so (#12).
    assert "(estimé)" in row and "18\u202f885 €" in row
    spec = _json_script(html, "comparaison-0")
    assert [p["territoire"] for p in spec["data"]["values"]] == ["CA de Lens - Liévin", "Lens"]


def test_compare_refuses_a_seventh_territory(client) -> None:  # type: ignore[no-untyped-def]
    seven = ["COM:62498", "COM:62510", "COM:62119", "COM:62193", "COM:62413", "COM:62427"]
    assert client.get("/comparer/", {"t": seven[:6]}).status_code == 200
    response = client.get("/comparer/", {"t": [*seven, "COM:62570"]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "au plus 6 territoires ; vous en avez indiqué 7" in html
    assert 'id="comparaison"' not in html


def test_compare_bad_territory_and_empty_form(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/comparer/", {"t": ["EPCI:246200364", "n-importe-quoi"]})
    assert response.status_code == 400
    assert "n&#x27;est pas un identifiant de territoire" in response.content.decode()
    html = client.get("/comparer/").content.decode()
    assert "<title>Comparer des territoires" in html and html.count('name="t"') == 6


def test_portrait_has_evolution_charts_map_and_sources(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/EPCI:246200364/").content.decode()
    assert 'data-indicator="taux_vacance"' in html  # the portrait's tables are kept
    spec = _json_script(html, "evolution-dvf_prix_m2_moyen")
    assert [p["annee"] for p in spec["data"]["values"]] == [2020, 2021, 2022, 2023, 2024]
    figure = html.split('data-evolution="dvf_prix_m2_moyen"')[1].split("</figure>")[0]
    assert "Données du graphique" in figure and '<th scope="row">2024</th>' in figure
    assert 'data-evolution="taux_vacance"' not in html  # a single census year: no chart
    # Map of the 36 communes, taux_vacance by default, with its table.
    assert "within=EPCI%3A246200364" in html and "indicator=taux_vacance" in html
    assert 'id="legende"' in html and len(re.findall(r'<tr data-code="\d+">', html)) == 36
    assert 'href="/indicateurs/"' in html and "Sources et méthodes" in html
    assert "Recensement de la population" in html.split('id="sources"')[1]
    assert "/comparer/?t=EPCI%3A246200364&amp;t=DEP%3A62" in html
    assert "/explorer/?within=EPCI%3A246200364&amp;level=COM" in html
    for lib in ("maplibre-gl/maplibre-gl.js", "vega/vega.min.js", "vega-lite/vega-lite.min.js"):
        assert f"/static/vendor/{lib}" in _scripts(html)
    _assert_csp_friendly(html)
    other = client.get("/territoires/EPCI:246200364/", {"carte": "taux_lls"}).content.decode()
    assert "indicator=taux_lls" in other and 'value="taux_lls" selected' in other


def test_portrait_map_only_where_contours_exist(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/DEP:62/").content.decode()
    assert "level=EPCI" in html and "data-choropleth=" in html
    paris = client.get("/territoires/DEP:75/").content.decode()
    assert "Fond de carte non disponible pour ce territoire" in paris
    assert "data-choropleth=" not in paris
    commune = client.get("/territoires/COM:62498/").content.decode()
    assert "Carte des sous-territoires" not in commune


def test_nav_links(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").content.decode()
    assert 'href="/explorer/">Explorer</a>' in html and 'href="/comparer/">Comparer</a>' in html
    page = client.get("/comparer/").content.decode()
    assert 'href="/comparer/" aria-current="page">Comparer</a>' in page


VENDORED = {
    "maplibre-gl/maplibre-gl.js": "5.24.1",
    "maplibre-gl/maplibre-gl.css": None,
    "vega/vega.min.js": "6.4.0",
    "vega-lite/vega-lite.min.js": "6.5.0",
    "vega-embed/vega-embed.min.js": "7.3.0",
}


@pytest.mark.parametrize("path", sorted(VENDORED))
def test_vendored_files_are_served_with_their_licence(client, path) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/static/vendor/{path}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    version = VENDORED[path]
    vendor = resources.files("observatoire.portal") / "static" / "vendor"
    if version:
        assert version in body  # the README's version is the one shipped
        assert f"{path.split('/')[0]}@{version}" in (vendor / "README.md").read_text("utf-8")
    folder = vendor / path.split("/")[0]
    assert any(f.name.startswith("LICENSE") for f in folder.iterdir())
    assert "sourceMappingURL" not in body


def test_explorer_links_reach_the_same_figures_in_the_api(client) -> None:  # type: ignore[no-untyped-def]
    """The map drawn by the browser and the downloads hold the values of the page's table."""
    html = client.get(
        "/explorer/", {"indicator": "dvf_prix_m2_moyen", "within": LENS_LIEVIN}
    ).content.decode()
    map_url = re.search(r'data-choropleth="([^"]+)"', html).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    doc = json.loads(client.get(map_url).content)
    table = {code: _row(html, code) for code in re.findall(r'<tr data-code="(\d+)">', html)}
    assert doc["year"] == 2024 and len(doc["breaks"]) == 6
    assert {f["properties"]["code"] for f in doc["features"]} == set(table)
    for feature in doc["features"]:
        props = feature["properties"]
        row = table[props["code"]]
        if props["status"] == "secret":
            assert props["value"] is None and "secret statistique" in row
        else:
            key = float(re.search(r'data-sort-value="([^"]+)"', row).group(1))  # type: ignore[union-attr]
            assert abs(props["value"] - key) < 1e-4
    csv_url = map_url + "&format=csv"
    assert f'href="{csv_url.replace("&", "&amp;")}"' in html
    response = client.get(csv_url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 36  # header and the 36 communes of the table
