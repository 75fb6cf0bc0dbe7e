"""The demo content of the exchange platform: present after `observatoire demo`, marked as
demonstration, and loaded once only."""

from __future__ import annotations

import io

from rich.console import Console


def test_demo_content_is_there_and_idempotent(web, as_user) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from observatoire.exchange import demo
    from observatoire.exchange.models import Call, Defi, Document, DocumentVersion

    def counts() -> tuple[int, ...]:
        return tuple(m.objects.filter(**f).count() for m, f in [
            (Document, {"is_demo": True}), (DocumentVersion, {"document__is_demo": True}),
            (Call, {"is_demo": True}), (Defi, {"is_demo": True}),
        ])  # fmt: skip

    before = counts()
    assert before == (3, 4, 2, 1)
    demo.load(Console(file=io.StringIO()))
    assert counts() == before

    fiche = Document.objects.get(title__startswith="PDH du Nord — fiche action 11")
    client = as_user(None)
    pdf = client.get(f"/echanges/documents/{fiche.pk}/versions/2/telecharger/")
    text = " ".join(
        PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text().split()
    )
    assert "Document de démonstration" in text
    assert "Plateforme contributive" in text.replace(
        "plateforme contributive", "Plateforme contributive"
    )
    # The PDF text is searchable.
    page = client.get("/echanges/documents/?q=profils+utilisateurs").content.decode()
    assert f'data-document="{fiche.pk}"' in page

    closed = Call.objects.get(is_demo=True, closed_at__isnull=False)
    assert closed.synthesis and closed.answers.count() == 3
    assert Call.objects.get(is_demo=True, closed_at__isnull=True).accepts_answers()
    assert Defi.objects.get(is_demo=True).accepted_answer is not None
    listing = as_user("lecteur_lens").get("/echanges/appels/").content.decode()
    assert "Plateforme d&#x27;échange du PDH" in listing.split('id="appels-clos"')[0]
    hub = as_user("lecteur_lens").get("/echanges/").content.decode()
    assert 'id="appels-ouverts"' in hub and "Défis habitat" in hub
