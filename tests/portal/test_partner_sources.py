"""The catalog page of an indicator whose source is not in the demo (issue #13 §1) says
"source non chargée" and where the file comes from."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("code", "where"),
    [("dpe_part_fg", "dpe03existant"), ("copro_nombre", "rnc-data-gouv-with-qpv.csv")],
)
def test_unloaded_source_says_where_its_file_comes_from(client, code: str, where: str) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/indicateurs/{code}/").content.decode()
    assert "Source non chargée" in html
    provenance = html.split('id="provenance"')[1].split("</ul>")[0]
    assert where in provenance
