"""Two partners of one département sending files of the same declared source (issue #13
§3): each validated file is its partner's own part of the warehouse, the parts add up in
the cube, a partner's new file replaces only its own part, a value given by two files is
refused with the other file named, and the partner is told of the decision. The
declaration is the shipped CCAPEX one, the files are written by the test (values at or
above the CCAPEX secrecy threshold, 3, as in test_declared_uploads.py)."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from tests.contributions.conftest import LENS_EPCI
from tests.contributions.test_declared_uploads import DEPOSIT, HEAD, LIST, csv, decision, detail

from observatoire.settings import Settings
from observatoire.warehouse.store import list_imports

# Communes of the CA de Lens-Liévin: Lens, Liévin, Avion, Harnes for the first bailleur,
# Loos-en-Gohelle for the second (a smaller file: the shrink guard once refused it).
HABITAT_FILE = HEAD + "62498;2024;40;5\n62510;2024;12;4\n62065;2024;9;3\n62413;2024;7;3\n"
MAISONS_FILE = HEAD + "62528;2024;6;3\n"
HABITAT = {"organisation": "Pas-de-Calais Habitat", "kind": "bailleur"}
MAISONS = {"organisation": "Maisons et Cités", "kind": "bailleur"}
URL = "/api/v1/values?indicator=ccapex_assignations&territory={}&year=2024"


@pytest.fixture
def ccapex(declared_dir: Callable[[date], Settings]) -> Settings:
    return declared_dir(date.today() + timedelta(days=365))


def _send(client: Client, text: str, name: str) -> Any:
    from observatoire.contributions.models import DeclaredUpload

    sent = client.post(DEPOSIT, {"source": "ccapex", "fichier": csv(text, name)})
    assert sent.status_code == 302, sent.content.decode()[:3000]
    return DeclaredUpload.objects.filter(author=client.user).first()  # type: ignore[attr-defined]


def _validate(animateur: Client, upload: Any) -> str:
    page = animateur.post(decision(upload.pk), {"decision": "valider"})
    upload.refresh_from_db()
    return html.unescape(page.content.decode()) if page.status_code == 200 else ""


def _stored(settings: Settings) -> dict[str, str]:
    """File name -> sha256 of every stored slice of the source."""
    return {
        str(s.provenance["file_name"]): hashlib.sha256(Path(s.path).read_bytes()).hexdigest()
        for s in list_imports(settings.warehouse_dir, "ccapex")
    }


def _served(reader: Client, territory: str) -> float:
    [value] = reader.get(URL.format(territory)).json()["values"]
    return float(value["value"])


def test_two_bailleurs_of_a_departement_add_up_and_each_replaces_only_its_own_file(
    ccapex: Settings, signed_in: Callable[..., Client]
) -> None:
    from observatoire.indicators.cube import build

    habitat = signed_in("contributeur", [LENS_EPCI], **HABITAT)
    maisons = signed_in("contributeur", [LENS_EPCI], **MAISONS)
    animateur = signed_in("animateur", ["DEP:62"], organisation="Département du Pas-de-Calais")
    first = _send(habitat, HABITAT_FILE, "ccapex-pdch-2024.csv")
    assert _validate(animateur, first) == "" and first.status == "valide"
    second = _send(maisons, MAISONS_FILE, "ccapex-mc-2024.csv")
    # One row against four, in the same département: before each partner had its own
    # part, it replaced the first file (or the shrink guard refused it).
    assert _validate(animateur, second) == "" and second.status == "valide"
    assert sorted(_stored(ccapex)) == ["ccapex-mc-2024.csv", "ccapex-pdch-2024.csv"]

    build(ccapex)
    reader = signed_in("lecteur", ["COM:62041"])
    assert _served(reader, "COM:62498") == 40
    assert _served(reader, "COM:62528") == 6
    assert _served(reader, LENS_EPCI) == 40 + 12 + 9 + 7 + 6
    assert _served(reader, "DEP:62") == 40 + 12 + 9 + 7 + 6
    page = reader.get("/indicateurs/ccapex_assignations/").content.decode()
    assert "fourni par Pas-de-Calais Habitat" in page and "fourni par Maisons et Cités" in page

    # Pas-de-Calais Habitat corrects its 2024 file: only its own part is replaced (Avion
    # dropped, Lens corrected), Maisons et Cités' Loos-en-Gohelle stays.
    kept = _stored(ccapex)["ccapex-mc-2024.csv"]
    fixed = HEAD + "62498;2024;30;5\n62510;2024;12;4\n62413;2024;7;3\n"
    again = _send(habitat, fixed, "ccapex-pdch-2024-v2.csv")
    assert _validate(animateur, again) == "" and again.status == "valide"
    stored = _stored(ccapex)
    assert sorted(stored) == ["ccapex-mc-2024.csv", "ccapex-pdch-2024-v2.csv"]
    assert stored["ccapex-mc-2024.csv"] == kept
    build(ccapex)
    assert _served(reader, LENS_EPCI) == 30 + 12 + 7 + 6
    assert _served(reader, "COM:62065") == 0  # CCAPEX: a commune absent counts as zero


def test_a_value_another_partner_gave_is_refused_at_validation_with_that_file_named(
    ccapex: Settings, signed_in: Callable[..., Client]
) -> None:
    habitat = signed_in("contributeur", [LENS_EPCI], **HABITAT)
    maisons = signed_in("contributeur", [LENS_EPCI], **MAISONS)
    animateur = signed_in("animateur", [LENS_EPCI])
    first = _send(habitat, HABITAT_FILE, "ccapex-pdch-2024.csv")
    # Sent while the first is still pending: Lens (line 3) is in both files.
    clash = _send(maisons, MAISONS_FILE + "62498;2024;11;3\n", "ccapex-mc-2024.csv")
    assert _validate(animateur, first) == ""
    before = _stored(ccapex)
    page = _validate(animateur, clash)
    assert "Le fichier n'a pas été importé" in page
    assert "« ccapex-pdch-2024.csv » (Pas-de-Calais Habitat" in page
    assert "<td>3</td>" in page and "<code>COM:62498</code>" in page
    assert "COM:62528" not in page  # the row only this file gives is not a conflict
    assert clash.status == "en_attente"
    assert _stored(ccapex) == before  # nothing stored was touched
    # The author sees the same problem on their file's page.
    assert "ccapex-pdch-2024.csv" in maisons.get(detail(clash.pk)).content.decode()


def test_a_validation_failing_midway_leaves_every_stored_part_as_it_was(
    ccapex: Settings, signed_in: Callable[..., Client]
) -> None:
    habitat = signed_in("contributeur", [LENS_EPCI], **HABITAT)
    maisons = signed_in("contributeur", [LENS_EPCI], **MAISONS)
    animateur = signed_in("animateur", [LENS_EPCI])
    assert _validate(animateur, _send(habitat, HABITAT_FILE, "ccapex-pdch-2024.csv")) == ""
    assert _validate(animateur, _send(maisons, MAISONS_FILE, "ccapex-mc-2024.csv")) == ""
    before = _stored(ccapex)
    # One commune for four: read, staged, then refused as a truncated file before the swap.
    cut = _send(habitat, HEAD + "62498;2024;40;5\n", "ccapex-pdch-2024-coupe.csv")
    page = _validate(animateur, cut)
    assert "Le fichier n'a pas été importé" in page and "moins de la moitié" in page
    assert cut.status == "en_attente"
    assert _stored(ccapex) == before
    assert not list((ccapex.warehouse_dir / ".staging").glob("*.duckdb"))


def test_the_partner_is_told_of_the_decision_on_their_list_page_and_by_mail(
    ccapex: Settings, signed_in: Callable[..., Client]
) -> None:
    habitat = signed_in("contributeur", [LENS_EPCI], **HABITAT)
    animateur = signed_in("animateur", [LENS_EPCI])
    upload = _send(habitat, HABITAT_FILE, "ccapex-pdch-2024.csv")
    preview = animateur.get(detail(upload.pk)).content.decode()
    assert "<td>40</td>" in preview and "40.0" not in preview
    mail.outbox.clear()
    _validate(animateur, upload)
    refused = _send(habitat, HEAD + "62771;2024;1234;3\n", "ccapex-sallaumines.csv")
    assert "<td>1\u202f234</td>" in animateur.get(detail(refused.pk)).content.decode()
    animateur.post(decision(refused.pk), {"decision": "refuser", "motif": "Chiffre à vérifier"})

    email = habitat.user.email  # type: ignore[attr-defined]
    assert [m.to for m in mail.outbox] == [[email], [email]]
    assert "« ccapex-pdch-2024.csv »" in mail.outbox[0].body and "validé" in mail.outbox[0].body
    assert "Motif : Chiffre à vérifier" in mail.outbox[1].body
    page = habitat.get(LIST).content.decode()
    assert f'id="decision-{upload.pk}"' in page and "a été validé le" in page
    assert f'id="decision-{refused.pk}"' in page and "a été refusé le" in page
    # Said once: the next visit lists the files without the notices.
    page = habitat.get(LIST).content.decode()
    assert 'id="decision-' not in page and "ccapex-sallaumines.csv" in page
