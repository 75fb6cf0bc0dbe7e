"""Uploaded files: checked from their bytes by the upload guard (observatoire.uploads),
kept outside any web root under random names, always served as attachments.

The client's file name is only cleaned for display (no directory part, no control
characters) — on disk the name is a random token."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.http import FileResponse, Http404

from observatoire.settings import active
from observatoire.uploads import (
    KINDS,
    TEXT_LIMIT,
    Guard,
    Kind,
    UploadError,
    clean_filename,
)

__all__ = [
    "ACCEPT_ATTRIBUTE",
    "KINDS",
    "Checked",
    "Kind",
    "UploadError",
    "check",
    "clean_filename",
    "in_memory",
    "remove",
    "serve",
    "store",
]

GUARD = Guard(tuple(KINDS))
ACCEPT_ATTRIBUTE = ",".join(GUARD.extensions)
MIMES = {k.mime for k in KINDS.values()}
OCTETS = "application/octet-stream"
PDF_PAGE_LIMIT = 500


def _decoded(handle: IO[bytes]) -> str:
    handle.seek(0)
    content = handle.read(TEXT_LIMIT)
    handle.seek(0)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


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
    kind, found = GUARD.check(upload)
    filename = clean_filename(getattr(upload, "name", ""))
    handle = upload.file if hasattr(upload, "file") else upload
    text = ""
    if kind.code == "pdf":
        text = pdf_text(handle, filename)
    elif found == "text":
        text = _decoded(handle)
    return Checked(handle=handle, filename=filename, kind=kind, size=int(upload.size), text=text)


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
