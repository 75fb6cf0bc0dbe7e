"""Full-text search of the document library: the title, summary and text of every version
folded once (lower case, no accents) into Document.search_text; a query matches when each
of its words is contained in it. Plain `contains` behaves the same on SQLite and
PostgreSQL, and the library is small enough not to need a search engine."""

from __future__ import annotations

from django.db.models import QuerySet

from observatoire.exchange.models import Document
from observatoire.territories.referential import fold

MIN_WORD = 2


def index_text(document: Document) -> str:
    parts = [document.title, document.summary]
    parts += [v.text for v in document.versions.all()] if document.pk else []
    return fold(" ".join(p for p in parts if p))


def reindex(document: Document) -> None:
    document.search_text = index_text(document)
    Document.objects.filter(pk=document.pk).update(search_text=document.search_text)


def words(query: str) -> list[str]:
    return [w for w in fold(query).split() if len(w) >= MIN_WORD]


def matching(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    for word in words(query):
        documents = documents.filter(search_text__contains=word)
    return documents


def _fold_chars(text: str) -> tuple[str, list[int]]:
    """fold() character by character, with the position in `text` of each folded one."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = fold(ch) if not ch.isspace() else " "
        for f in folded or " ":
            out.append(f)
            where.append(i)
    return "".join(out), where


def excerpt(document: Document, query: str, width: int = 90) -> str:
    """The words around the first match in a version's text, for the result list."""
    found = words(query)
    if not found:
        return ""
    for version in document.versions.all():
        text = " ".join(version.text.split())
        folded, where = _fold_chars(text)
        at = folded.find(found[0])
        if at >= 0:
            start = max(0, where[at] - width)
            end = min(len(text), where[at + len(found[0]) - 1] + 1 + width)
            return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return ""
