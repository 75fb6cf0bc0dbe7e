"""Uploaded files: checked from their bytes, kept outside any web root under random
names, always served as attachments.

The type is sniffed from the content, never taken from the browser: the extension must
agree with it (an HTML page renamed .pdf is refused), text files must not be markup, and
the client's file name is only cleaned for display (no directory part, no control
characters) — on disk the name is a random token."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.http import FileResponse, Http404

from observatoire.settings import active


class UploadError(ValueError):
    """A refused file; the message (French) names the file."""


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    mime: str
    extensions: tuple[str, ...]


KINDS = {
    k.code: k
    for k in (
        Kind("pdf", "PDF", "application/pdf", (".pdf",)),
        Kind(
            "docx",
            "document Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        Kind(
            "xlsx",
            "classeur Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        Kind(
            "odt", "texte OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", (".odt",)
        ),
        Kind(
            "ods",
            "classeur OpenDocument (ODS)",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
        ),
        Kind("csv", "tableau CSV", "text/csv; charset=utf-8", (".csv",)),
        Kind("txt", "texte brut", "text/plain; charset=utf-8", (".txt",)),
        Kind("png", "image PNG", "image/png", (".png",)),
        Kind("jpeg", "image JPEG", "image/jpeg", (".jpg", ".jpeg")),
    )
}
ACCEPTED_EXTENSIONS = tuple(e for k in KINDS.values() for e in k.extensions)
ACCEPT_ATTRIBUTE = ",".join(ACCEPTED_EXTENSIONS)
MIMES = {k.mime for k in KINDS.values()}
OCTETS = "application/octet-stream"

# Markup a browser could run if it ever rendered the file: refused in "text" files.
MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|\?xml)", re.I)
TEXT_LIMIT = 2_000_000
PDF_PAGE_LIMIT = 500


def max_bytes() -> int:
    return active().max_upload_mb * 1024 * 1024


def clean_filename(raw: str, fallback: str = "document") -> str:
    """The last path component, without control characters nor leading dots, at most
    150 characters: `../../etc/passwd.pdf` becomes `passwd.pdf`."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.replace('"', "").strip().lstrip(".").strip()
    if not name:
        return fallback
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:150]
    return name


def _zip_kind(data: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(data) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mimetype = archive.read("mimetype").strip()
                return {
                    b"application/vnd.oasis.opendocument.text": "odt",
                    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
                }.get(mimetype)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _decoded(handle: IO[bytes]) -> str:
    handle.seek(0)
    content = handle.read(TEXT_LIMIT)
    handle.seek(0)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _text_kind(content: bytes) -> str | None:
    if b"\x00" in content:
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            # French spreadsheets often export CSV in Windows-1252.
            content.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if MARKUP.search(content[:4096]):
        return "html"
    return "text"


def sniff(handle: IO[bytes]) -> str:
    """The type read from the bytes: a code of KINDS, "text" (csv or txt), "html" (markup)
    or "inconnu"."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        found = _zip_kind(handle)
        handle.seek(0)
        return found or "inconnu"
    found = _text_kind(handle.read())
    handle.seek(0)
    return found or "inconnu"


def pdf_text(handle: IO[bytes], filename: str) -> str:
    """The text of a PDF (for the full-text search). An unreadable PDF is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    handle.seek(0)
    try:
        reader = PdfReader(handle)
        parts: list[str] = []
        size = 0
        for page in reader.pages[:PDF_PAGE_LIMIT]:
            part = page.extract_text() or ""
            parts.append(part)
            size += len(part)
            if size > TEXT_LIMIT:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UploadError(
            f"Le fichier « {filename} » commence comme un PDF mais est illisible ({exc})."
        ) from None
    finally:
        handle.seek(0)
    return "\n".join(parts)[:TEXT_LIMIT]


@dataclass
class Checked:
    """A file that passed the checks, ready to be stored."""

    handle: IO[bytes]
    filename: str
    kind: Kind
    size: int
    text: str


def check(upload: Any) -> Checked:
    """Check one uploaded file (Django UploadedFile or any object with .name, .size and
    file methods); raise UploadError with a French message naming it."""
    filename = clean_filename(getattr(upload, "name", ""))
    size = int(upload.size)
    limit = active().max_upload_mb
    if size > max_bytes():
        raise UploadError(
            f"Le fichier « {filename} » pèse {size / 1048576:.1f} Mo : la taille maximale "
            f"est de {limit} Mo."
        )
    if size == 0:
        raise UploadError(f"Le fichier « {filename} » est vide.")
    extension = Path(filename.lower()).suffix
    wanted = next((k for k in KINDS.values() if extension in k.extensions), None)
    if wanted is None:
        raise UploadError(
            f"Le fichier « {filename} » n'a pas une extension acceptée "
            f"({', '.join(ACCEPTED_EXTENSIONS)})."
        )
    handle = upload.file if hasattr(upload, "file") else upload
    found = sniff(handle)
    matches = found == wanted.code or (found == "text" and wanted.code in ("csv", "txt"))
    if not matches:
        described = {
            "html": "une page HTML ou du balisage",
            "text": "du texte brut",
            "inconnu": "un format non reconnu",
        }.get(found, KINDS[found].label if found in KINDS else found)
        raise UploadError(
            f"Le fichier « {filename} » porte l'extension {extension} mais son contenu est "
            f"{described} : il est refusé."
        )
    text = ""
    if wanted.code == "pdf":
        text = pdf_text(handle, filename)
    elif found == "text":
        text = _decoded(handle)
    return Checked(handle=handle, filename=filename, kind=wanted, size=size, text=text)


def storage_dir() -> Path:
    return active().files_dir / "echanges"


def path_of(stored_name: str) -> Path:
    """The file of a stored name (random hex only: anything else is refused)."""
    if not re.fullmatch(r"[0-9a-f]{32}", stored_name):
        raise Http404("Fichier introuvable")
    return storage_dir() / stored_name[:2] / stored_name


def store(checked: Checked) -> dict[str, Any]:
    """Write the file under a random name; returns the StoredFile fields."""
    name = secrets.token_hex(16)
    target = path_of(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    checked.handle.seek(0)
    with open(target, "xb") as out:
        for chunk in iter(lambda: checked.handle.read(1 << 16), b""):
            digest.update(chunk)
            out.write(chunk)
    target.chmod(0o600)
    return {
        "stored_name": name,
        "filename": checked.filename,
        "content_type": checked.kind.mime,
        "size": checked.size,
        "sha256": digest.hexdigest(),
    }


def remove(stored_names: list[str]) -> None:
    for name in stored_names:
        try:
            path_of(name).unlink(missing_ok=True)
        except Http404:
            continue


def serve(stored: Any) -> FileResponse:
    """Always a download: attachment, the sniffed type (never HTML), nosniff, and a
    sandbox in case a browser displays it anyway."""
    path = path_of(stored.stored_name)
    if not path.is_file():
        raise Http404("Fichier introuvable")
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=clean_filename(stored.filename),
        content_type=stored.content_type if stored.content_type in MIMES else OCTETS,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def in_memory(name: str, content: bytes) -> Any:
    """An upload-like object for files produced by the application (demo, tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
