"""The document library: list with full-text search and filters, detail with versions,
deposit, new version, download, deletion. Reading follows each document's diffusion
(access.can_read_document); files are always downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from observatoire import figures
from observatoire.exchange import library, search
from observatoire.exchange.access import can_edit_document, can_read_document, can_write
from observatoire.exchange.forms import DocumentFilterForm, DocumentForm, VersionForm
from observatoire.exchange.models import Document, DocumentVersion
from observatoire.exchange.views.common import denied, forbidden, labelled
from observatoire.territories import Territory

PAGE_SIZE = 20


def readable_documents(user: Any) -> list[Document]:
    documents = Document.objects.select_related("organisation").order_by("-date", "-pk")
    return [d for d in documents if can_read_document(user, d)]


def _about(document: Document, communes: set[str], wanted: Territory) -> bool:
    """The document concerns the territory: same one, or territories sharing communes."""
    if wanted in document.territories:
        return True
    ref = figures.referential()
    return any(
        ref.exists(t) and communes.intersection(ref.communes_of(t)) for t in document.territories
    )


def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None)
    documents = Document.objects.select_related("organisation").order_by("-date", "-pk")
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        documents = search.matching(documents, query)
        if form.cleaned_data["type"]:
            documents = documents.filter(kind=form.cleaned_data["type"])
    found = [d for d in documents if can_read_document(request.user, d)]
    if form.is_valid():
        theme = form.cleaned_data["theme"]
        if theme:
            found = [d for d in found if theme in d.themes]
        wanted = form.cleaned_data["territoire"]
        if wanted:
            communes = set(figures.communes_of(wanted))
            found = [d for d in found if _about(d, communes, wanted)]
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {**labelled(d), "excerpt": search.excerpt(d, query) if query else ""}
        for d in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "exchange/documents.html",
        {
            "title": "Documents",
            "form": form,
            "rows": rows,
            "page": page,
            "count": len(found),
            "params": params.urlencode(),
            "can_upload": can_write(request.user),
        },
    )


def _readable(request: HttpRequest, pk: int) -> Document | HttpResponse:
    document = get_object_or_404(Document.objects.select_related("organisation"), pk=pk)
    if not can_read_document(request.user, document):
        return denied(request, "Ce document n'est pas diffusé à votre rôle ou votre territoire.")
    return document


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _readable(request, pk)
    if isinstance(document, HttpResponse):
        return document
    return render(
        request,
        "exchange/document.html",
        {
            "title": document.title,
            "doc": labelled(document),
            "document": document,
            "versions": document.versions.select_related("uploaded_by"),
            "can_edit": can_edit_document(request.user, document),
        },
    )


def document_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = _readable(request, pk)
    if isinstance(document, HttpResponse):
        return document
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    return library.download(version, f"document #{document.pk} v{number} : {document.title}")


@login_required
def document_upload(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        return forbidden(
            request, "Seuls les contributeurs et les animateurs déposent des documents."
        )
    profile = getattr(request.user, "profile", None)
    initial = {"organisation": getattr(profile, "organisation", None)}
    form = DocumentForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        fields = {
            k: form.cleaned_data[k]
            for k in (
                "title",
                "kind",
                "summary",
                "territories",
                "themes",
                "date",
                "organisation",
                "diffusion",
            )
        }
        # Without an author organisation, the depositor's is the author.
        fields["organisation"] = fields["organisation"] or initial["organisation"]
        document = library.create_document(form.cleaned_data["file"], request.user, **fields)
        messages.success(request, f"Document « {document.title} » déposé.")
        return redirect("exchange:document", pk=document.pk)
    return render(
        request,
        "exchange/document_form.html",
        {"title": "Déposer un document", "form": form},
    )


@login_required
def document_version(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    if not can_edit_document(request.user, document):
        return forbidden(
            request,
            "Seuls le déposant, les membres de l'organisation autrice, les animateurs du "
            "territoire et les administrateurs ajoutent une version.",
        )
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = library.add_version(
            document, form.cleaned_data["file"], request.user, form.cleaned_data["note"]
        )
        messages.success(
            request, f"Version {version.number} déposée ; les précédentes restent disponibles."
        )
        return redirect("exchange:document", pk=document.pk)
    return render(
        request,
        "exchange/version_form.html",
        {"title": f"Nouvelle version — {document.title}", "form": form, "document": document},
    )


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    if not can_edit_document(request.user, document):
        return forbidden(request, "Vous ne pouvez pas supprimer ce document.")
    title = document.title
    library.delete_document(document)
    messages.success(request, f"Document « {title} » supprimé, avec toutes ses versions.")
    return redirect("exchange:documents")
