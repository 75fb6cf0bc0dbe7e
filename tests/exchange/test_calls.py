"""Calls for contribution: an animateur opens a call, contributeurs answer with
attachments (same checks as documents), lecteurs only read, the animateur tags, hides an
answer with a reason, writes the cahier de synthèse (page and PDF) and closes the call,
which stays readable."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from typing import Any

from tests.exchange.conftest import pdf_bytes, unique, upload


def text_of(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def open_call(client: Any, **overrides: Any) -> Any:
    from django.utils import timezone

    from observatoire.exchange.models import Call

    data = {
        "title": unique("Appel sur la vacance"),
        "question": "Quelles actions contre la vacance de longue durée ?",
        "themes": ["vacance"],
        "territories": "DEP:62",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        **overrides,
    }
    response = client.post("/echanges/appels/nouveau/", data)
    assert response.status_code == 302, text_of(response)
    return Call.objects.get(title=data["title"])


def test_only_animateurs_open_calls(as_user) -> None:  # type: ignore[no-untyped-def]
    from observatoire.exchange.models import Call

    for name in ("contributeur_lens", "lecteur_lens"):
        title = unique("Appel interdit")
        response = as_user(name).post("/echanges/appels/nouveau/", {"title": title})
        assert response.status_code == 403
        assert not Call.objects.filter(title=title).exists()
    response = as_user("animateur").post(
        "/echanges/appels/nouveau/",
        {"title": "Appel passé", "question": "?", "deadline": "2001-01-01"},
    )
    assert "La date limite est déjà passée." in text_of(response)


def test_calls_are_for_signed_in_partners(as_user) -> None:  # type: ignore[no-untyped-def]
    call = open_call(as_user("animateur"))
    anonymous = as_user(None).get(f"/echanges/appels/{call.pk}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/compte/connexion/")
    assert as_user("sans_role").get(f"/echanges/appels/{call.pk}/").status_code == 403
    assert as_user("lecteur_arras").get(f"/echanges/appels/{call.pk}/").status_code == 200


def test_call_workflow(web, as_user) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from observatoire.accounts.models import AuditEvent
    from observatoire.exchange.models import Answer, Attachment

    animateur = as_user("animateur")
    call = open_call(animateur)

    # A contributeur answers with a PDF attachment; a disguised file is refused, nothing saved.
    contributeur = as_user("contributeur_lens")
    refused = contributeur.post(
        f"/echanges/appels/{call.pk}/repondre/",
        {
            "text": "Réponse avec un faux PDF.",
            "attachments": [
                upload("ok.pdf", pdf_bytes("ok")),
                upload("faux.pdf", b"<html>x</html>"),
            ],
        },
    )
    assert (
        "Le fichier « faux.pdf » porte l'extension .pdf mais son contenu est une page HTML"
        in text_of(refused)
    )
    assert not call.answers.exists()
    response = contributeur.post(
        f"/echanges/appels/{call.pk}/repondre/",
        {
            "text": "À Lens, la taxe sur les logements vacants a fait revenir des propriétaires.",
            "attachments": [upload("bilan-tlv.pdf", pdf_bytes("Bilan de la taxe"))],
        },
    )
    assert response.status_code == 302
    kept = call.answers.get()
    attachment = kept.attachments.get()
    assert attachment.filename == "bilan-tlv.pdf"

    # A second answer, to be hidden; lecteurs read but do not answer.
    as_user("contributeur_arras").post(
        f"/echanges/appels/{call.pk}/repondre/", {"text": "Message publicitaire hors sujet."}
    )
    hidden = call.answers.get(text__startswith="Message publicitaire")
    denied = as_user("lecteur_lens").post(
        f"/echanges/appels/{call.pk}/repondre/", {"text": "Lecteur"}
    )
    assert denied.status_code == 403
    assert call.answers.count() == 2

    # The animateur tags the first answer and hides the second (a reason is required).
    moderate = f"/echanges/appels/{call.pk}/reponses/{{}}/moderer/"
    as_user("animateur").post(moderate.format(kept.pk), {f"r{kept.pk}-tags": "fiscalité, à citer"})
    no_reason = animateur.post(
        moderate.format(hidden.pk), {f"r{hidden.pk}-hidden": "on"}, follow=True
    )
    assert "Indiquez le motif du masquage" in text_of(no_reason)
    assert not Answer.objects.get(pk=hidden.pk).hidden
    for name in ("contributeur_lens", "lecteur_lens", "animateur_nord"):
        response = as_user(name).post(
            moderate.format(hidden.pk), {f"r{hidden.pk}-hidden": "on", f"r{hidden.pk}-reason": "x"}
        )
        assert response.status_code == 403, name
    assert not Answer.objects.get(pk=hidden.pk).hidden
    animateur.post(
        moderate.format(hidden.pk),
        {f"r{hidden.pk}-hidden": "on", f"r{hidden.pk}-reason": "Publicité"},
    )
    kept.refresh_from_db()
    hidden.refresh_from_db()
    assert kept.tags == ["fiscalité", "à citer"]
    assert (hidden.hidden, hidden.hidden_reason) == (True, "Publicité")
    assert AuditEvent.objects.filter(
        action="validation", target=f"réponse #{hidden.pk} à l'appel #{call.pk}"
    ).exists()

    # Partners no longer see the hidden answer; its author and the animateur do, with the reason.
    assert "Message publicitaire" not in text_of(
        as_user("lecteur_lens").get(f"/echanges/appels/{call.pk}/")
    )
    assert "Publicité" in text_of(as_user("contributeur_arras").get(f"/echanges/appels/{call.pk}/"))
    page = text_of(animateur.get(f"/echanges/appels/{call.pk}/"))
    assert "Message publicitaire" in page and "Motif : Publicité" in page
    assert "fiscalité" in text_of(animateur.get(f"/echanges/appels/{call.pk}/?etiquette=fiscalité"))
    tagged = text_of(animateur.get(f"/echanges/appels/{call.pk}/?etiquette=fiscalit%C3%A9"))
    assert "Message publicitaire" not in tagged and "taxe sur les logements vacants" in tagged
    # Partners download the attachments of visible answers.
    assert (
        as_user("lecteur_lens")
        .get(f"/echanges/pieces-jointes/{attachment.pk}/telecharger/")
        .status_code
        == 200
    )

    # The synthesis: only the call's animateurs write it; partners download the PDF.
    words = "La fiscalité locale est le levier le plus cité par les partenaires."
    assert (
        as_user("contributeur_lens")
        .post(f"/echanges/appels/{call.pk}/synthese/", {"synthesis": "x"})
        .status_code
        == 403
    )
    response = animateur.post(
        f"/echanges/appels/{call.pk}/synthese/", {"synthesis": f"# Constats\n{words}\n\nSuite."}
    )
    assert response.status_code == 302
    pdf = as_user("lecteur_arras").get(f"/echanges/appels/{call.pk}/synthese.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert words in text
    assert "Constats" in text and "CA de Lens-Liévin" in text
    assert "Message publicitaire" not in text

    # Closing: no more answers, still readable by every partner.
    assert (
        as_user("contributeur_lens").post(f"/echanges/appels/{call.pk}/cloturer/").status_code
        == 403
    )
    call.refresh_from_db()
    assert not call.is_closed
    assert animateur.post(f"/echanges/appels/{call.pk}/cloturer/").status_code == 302
    call.refresh_from_db()
    assert call.is_closed
    late = as_user("contributeur_lens").post(
        f"/echanges/appels/{call.pk}/repondre/", {"text": "Trop tard"}
    )
    assert late.status_code == 403
    assert "Cet appel est clos" in text_of(late)
    assert call.answers.count() == 2
    listing = as_user("lecteur_lens").get("/echanges/appels/").content.decode()
    closed_table = listing.split('id="appels-clos"')[1]
    assert f'data-call="{call.pk}"' in closed_table
    assert words in text_of(as_user("lecteur_lens").get(f"/echanges/appels/{call.pk}/"))
    assert Attachment.objects.filter(answer__call=call).count() == 1


def test_hidden_answer_attachments_stay_with_the_animateur(as_user) -> None:  # type: ignore[no-untyped-def]
    animateur = as_user("animateur")
    call = open_call(animateur)
    as_user("contributeur_lens").post(
        f"/echanges/appels/{call.pk}/repondre/",
        {"text": "Avec pièce jointe", "attachments": [upload("annexe.txt", b"annexe\n")]},
    )
    answer = call.answers.get()
    animateur.post(
        f"/echanges/appels/{call.pk}/reponses/{answer.pk}/moderer/",
        {f"r{answer.pk}-hidden": "on", f"r{answer.pk}-reason": "Données personnelles"},
    )
    path = f"/echanges/pieces-jointes/{answer.attachments.get().pk}/telecharger/"
    assert as_user("lecteur_lens").get(path).status_code == 403
    assert as_user("contributeur_lens").get(path).status_code == 200  # its author
    assert animateur.get(path).status_code == 200


def test_past_deadline_refuses_answers(as_user) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    call = open_call(as_user("animateur"))
    call.deadline = timezone.localdate() - timedelta(days=1)
    call.save()
    response = as_user("contributeur_lens").post(
        f"/echanges/appels/{call.pk}/repondre/", {"text": "x"}
    )
    assert response.status_code == 403
    assert not call.answers.exists()


def test_deleting_a_call_removes_its_attachment_files(  # type: ignore[no-untyped-def]
    as_user, django_capture_on_commit_callbacks
) -> None:
    from observatoire.exchange import files

    call = open_call(as_user("animateur"))
    as_user("contributeur_lens").post(
        f"/echanges/appels/{call.pk}/repondre/",
        {"text": "Pièce jointe", "attachments": [upload("a.txt", b"a\n"), upload("b.txt", b"b\n")]},
    )
    paths = [files.path_of(a.stored_name) for a in call.answers.get().attachments.all()]
    assert len(paths) == 2 and all(p.is_file() for p in paths)
    # Files go once the deletion is committed (the test's transaction never is).
    with django_capture_on_commit_callbacks(execute=True):
        call.delete()  # the Django admin does the same
    assert not any(p.exists() for p in paths)


def test_a_call_without_territory_is_not_any_animateurs(as_user, users) -> None:  # type: ignore[no-untyped-def]
    """Issue #11: `animates()` was true for an empty list of territories, so every
    animateur managed the calls without territory. Now: their author and the admins."""
    from django.utils import timezone

    from observatoire.exchange.models import Call

    call = Call.objects.create(
        title=unique("Appel sans territoire"), question="Question ?", territories=[],
        author=users["animateur_nord"], deadline=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    close = f"/echanges/appels/{call.pk}/cloturer/"
    assert as_user("animateur").post(close).status_code == 403
    call.refresh_from_db()
    assert call.closed_at is None
    assert as_user("animateur_nord").post(close).status_code == 302
    call.refresh_from_db()
    assert call.closed_at is not None
