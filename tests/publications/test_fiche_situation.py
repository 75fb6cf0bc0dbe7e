"""The fiche's map of the territory in its surroundings (issue 15 §1): a static SVG from
the shipped contours (communes: the national layer), the territory in blue among its
surroundings in grey, with its alternative text in the tagged PDF; one line instead when
the contour is not shipped."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter

from pypdf import PdfReader

from observatoire.settings import Settings
from observatoire.territories import Level, Territory

LENS = Territory.parse("COM:62498")
LIEVIN = Territory.parse("COM:62510")
CA_LENS = Territory.parse("EPCI:246200364")
BLUE, GREY = "#000091", "#d9d9d9"
SVG = "{http://www.w3.org/2000/svg}"


def _fills(uri: str) -> Counter[str]:
    """How many paths of each fill the map's SVG draws."""
    assert uri.startswith("data:image/svg+xml;base64,")
    root = ET.fromstring(base64.b64decode(uri.split(",", 1)[1]))
    return Counter(p.get("fill") for p in root.iter(f"{SVG}path"))


def _paths(uri: str) -> set[str]:
    root = ET.fromstring(base64.b64decode(uri.split(",", 1)[1]))
    return {p.get("d", "") for p in root.iter(f"{SVG}path")}


def _figure_alts(node) -> list[str]:  # type: ignore[no-untyped-def]
    node = node.get_object()
    out = []
    if isinstance(node, list):
        for child in node:
            out += _figure_alts(child)
    elif hasattr(node, "get"):
        if node.get("/S") == "/Figure" and "/Alt" in node:
            out.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None and not isinstance(kids, int):
            out += _figure_alts(kids)
    return out


def test_the_lens_fiche_pdf_shows_its_map_with_an_alternative_text(web: Settings) -> None:
    from observatoire.publications.fiche import fiche
    from observatoire.publications.render import fiche_pdf

    pdf = PdfReader(io.BytesIO(fiche_pdf(fiche(LENS))))
    alts = _figure_alts(pdf.trailer["/Root"]["/StructTreeRoot"])
    assert (
        "Carte de situation : Lens (en bleu) parmi les 36 communes de la CA de Lens - Liévin "
        "(en gris)"
    ) in alts
    # Collapse line breaks only (the caption wraps in its 62 mm column).
    first = re.sub(r"[ \n]+", " ", pdf.pages[0].extract_text())
    assert "Carte : Lens parmi les 36 communes de la CA de Lens - Liévin." in first
    assert "IGN" in first and "Etalab 2.0" in first


def test_a_commune_in_blue_among_the_other_communes_of_its_epci(web: Settings) -> None:
    from observatoire import figures
    from observatoire.publications.situation import situation

    lens = situation(LENS)
    assert lens is not None and lens.svg_uri is not None
    others = len(figures.communes_of(CA_LENS)) - 1
    assert _fills(lens.svg_uri) == Counter({BLUE: 1, GREY: others})
    # Liévin is drawn in the same frame, from the same paths (computed once per EPCI).
    lievin = situation(LIEVIN)
    assert lievin is not None and lievin.svg_uri is not None
    assert _paths(lievin.svg_uri) == _paths(lens.svg_uri)
    assert _fills(lievin.svg_uri) == Counter({BLUE: 1, GREY: others})
    # Small enough for 887 fiches: 0.1 px coordinates, simplified to the print scale.
    assert len(lens.svg_uri) < 40_000


def test_epci_and_departement_fiches_get_a_map(web: Settings) -> None:
    from observatoire import figures
    from observatoire.publications.fiche import fiche
    from observatoire.publications.render import fiche_html

    epci = fiche(CA_LENS)
    assert epci.situation is not None and epci.situation.svg_uri is not None
    epcis = figures.referential().children(Territory.parse("DEP:62"), Level.EPCI)
    assert _fills(epci.situation.svg_uri) == Counter({BLUE: 1, GREY: len(epcis) - 1})
    assert epci.situation.alt.startswith(
        "Carte de situation : CA de Lens - Liévin (en bleu) parmi les "
    )
    assert epci.situation.alt.endswith(" EPCI du Pas-de-Calais (en gris)")

    dep = fiche(Territory.parse("DEP:62"))
    assert dep.situation is not None and dep.situation.svg_uri is not None
    assert _fills(dep.situation.svg_uri) == Counter({BLUE: 1, GREY: 4})
    html = fiche_html(dep)
    assert (
        'alt="Carte de situation : Pas-de-Calais (en bleu) parmi les 5 départements des '
        'Hauts-de-France (en gris)"'
    ) in html


def test_every_commune_of_france_gets_its_map_from_the_national_layer(web: Settings) -> None:
    from observatoire import figures
    from observatoire.publications.situation import situation

    # Bordeaux and Saint-Denis (La Réunion): outside the five départements whose 2018
    # contours the portal's GeoJSON maps use; Sannerville (Calvados), re-established in
    # 2019, has no boundary in that 2018 source: all three are in the national layer.
    for code, epci in (
        ("COM:33063", "EPCI:243300316"),
        ("COM:97411", "EPCI:249740119"),
        ("COM:14666", None),
    ):
        t = Territory.parse(code)
        s = situation(t)
        assert s is not None and s.svg_uri is not None, code
        fills = _fills(s.svg_uri)
        assert fills[BLUE] == 1, code
        if epci is not None:
            assert fills[GREY] == len(figures.communes_of(Territory.parse(epci))) - 1, code
        assert "ADMIN EXPRESS COG" in s.credit, code


def test_a_territory_without_contour_gets_one_line_and_no_map(web: Settings) -> None:
    from observatoire.publications.fiche import fiche
    from observatoire.publications.render import fiche_html

    line = "Carte de situation non disponible : contours non livrés pour ce territoire."
    # Saint-Pierre (Saint-Pierre-et-Miquelon): no contour in the national layer either
    # (geo/data/SOURCES.md); an EPCI of the Gironde and La Réunion: their layers are
    # shipped for five départements and metropolitan France only.
    for code in ("COM:97501", "EPCI:243300316", "DEP:974"):
        f = fiche(Territory.parse(code))
        assert f.situation is not None and f.situation.svg_uri is None, code
        html = fiche_html(f)
        assert line in html, code
        assert "Carte de situation :" not in html and "Carte :" not in html, code
