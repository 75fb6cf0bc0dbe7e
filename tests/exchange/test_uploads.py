"""Upload abuse: oversize files, HTML disguised as PDF or text, path traversal in names;
files are served as attachments only (never text/html, nosniff, sandbox)."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.exchange.conftest import document_form, pdf_bytes, unique, upload

from observatoire.settings import Settings

HTML_PAGE = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"


def stored_files(settings: Settings) -> set[Path]:
    root = settings.files_dir
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def versions_count() -> int:
    from observatoire.exchange.models import DocumentVersion

    return DocumentVersion.objects.count()


def deposit(client: Any, name: str, content: bytes, **fields: Any) -> Any:
    return client.post(
        "/echanges/documents/deposer/", {**document_form(**fields), "file": upload(name, content)}
    )


def errors(response: Any) -> str:
    """The page's text, tags removed and entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def small_limit(web: Settings) -> Iterator[Settings]:
    """Settings.max_upload_mb = 1 for one test."""
    from observatoire import settings as settings_module

    before = settings_module.active()
    try:
        yield settings_module.activate(dataclasses.replace(before, max_upload_mb=1))
    finally:
        settings_module.activate(before)


def test_oversize_file_is_refused_with_the_limit_and_nothing_stored(web, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("contributeur_lens")
    before_files, before_rows = stored_files(web), versions_count()
    # One byte over the configured limit (Settings.max_upload_mb, 20 Mo by default).
    content = pdf_bytes("gros fichier") + b"0" * (web.max_upload_mb * 1024 * 1024)
    title = unique("Trop gros")
    response = deposit(client, "rapport-annuel.pdf", content, title=title)
    assert response.status_code == 200
    text = errors(response)
    assert "« rapport-annuel.pdf »" in text
    assert f"la taille maximale est de {web.max_upload_mb} Mo" in text
    assert versions_count() == before_rows
    assert stored_files(web) == before_files
    from observatoire.exchange.models import Document

    assert not Document.objects.filter(title=title).exists()


def test_the_limit_follows_the_settings(small_limit: Settings, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("contributeur_lens")
    before = versions_count()
    content = b"a;b\n" + b"1;2\n" * 300_000  # 1.2 Mo of CSV
    response = deposit(client, "donnees.csv", content)
    assert "la taille maximale est de 1 Mo" in errors(response)
    assert versions_count() == before


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("rapport.pdf", HTML_PAGE, "une page HTML"),
        ("notes.txt", HTML_PAGE, "une page HTML"),
        ("tableau.csv", b"<svg onload=alert(1)></svg>", "une page HTML"),
        ("photo.png", HTML_PAGE, "une page HTML"),
        ("tableau.xlsx", pdf_bytes("un PDF"), "PDF"),
        ("etude.docx", b"PK\x03\x04 pas vraiment une archive", "un format non reconnu"),
        ("rapport.pdf", b"plain text that says nothing", "du texte brut"),
    ],
)
def test_content_must_match_the_extension(
    web, as_user, name: str, content: bytes, found: str
) -> None:  # type: ignore[no-untyped-def]
    client = as_user("contributeur_lens")
    before_files, before_rows = stored_files(web), versions_count()
    response = deposit(client, name, content)
    text = errors(response)
    assert f"Le fichier « {name} » porte l'extension" in text
    assert found in text
    assert versions_count() == before_rows
    assert stored_files(web) == before_files


def test_unknown_extension_and_broken_pdf_are_refused(web, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("contributeur_lens")
    before = versions_count()
    assert "n'a pas une extension acceptée" in errors(deposit(client, "page.html", HTML_PAGE))
    assert "n'a pas une extension acceptée" in errors(deposit(client, "outil.exe", b"MZ\x90\x00"))
    broken = b"%PDF-1.7\n" + b"\x00garbage" * 50
    assert "commence comme un PDF mais est illisible" in errors(
        deposit(client, "casse.pdf", broken)
    )
    assert versions_count() == before


def test_office_and_image_files_are_recognised_from_their_bytes() -> None:
    from observatoire.exchange import files

    def archive(entries: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for entry, data in entries.items():
                z.writestr(entry, data)
        return out.getvalue()

    xlsx = archive({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    docx = archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})
    odt = archive({"mimetype": b"application/vnd.oasis.opendocument.text"})
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 20
    latin1_csv = "commune;taux\nLiévin;7,1\n".encode("cp1252")
    for name, content, kind in [
        ("a.xlsx", xlsx, "xlsx"),
        ("a.docx", docx, "docx"),
        ("a.odt", odt, "odt"),
        ("a.png", png, "png"),
        ("a.JPG", jpeg, "jpeg"),
        ("a.csv", latin1_csv, "csv"),
    ]:
        assert files.check(files.in_memory(name, content)).kind.code == kind
    # A workbook renamed .docx is not a Word document.
    with pytest.raises(files.UploadError, match="classeur Excel"):
        files.check(files.in_memory("a.docx", xlsx))


@dataclasses.dataclass
class RawUpload:
    """An upload whose name is exactly what a hostile client sent (Django's own upload
    classes already drop directory parts: this checks our cleaning does too)."""

    name: str
    content: bytes

    def __post_init__(self) -> None:
        self.size = len(self.content)
        self.file = io.BytesIO(self.content)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.pdf", "win.pdf"),
        ("/absolute/path/rapport.pdf", "rapport.pdf"),
        ("..pdf", "pdf"),
        ('rap"port\r\n.pdf', "rapport.pdf"),
        ("../", "document"),
        ("é" * 200 + ".pdf", "é" * 146 + ".pdf"),
    ],
)
def test_client_names_are_cleaned(raw: str, clean: str) -> None:
    from observatoire.exchange import files

    assert files.clean_filename(raw) == clean


def test_traversal_name_is_stored_under_a_random_name_and_served_safely(web, as_user) -> None:  # type: ignore[no-untyped-def]
    from observatoire.exchange import files, library
    from observatoire.exchange.models import Document

    checked = files.check(RawUpload("../../etc/passwd.pdf", pdf_bytes("Traversée de répertoires")))
    assert checked.filename == "passwd.pdf"
    title = unique("Nom hostile")
    document = library.create_document(
        checked, None, title=title, kind="autre", date="2025-01-01", diffusion="public"
    )
    version = document.versions.get()
    assert version.filename == "passwd.pdf"
    assert re.fullmatch(r"[0-9a-f]{32}", version.stored_name)
    on_disk = files.path_of(version.stored_name)
    assert on_disk.is_file()
    assert on_disk.resolve().is_relative_to(web.files_dir.resolve())
    assert not any(p.name == "passwd.pdf" for p in web.files_dir.rglob("*"))
    assert not (web.files_dir / "etc").exists() and not (web.data_dir / "etc").exists()

    response = as_user(None).get(f"/echanges/documents/{document.pk}/versions/1/telecharger/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="passwd.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert Document.objects.filter(title=title).exists()


def test_traversal_name_through_a_raw_multipart_request(web, as_user) -> None:  # type: ignore[no-untyped-def]
    from observatoire.exchange.models import Document

    boundary = "frontiere"
    form = document_form(title=unique("Multipart hostile"), diffusion="public")
    parts = []
    for key, value in form.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{item}\r\n'.encode()
            )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="../../etc/passwd.pdf"\r\nContent-Type: text/html\r\n\r\n'.encode()
        + pdf_bytes("multipart")
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    client = as_user("contributeur_lens")
    response = client.generic(
        "POST",
        "/echanges/documents/deposer/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302, errors(response)
    version = Document.objects.get(title=form["title"]).versions.get()
    # The browser's "text/html" is ignored: the type comes from the bytes.
    assert (version.filename, version.content_type) == ("passwd.pdf", "application/pdf")


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("notes.txt", "Texte accentué, sans balise.\n".encode(), "text/plain; charset=utf-8"),
        ("donnees.csv", b"code;valeur\n62498;7,2\n", "text/csv; charset=utf-8"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"),
    ],
)
def test_downloads_are_attachments_never_html(
    web, as_user, name: str, content: bytes, mime: str
) -> None:  # type: ignore[no-untyped-def]
    from observatoire.exchange.models import Document

    title = unique("Téléchargement")
    response = deposit(as_user("contributeur_lens"), name, content, title=title, diffusion="public")
    assert response.status_code == 302, errors(response)
    document = Document.objects.get(title=title)
    got = as_user(None).get(f"/echanges/documents/{document.pk}/versions/1/telecharger/")
    assert got.status_code == 200
    assert got["Content-Type"] == mime
    assert "html" not in got["Content-Type"]
    assert got["Content-Disposition"] == f'attachment; filename="{name}"'
    assert got["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in got["Content-Security-Policy"]
    assert b"".join(got.streaming_content) == content


def test_uploads_and_downloads_are_audited(web, as_user) -> None:  # type: ignore[no-untyped-def]
    from observatoire.accounts.models import AuditEvent
    from observatoire.exchange.models import Document

    title = unique("Audité")
    deposit(as_user("contributeur_lens"), "audit.txt", b"audit\n", title=title, diffusion="public")
    document = Document.objects.get(title=title)
    imported = AuditEvent.objects.filter(action="import", target__contains=title).get()
    assert imported.actor.username == "exch-contributeur_lens"
    assert imported.detail["fichier"] == "audit.txt"
    as_user("lecteur_arras").get(f"/echanges/documents/{document.pk}/versions/1/telecharger/")
    downloaded = AuditEvent.objects.filter(action="telechargement", target__contains=title).get()
    assert downloaded.actor.username == "exch-lecteur_arras"
