"""The catalog pages of indicators whose source is not in the demo (issue #13 §1) say
"source non chargée" and where the file comes from; those of the sources under convention
(SNE: partenaires, PPPI: restreint) are not shown to anonymous visitors."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("code", "where"),
    [
        ("dpe_part_fg", "dpe03existant"),
        ("copro_nombre", "rnc-data-gouv-with-qpv.csv"),
        ("hebergement_places_pour_1000", "etalab-cs1100505"),
        ("logements_autorises_individuels_purs", "statistiques.developpement-durable.gouv.fr"),
    ],
)
def test_unloaded_source_says_where_its_file_comes_from(client, code: str, where: str) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/indicateurs/{code}/").content.decode()
    assert "Source non chargée" in html
    provenance = html.split('id="provenance"')[1].split("</ul>")[0]
    assert where in provenance


@pytest.mark.parametrize(
    ("code", "where"), [("sne_demandes", "infocentre"), ("pppi_part", "FILOCOM")]
)
def test_sources_under_convention_are_for_signed_in_readers(  # type: ignore[no-untyped-def]
    client, reader_lens, code: str, where: str
) -> None:
    response = client.get(f"/indicateurs/{code}/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
    client.force_login(reader_lens)
    html = client.get(f"/indicateurs/{code}/").content.decode()
    assert "Source non chargée" in html and where in html.split('id="provenance"')[1]
