"""The one guard of uploaded files (exchange documents, plan workbooks, partner data):
size limit (Settings.max_upload_mb), accepted extensions and the type sniffed from the
bytes, never taken from the browser. An HTML page renamed .pdf is refused, text files
must not be markup, and the client's file name is only cleaned for display.

Django-free: an upload is any object with `.name`, `.size` and file methods (`.file`
when it wraps one), as Django's UploadedFile. Each form words its refusals (French)."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

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

# Markup a browser could run if it ever rendered the file: refused in "text" files.
MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|\?xml)", re.I)
TEXT_LIMIT = 2_000_000


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
    # The whole file: a browser sniffing a text file may render markup found anywhere.
    if MARKUP.search(content):
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


_DESCRIBED = {
    "html": "une page HTML ou du balisage",
    "text": "du texte brut",
    "inconnu": "un format non reconnu",
}


@dataclass(frozen=True)
class Guard:
    """What one upload form accepts (codes of KINDS) and how it words each refusal:
    templates filled with name, size_mb, limit, extension, extensions, expected (the
    kind's label) and described (what the bytes are)."""

    kinds: tuple[str, ...]
    missing: str = "Choisissez un fichier."
    extension: str = "Le fichier « {name} » n'a pas une extension acceptée ({extensions})."
    too_big: str = (
        "Le fichier « {name} » pèse {size_mb:.1f} Mo : la taille maximale est de {limit} Mo."
    )
    empty: str = "Le fichier « {name} » est vide."
    content: str = (
        "Le fichier « {name} » porte l'extension {extension} mais son contenu est "
        "{described} : il est refusé."
    )

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(e for code in self.kinds for e in KINDS[code].extensions)

    def check(self, upload: Any) -> tuple[Kind, str]:
        """The kind of an accepted upload and the sniffed type (see `sniff`); the handle
        is left at its start. UploadError with the form's message otherwise."""
        if upload is None:
            raise UploadError(self.missing)
        name = clean_filename(getattr(upload, "name", ""))
        extension = Path(name.lower()).suffix
        size = int(upload.size)
        facts: dict[str, Any] = {
            "name": name,
            "extension": extension,
            "extensions": ", ".join(self.extensions),
            "size_mb": size / 1048576,
            "limit": active().max_upload_mb,
        }
        wanted = next((KINDS[c] for c in self.kinds if extension in KINDS[c].extensions), None)
        if wanted is None:
            raise UploadError(self.extension.format(**facts))
        if size > max_bytes():
            raise UploadError(self.too_big.format(**facts))
        if size == 0:
            raise UploadError(self.empty.format(**facts))
        found = sniff(upload.file if hasattr(upload, "file") else upload)
        if not (found == wanted.code or (found == "text" and wanted.code in ("csv", "txt"))):
            described = _DESCRIBED.get(found, KINDS[found].label if found in KINDS else found)
            raise UploadError(
                self.content.format(expected=wanted.label, described=described, **facts)
            )
        return wanted, found
