"""The "Télécharger la fiche (PDF)" link of a portrait: the same renderer as the batch,
for the reader the request's user is."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

LINK = re.compile(r'<a [^>]*id="fiche-pdf" href="([^"]+)"[^>]*>Télécharger la fiche \(PDF\)</a>')
# The label of vacance_longue_duree_part (LOVAC, diffusion restreinte).
LOVAC = "vacants depuis plus de 2 ans"


def _pdf_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"[ \n]+", " ", " ".join(p.extract_text() for p in pages))


def test_portrait_links_to_its_fiche(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/territoires/COM:62498/").content.decode()
    match = LINK.search(html)
    assert match is not None
    response = client.get(match.group(1))
    assert 'filename="62498-lens.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response)
    assert "Lens" in text and "Chiffres clés" in text


def test_restricted_figures_only_for_a_reader_in_scope(client, reader_lens, reader_arras) -> None:  # type: ignore[no-untyped-def]
    # LOVAC (diffusion restreinte): not in the public fiche, nor in the fiche of Lens made
    # for a reader of Arras; in Lens' fiche for a reader of Lens, "diffusion restreinte"
    # on every page.
    url = "/publications/fiches/COM:62498.pdf"
    public = _pdf_text(client.get(url))
    assert LOVAC not in public and "DIFFUSION RESTREINTE" not in public
    client.force_login(reader_arras)
    assert LOVAC not in _pdf_text(client.get(url))
    client.force_login(reader_lens)
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert LOVAC in re.sub(r"[ \n]+", " ", " ".join(p.extract_text() for p in pages))
    assert all("DIFFUSION RESTREINTE" in p.extract_text() for p in pages)


def test_unknown_territory_is_a_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/publications/fiches/COM:00000.pdf").status_code == 404
