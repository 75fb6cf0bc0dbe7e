"""The open data releases page on the demo: the releases written in the data dir with
their build date, their files for anyone, and what changed between two of them."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from observatoire.releases import writer
from observatoire.settings import Settings
from observatoire.territories import Level, Territory

NEWER = "observatoire_EPCI-246200364_2099-01-01T000000Z"


@pytest.fixture
def two_releases(web: Settings) -> Iterator[tuple[str, str]]:
    """A release of the CA de Lens-Liévin from the demo cube, and a copy standing for the
    next build, where Lens' vacancy rate moved (the only value changed)."""
    folder = writer.releases_dir(web)
    first = writer.write(Territory(Level.EPCI, "246200364"), folder).path
    second = folder / NEWER
    shutil.copytree(first, second)
    with (first / writer.CSV_NAME).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["code"] == "62498" and r["indicateur"] == "taux_vacance" and r["annee"] == "2021":
            r["valeur"] = "9.4"
    with (second / writer.CSV_NAME).open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    yield first.name, second.name
    shutil.rmtree(folder)


def test_page_lists_releases_and_serves_their_files(
    client: Any, two_releases: tuple[str, str]
) -> None:
    first, second = two_releases
    page = client.get("/donnees-ouvertes/").content.decode()
    assert first in page and second in page
    assert "Publications disponibles" in page
    response = client.get(f"/donnees-ouvertes/{first}/donnees.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("code,nom,niveau,indicateur,annee,valeur")
    # Only the four files of a listed release: no other path of the data dir.
    assert client.get(f"/donnees-ouvertes/{first}/..%2F..%2Fsecret_key").status_code == 404
    assert client.get("/donnees-ouvertes/..%2F..%2F/donnees.csv").status_code == 404


def test_page_says_what_changed_between_two_releases(
    client: Any, two_releases: tuple[str, str]
) -> None:
    first, second = two_releases
    page = client.get("/donnees-ouvertes/", {"de": first, "a": second}).content.decode()
    assert "Valeurs modifiées (1)" in page
    assert "Taux de vacance" in page and "Lens (COM 62498)" in page
    assert "9,4 %" in page
    assert "Nouvelles valeurs (0)" in page
    unknown = client.get("/donnees-ouvertes/", {"de": "inconnue", "a": second})
    assert "Choisissez deux publications" in unknown.content.decode()
