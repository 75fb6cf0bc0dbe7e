"""A stored file leaves the disk with its row, however the row is deleted (page, Django
admin, cascade from a call or a document), once the deletion is committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from observatoire.exchange import files
from observatoire.exchange.models import Attachment, DocumentVersion


@receiver(post_delete, sender=DocumentVersion)
@receiver(post_delete, sender=Attachment)
def _remove_file(sender: Any, instance: Any, **kwargs: Any) -> None:
    name = instance.stored_name
    transaction.on_commit(lambda: files.remove([name]))
