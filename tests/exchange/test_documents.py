"""The document library: versions, full-text search (PDF text, accents and case ignored),
filters, reading rights per diffusion, role and territory, deletion."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from tests.exchange.conftest import ARRAS, LENS, document_form, pdf_bytes, unique, upload

# Full-text search has its own code path on SQLite.
pytestmark = pytest.mark.embedded


def text_of(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def deposit(client: Any, name: str, content: bytes, **fields: Any) -> Any:
    from observatoire.exchange.models import Document

    data = document_form(**fields)
    response = client.post("/echanges/documents/deposer/", {**data, "file": upload(name, content)})
    assert response.status_code == 302, text_of(response)
    return Document.objects.get(title=data["title"])


def listed(client: Any, query: str) -> set[int]:
    response = client.get("/echanges/documents/" + query)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-document="(\d+)"', response.content.decode())}


def download(client: Any, document: Any, number: int) -> bytes:
    response = client.get(f"/echanges/documents/{document.pk}/versions/{number}/telecharger/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_new_version_keeps_the_previous_ones_downloadable(as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("contributeur_lens")
    first = pdf_bytes("Première version du diagnostic.")
    document = deposit(client, "diagnostic.pdf", first)
    second = b"commune;logements\n62498;17000\n"
    response = client.post(
        f"/echanges/documents/{document.pk}/nouvelle-version/",
        {"file": upload("diagnostic-annexe.csv", second), "note": "Annexe chiffrée"},
    )
    assert response.status_code == 302
    assert list(document.versions.values_list("number", "filename", "note")) == [
        (2, "diagnostic-annexe.csv", "Annexe chiffrée"),
        (1, "diagnostic.pdf", ""),
    ]
    reader = as_user("lecteur_arras")
    assert download(reader, document, 1) == first
    assert download(reader, document, 2) == second
    assert (
        reader.get(f"/echanges/documents/{document.pk}/versions/3/telecharger/").status_code == 404
    )
    page = text_of(reader.get(f"/echanges/documents/{document.pk}/"))
    assert "2 actuelle diagnostic-annexe.csv" in page
    assert "Annexe chiffrée" in page


def test_new_version_is_refused_to_other_organisations_and_readers(as_user) -> None:  # type: ignore[no-untyped-def]
    document = deposit(as_user("contributeur_lens"), "note.txt", b"note\n")
    for name in ("contributeur_arras", "lecteur_lens", "animateur_nord"):
        client = as_user(name)
        response = client.post(
            f"/echanges/documents/{document.pk}/nouvelle-version/",
            {"file": upload("intrus.txt", b"intrus\n")},
        )
        assert response.status_code == 403, name
        assert "Accès refusé" in text_of(response)
    # A colleague of the same organisation and the animateur of the département may.
    for name in ("contributeur_lens_2", "animateur"):
        response = as_user(name).post(
            f"/echanges/documents/{document.pk}/nouvelle-version/",
            {"file": upload(f"{name}.txt", b"suite\n")},
        )
        assert response.status_code == 302, name
    assert document.versions.count() == 3


def test_full_text_search_finds_a_word_only_inside_the_pdf(as_user) -> None:  # type: ignore[no-untyped-def]
    word = "Xylophagie" + unique("").split("-")[-1]
    document = deposit(
        as_user("contributeur_lens"),
        "etude-bois.pdf",
        pdf_bytes(
            f"Les charpentes des corons souffrent de {word} avancée.",
            "Réhabilitation prévue à Éleu-dit-Leauwette.",
        ),
        summary="Une étude sur les charpentes.",
        diffusion="public",
    )
    assert word.lower() not in (document.title + document.summary).lower()
    client = as_user(None)
    # Case and accents do not matter; every word of the query must be found.
    assert document.pk in listed(client, f"?q={word.upper()}")
    assert document.pk in listed(client, f"?q={word.lower()}+rehabilitation")
    assert document.pk in listed(client, "?q=ÉLEU+dit+leauwette+" + word)
    assert document.pk not in listed(client, f"?q={word}+introuvablemot")
    # The result shows the words around the match, taken from the PDF.
    page = client.get(f"/echanges/documents/?q={word.lower()}").content.decode()
    assert f"souffrent de {word} avancée" in html.unescape(page)


def test_filters_by_territory_theme_and_type(as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("contributeur_lens")
    tag = unique("Filtre")
    lens = deposit(
        client,
        "a.txt",
        b"a\n",
        title=f"{tag} Lens",
        territories=LENS,
        themes=["foncier"],
        kind="plh",
    )
    arras = deposit(
        client,
        "b.txt",
        b"b\n",
        title=f"{tag} Arras",
        territories=ARRAS,
        themes=["energie"],
        kind="etude",
    )
    mine = {lens.pk, arras.pk}
    reader = as_user("admin")
    # A commune of the EPCI, the EPCI itself and its département find the EPCI's document.
    assert listed(reader, f"?q={tag}&territoire=COM:62498") & mine == {lens.pk}
    assert listed(reader, f"?q={tag}&territoire={LENS}") & mine == {lens.pk}
    assert listed(reader, f"?q={tag}&territoire=DEP:62") & mine == mine
    assert listed(reader, f"?q={tag}&territoire=Arras") & mine == {arras.pk}
    assert listed(reader, f"?q={tag}&theme=foncier") & mine == {lens.pk}
    assert listed(reader, f"?q={tag}&type=etude") & mine == {arras.pk}
    assert listed(reader, f"?q={tag}&type=etude&theme=foncier") & mine == set()
    page = text_of(reader.get("/echanges/documents/?territoire=COM:99999"))
    assert "Territoire inconnu ou ambigu : « COM:99999 »" in page


@pytest.fixture
def restricted_lens(as_user) -> Any:  # type: ignore[no-untyped-def]
    return deposit(
        as_user("contributeur_lens"),
        "cr-lens.pdf",
        pdf_bytes("Compte rendu réservé aux partenaires de Lens-Liévin."),
        territories=LENS,
        diffusion="restreint",
    )


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("lecteur_lens", 200),
        ("contributeur_lens", 200),
        ("animateur", 200),  # Pas-de-Calais contains the EPCI
        ("admin", 200),
        ("lecteur_arras", 403),
        ("contributeur_arras", 403),
        ("animateur_nord", 403),
        ("sans_role", 403),
        (None, 302),
    ],
)
def test_restricted_document_is_read_in_its_territory_only(
    as_user, restricted_lens, name, status
) -> None:  # type: ignore[no-untyped-def]
    client = as_user(name)
    detail = client.get(f"/echanges/documents/{restricted_lens.pk}/")
    got = client.get(f"/echanges/documents/{restricted_lens.pk}/versions/1/telecharger/")
    assert (detail.status_code, got.status_code) == (status, status)
    if status == 302:
        assert got["Location"].startswith("/compte/connexion/?next=")
    if status == 403:
        assert "Accès refusé" in text_of(detail)
        assert "%PDF" not in got.content.decode("latin-1")
    assert (restricted_lens.pk in listed(client, f"?q={restricted_lens.title}")) == (status == 200)


def test_partner_documents_are_hidden_from_the_public(as_user) -> None:  # type: ignore[no-untyped-def]
    document = deposit(as_user("contributeur_lens"), "p.txt", b"p\n", diffusion="partenaires")
    assert document.pk not in listed(as_user(None), f"?q={document.title}")
    assert document.pk in listed(as_user("lecteur_arras"), f"?q={document.title}")
    assert document.pk not in listed(as_user("sans_role"), f"?q={document.title}")


def test_restricted_deposit_must_name_a_territory_of_the_depositor(as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("contributeur_lens")
    data = document_form(territories=ARRAS, diffusion="restreint")
    response = client.post(
        "/echanges/documents/deposer/", {**data, "file": upload("x.txt", b"x\n")}
    )
    assert "Aucun de ces territoires n'est dans votre périmètre" in text_of(response)
    data = document_form(territories="", diffusion="restreint")
    response = client.post(
        "/echanges/documents/deposer/", {**data, "file": upload("x.txt", b"x\n")}
    )
    assert "Un document restreint doit désigner ses territoires." in text_of(response)


def test_readers_cannot_deposit(as_user) -> None:  # type: ignore[no-untyped-def]
    from observatoire.exchange.models import Document

    data = document_form()
    response = as_user("lecteur_lens").post(
        "/echanges/documents/deposer/", {**data, "file": upload("x.txt", b"x\n")}
    )
    assert response.status_code == 403
    anonymous = as_user(None).post(
        "/echanges/documents/deposer/", {**data, "file": upload("x.txt", b"x\n")}
    )
    assert anonymous.status_code == 302
    assert not Document.objects.filter(title=data["title"]).exists()


def test_deletion_removes_rows_and_files_and_is_audited(  # type: ignore[no-untyped-def]
    web, as_user, django_capture_on_commit_callbacks
) -> None:
    from observatoire.accounts.models import AuditEvent
    from observatoire.exchange import files
    from observatoire.exchange.models import Document

    document = deposit(as_user("contributeur_lens"), "a-supprimer.txt", b"x\n")
    path = files.path_of(document.versions.get().stored_name)
    assert path.is_file()
    assert (
        as_user("lecteur_lens").post(f"/echanges/documents/{document.pk}/supprimer/").status_code
        == 403
    )
    assert (
        as_user("contributeur_arras")
        .post(f"/echanges/documents/{document.pk}/supprimer/")
        .status_code
        == 403
    )
    assert Document.objects.filter(pk=document.pk).exists() and path.is_file()
    # Files go once the deletion is committed (the test's transaction never is).
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("contributeur_lens_2").post(
            f"/echanges/documents/{document.pk}/supprimer/"
        )
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="suppression", target__contains=document.title).exists()
