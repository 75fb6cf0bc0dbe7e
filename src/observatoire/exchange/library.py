"""Deposit, version and delete documents and answer attachments: files checked first,
then written and recorded in one transaction — a failure leaves neither a row nor a file
behind. Every deposit, download and deletion is written to the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from observatoire.accounts import audit
from observatoire.exchange import files, search
from observatoire.exchange.models import Answer, Attachment, Call, Document, DocumentVersion


class Stored:
    """Files written during a transaction, removed again if it fails."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def add(self, checked: files.Checked) -> dict[str, Any]:
        fields = files.store(checked)
        self.names.append(fields["stored_name"])
        return fields

    def __enter__(self) -> Stored:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if exc is not None:
            files.remove(self.names)


def create_document(checked: files.Checked, user: Any, **fields: Any) -> Document:
    """A new document and its version 1 (`fields`: the Document metadata)."""
    with Stored() as stored, transaction.atomic():
        now = timezone.now()
        document = Document.objects.create(author=user, created_at=now, updated_at=now, **fields)
        DocumentVersion.objects.create(
            document=document,
            number=1,
            text=checked.text,
            uploaded_by=user,
            uploaded_at=now,
            **stored.add(checked),
        )
        search.reindex(document)
        audit.record(
            audit.Action.IMPORT,
            f"document #{document.pk} : {document.title}",
            {"fichier": checked.filename, "version": 1, "diffusion": document.diffusion},
            actor=user,
        )
    return document


def add_version(
    document: Document, checked: files.Checked, user: Any, note: str = ""
) -> DocumentVersion:
    """The next version; the previous ones stay downloadable."""
    with Stored() as stored, transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        now = timezone.now()
        version = DocumentVersion.objects.create(
            document=locked,
            number=number,
            note=note,
            text=checked.text,
            uploaded_by=user,
            uploaded_at=now,
            **stored.add(checked),
        )
        Document.objects.filter(pk=locked.pk).update(updated_at=now)
        search.reindex(locked)
        audit.record(
            audit.Action.IMPORT,
            f"document #{locked.pk} : {locked.title}",
            {"fichier": checked.filename, "version": number},
            actor=user,
        )
    return version


def delete_document(document: Document) -> None:
    """The document and its versions; the audit log records the deletion and the files
    leave the disk once it is committed (exchange.signals)."""
    with transaction.atomic():
        document.delete()


def create_answer(call: Call, user: Any, text: str, checked: Iterable[files.Checked]) -> Answer:
    """An answer to a call and its attachments."""
    profile = getattr(user, "profile", None)
    with Stored() as stored, transaction.atomic():
        answer = Answer.objects.create(
            call=call,
            author=user,
            organisation=getattr(profile, "organisation", None),
            text=text,
        )
        for item in checked:
            attachment = Attachment.objects.create(
                answer=answer, uploaded_by=user, **stored.add(item)
            )
            audit.record(
                audit.Action.IMPORT,
                f"pièce jointe #{attachment.pk} : {item.filename}",
                {"appel": call.pk, "réponse": answer.pk},
                actor=user,
            )
    return answer


def download(stored: Any, target: str) -> Any:
    """The file response, with the download written to the audit log."""
    response = files.serve(stored)
    audit.record(audit.Action.TELECHARGEMENT, target, {"fichier": stored.filename})
    return response
