"""What partners write (documents, calls, answers, défis, proposed figures, uploads) keeps
its author, the author's organisation and its creation time under the same names in
every app. Deleting an account or an organisation keeps what they wrote (SET_NULL)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Authored(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        # One reverse accessor per concrete model (user.exchange_document_authored...).
        related_name="%(app_label)s_%(class)s_authored",
        verbose_name="auteur",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name="organisation",
    )
    # A default rather than auto_now_add: demo content and imports carry their own date.
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        abstract = True
