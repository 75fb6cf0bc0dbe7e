"""The animateur's batch page (issue #15 §1): start the fiches of a territory of one's
scope, follow the job (a page that refreshes itself, a JSON state), download the zip;
one job at a time per territory, failures listed, a dead job seen as interrupted."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from observatoire.settings import Settings
from observatoire.territories import Territory

# The CALL's ANRU communes (demo grouping): five communes of the Pas-de-Calais.
GROUPING = "GRP:call-communes-anru"
PAGE = f"/publications/lots/{GROUPING}/"


def _user(name: str, role: str, scope: list[str]) -> Any:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Profile

    user, _ = get_user_model().objects.get_or_create(username=f"lots-{name}")
    Profile.objects.update_or_create(user=user, defaults={"role": role, "territories": scope})
    return user


@pytest.fixture
def job_folder(web: Settings) -> Iterator[Any]:
    """The grouping's job folder, emptied before and after the test (the worker's data
    dir is shared by its tests)."""
    from observatoire.publications import jobs

    t = Territory.parse(GROUPING)
    shutil.rmtree(jobs.folder(t), ignore_errors=True)
    yield jobs.folder(t)
    jobs.wait(t)
    shutil.rmtree(jobs.folder(t), ignore_errors=True)


def test_animateur_starts_a_batch_follows_it_and_downloads_the_zip(client, job_folder) -> None:  # type: ignore[no-untyped-def]
    from observatoire.publications import jobs

    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    page = client.get("/publications/lots/").content.decode()
    assert f'<option value="{GROUPING}">' in page and '<option value="EPCI:246200364">' in page
    # Liévin's fiche cannot be written (a directory in the way): it fails alone.
    (job_folder / "fiches" / "62510-lievin.pdf.part").mkdir(parents=True)

    response = client.post("/publications/lots/", {"territoire": GROUPING})
    assert response.status_code == 302 and response["Location"] == PAGE
    # One job at a time: a second start while it runs says so and starts nothing.
    again = client.post("/publications/lots/", {"territoire": GROUPING}, follow=True)
    assert "Un lot est déjà en cours" in again.content.decode()
    assert again.headers.get("Refresh") == "5"  # the page follows the job without script
    jobs.wait(Territory.parse(GROUPING))

    state = client.get(f"{PAGE}etat.json").json()
    assert state["state"] == "termine" and state["total"] == 6 and state["done"] == 6
    assert state["written"] == 5
    assert [f["territory"] for f in state["failed"]] == ["COM:62510"]
    page = client.get(PAGE).content.decode()
    assert "COM:62510" in page and "Télécharger les fiches (zip)" in page
    assert "Refresh" not in client.get(PAGE).headers

    download = client.get(state["zip"])
    assert download.status_code == 200
    assert "fiches-call-communes-anru" in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 5 and "62498-lens.pdf" in names and "62510-lievin.pdf" not in names
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(archive.read("62498-lens.pdf"))).pages
    )
    assert "Lens" in text and "Chiffres clés" in text


def test_a_job_whose_process_died_reads_interrupted_and_may_restart(client, job_folder) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    job_folder.mkdir(parents=True)
    # A job left "en cours" by a process that no longer exists (a restarted server).
    (job_folder / "progress.json").write_text(
        json.dumps(
            {
                "territory": GROUPING, "state": "en_cours", "total": 6, "done": 2,
                "written": 0, "skipped": 0, "failed": [], "started": "2026-01-01T10:00:00",
                "finished": "", "error": "", "pid": 2**22 + 1,
            }
        )
    )  # fmt: skip
    assert client.get(f"{PAGE}etat.json").json()["state"] == "interrompu"
    page = client.get(PAGE)
    assert "interrompu" in page.content.decode() and "Relancer le lot" in page.content.decode()
    assert "Refresh" not in page.headers
    assert client.get(f"{PAGE}fiches.zip").status_code == 404


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("animateur", ["DEP:46"]),  # an animateur out of scope (the Lot)
        ("contributeur", ["EPCI:246200364"]),  # a partner
        ("lecteur", ["DEP:62"]),
    ],
)
def test_others_are_refused_everywhere(client, job_folder, role, scope) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user(f"{role}-{scope[0]}", role, scope))
    assert client.post("/publications/lots/", {"territoire": GROUPING}).status_code == 403
    for url in (PAGE, f"{PAGE}etat.json", f"{PAGE}fiches.zip"):
        assert client.get(url).status_code == 403, url
    assert not job_folder.exists()


def test_animateur_out_of_scope_sees_the_page_but_not_the_territory(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user("animateur-46", "animateur", ["DEP:46"]))
    page = client.get("/publications/lots/").content.decode()
    assert '<option value="DEP:46">' in page and GROUPING not in page


def test_anonymous_goes_to_the_login_page(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/publications/lots/", PAGE, f"{PAGE}etat.json", f"{PAGE}fiches.zip"):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_a_bad_territory_is_a_french_message(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    commune = client.post("/publications/lots/", {"territoire": "COM:62498"})
    assert commune.status_code == 400
    assert "département, une intercommunalité ou un regroupement" in commune.content.decode()
    unknown = client.post("/publications/lots/", {"territoire": "EPCI:999999999"})
    assert unknown.status_code == 400 and "999999999" in unknown.content.decode()
