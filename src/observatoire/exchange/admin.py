"""Django admin of the exchange platform. Stored files are read-only here: they are
added through the pages, where their content is checked."""

from django.contrib import admin

from observatoire.exchange.models import (
    Answer,
    Attachment,
    Call,
    Defi,
    DefiAnswer,
    Document,
    DocumentVersion,
)

FILE_FIELDS = (
    "stored_name",
    "filename",
    "content_type",
    "size",
    "sha256",
    "uploaded_at",
    "uploaded_by",
)


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ("number", "note", *FILE_FIELDS)
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "date", "organisation", "diffusion", "is_demo")
    list_filter = ("kind", "diffusion", "is_demo")
    search_fields = ("title", "summary")
    inlines = (VersionInline,)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = FILE_FIELDS
    readonly_fields = FILE_FIELDS


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "created_at", "hidden")
    list_filter = ("hidden",)
    inlines = (AttachmentInline,)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "deadline", "created_at", "closed_at", "is_demo")


class DefiAnswerInline(admin.StackedInline):
    model = DefiAnswer
    extra = 0


@admin.register(Defi)
class DefiAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "created_at", "accepted_answer", "is_demo")
    inlines = (DefiAnswerInline,)
