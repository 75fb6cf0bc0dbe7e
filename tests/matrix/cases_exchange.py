"""Exchange platform: documents per diffusion (public, partenaires, restreint to the CA de
Lens-Liévin), calls for contribution and défis (signed-in partners), writes by
contributeurs and animateurs, management by the call's animateurs.

Paths are callables: the objects are looked up (demo content) or created when the case
runs, after Django is set up; POST cases that change an object get a fresh one per role."""

from __future__ import annotations

from typing import Any

from tests.matrix.cases import EVERYONE, SIGNED_IN, Case, expect, lens_organisation_elsewhere

LENS = "EPCI:246200364"
WRITERS = ("admin", "animateur", "contributeur_lens")
LENS_READERS = ("admin", "animateur", "contributeur_lens", "lecteur_lens")
MANAGERS = ("admin", "animateur")

PUBLIC_DOC = "PDH du Nord — fiche action 11 : observatoire et plateforme d'échange"
PARTNERS_DOC = "Taux de vacance des communes de la CA de Lens-Liévin"
RESTRICTED_DOC = "Comité technique habitat de la CA de Lens-Liévin — compte rendu"
OPEN_CALL = "Plateforme d'échange du PDH : quels documents et quels profils ?"
CLOSED_CALL = "Repérage des copropriétés fragiles : quelles sources locales ?"
MATRIX_CALL = "Appel de la matrice des droits"
MATRIX_DEFI = "Défi de la matrice des droits"


def _doc(title: str) -> Any:
    from observatoire.exchange.models import Document

    return Document.objects.get(title=title, is_demo=True)


def _lens() -> Any:
    from observatoire.accounts.models import Organisation

    return Organisation.objects.get_or_create(name="CA de Lens-Liévin")[0]


def _fresh_document() -> Any:
    """A partenaires document of the CA de Lens-Liévin, to be deleted."""
    from observatoire.exchange import files, library

    checked = files.check(files.in_memory("matrice.txt", b"Document de la matrice.\n"))
    return library.create_document(
        checked, None, title="Document de la matrice (suppression)", kind="autre",
        territories=[LENS], date="2025-01-01", diffusion="partenaires", organisation=_lens(),
    )  # fmt: skip


def _fresh_call(title: str = "Appel de la matrice (clôture)") -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from observatoire.exchange.models import Call

    return Call.objects.create(
        title=title, question="Question de la matrice ?", territories=["DEP:62"],
        deadline=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip


def _matrix_call() -> Any:
    """One call of the Pas-de-Calais with one answer carrying a text attachment."""
    from observatoire.exchange import files, library
    from observatoire.exchange.models import Call

    call = Call.objects.filter(title=MATRIX_CALL).first()
    if call is None:
        call = _fresh_call(MATRIX_CALL)
        checked = files.check(files.in_memory("note.txt", b"Piece jointe de la matrice.\n"))
        library.create_answer(call, None, "Réponse de la matrice.", [checked])
    return call


def _matrix_answer() -> Any:
    return _matrix_call().answers.first()


def _defi(fresh: bool = False) -> Any:
    """A défi of Lens asked by the matrix contributeur, with one answer."""
    from django.contrib.auth import get_user_model

    from observatoire.exchange.models import Defi, DefiAnswer

    defi = None if fresh else Defi.objects.filter(title=MATRIX_DEFI).first()
    if defi is None:
        asker = get_user_model().objects.get(username="matrice-contributeur_lens")
        defi = Defi.objects.create(
            title=MATRIX_DEFI, question="Question ?", territories=[LENS], author=asker
        )
        DefiAnswer.objects.create(defi=defi, text="Réponse.")
    return defi


def _defi_accept_path() -> str:
    defi = _defi(fresh=True)
    return f"/echanges/defis/{defi.pk}/reponses/{defi.answers.first().pk}/accepter/"


def _arras_document_version() -> str:
    """A partenaires document of the CA de Lens-Liévin about Arras: outside the scope of
    contributeur_lens, member of that organisation (issue #11)."""
    from observatoire.exchange import files, library
    from observatoire.exchange.models import Document

    title = "Document de la matrice sur Arras"
    document = Document.objects.filter(title=title).first()
    if document is None:
        checked = files.check(files.in_memory("arras.txt", b"Document sur Arras.\n"))
        document = library.create_document(
            checked, None, title=title, kind="autre", territories=["EPCI:200033579"],
            date="2025-01-01", diffusion="partenaires", organisation=_lens(),
        )  # fmt: skip
    return f"/echanges/documents/{document.pk}/nouvelle-version/"


def _version_with_lens_elsewhere() -> str:
    lens_organisation_elsewhere()
    return f"/echanges/documents/{_doc(PARTNERS_DOC).pk}/nouvelle-version/"


def _call_without_territory(suffix: str) -> Any:
    def path() -> str:
        from datetime import timedelta

        from django.utils import timezone

        from observatoire.exchange.models import Call

        call = Call.objects.create(
            title="Appel de la matrice sans territoire", question="Question ?",
            territories=[], deadline=timezone.localdate() + timedelta(days=30),
        )  # fmt: skip
        return f"/echanges/appels/{call.pk}/{suffix}"

    return path


def _doc_path(title: str, suffix: str = "") -> Any:
    return lambda: f"/echanges/documents/{_doc(title).pk}/{suffix}"


def _call_path(title: str, suffix: str = "") -> Any:
    def path() -> str:
        from observatoire.exchange.models import Call

        if title == MATRIX_CALL:
            call = _matrix_call()
        else:
            call = Call.objects.get(title=title, is_demo=True)
        return f"/echanges/appels/{call.pk}/{suffix}"

    return path


CASES = [
    Case("exchange:index", "/echanges/", expect(EVERYONE)),
    Case("exchange:documents", "/echanges/documents/", expect(EVERYONE)),
    Case(
        "exchange:documents", "/echanges/documents/?q=profils&territoire=DEP:59", expect(EVERYONE)
    ),
    Case("exchange:document", _doc_path(PUBLIC_DOC), expect(EVERYONE)),
    Case("exchange:document", _doc_path(PARTNERS_DOC), expect(SIGNED_IN, anonymous=302)),
    Case("exchange:document", _doc_path(RESTRICTED_DOC), expect(LENS_READERS, anonymous=302)),
    Case(
        "exchange:document_download",
        _doc_path(PUBLIC_DOC, "versions/1/telecharger/"),
        expect(EVERYONE),
    ),
    Case(
        "exchange:document_download",
        _doc_path(RESTRICTED_DOC, "versions/1/telecharger/"),
        expect(LENS_READERS, anonymous=302),
    ),
    Case(
        "exchange:document_upload", "/echanges/documents/deposer/", expect(WRITERS, anonymous=302)
    ),
    # An empty form: the page again with its errors, nothing stored.
    Case(
        "exchange:document_upload",
        "/echanges/documents/deposer/",
        expect(WRITERS, anonymous=302),
        method="POST",
        data={"title": ""},
    ),
    Case(
        "exchange:document_version",
        _doc_path(RESTRICTED_DOC, "nouvelle-version/"),
        expect(WRITERS, anonymous=302),
    ),
    Case(
        "exchange:document_version",
        _doc_path(RESTRICTED_DOC, "nouvelle-version/"),
        expect(WRITERS, anonymous=302),
        method="POST",
        data={"note": "sans fichier"},
    ),
    # Cross-organisation (issue #11): a document of the CA de Lens-Liévin about Arras,
    # and one of Lens once the organisation's own territory is outside the member's
    # scope: its contributeur no longer edits them.
    Case(
        "exchange:document_version",
        _arras_document_version,
        expect(("admin", "animateur"), anonymous=302),
    ),
    Case(
        "exchange:document_version",
        _version_with_lens_elsewhere,
        expect(("admin", "animateur"), anonymous=302),
    ),
    # The public PDH document of the Nord: outside the matrix animateur's scope.
    Case(
        "exchange:document_version",
        _doc_path(PUBLIC_DOC, "nouvelle-version/"),
        expect(("admin",), anonymous=302),
    ),
    Case(
        "exchange:document_delete",
        lambda: f"/echanges/documents/{_fresh_document().pk}/supprimer/",
        expect(WRITERS, ok=302, anonymous=302),
        method="POST",
    ),
    Case("exchange:calls", "/echanges/appels/", expect(SIGNED_IN, anonymous=302)),
    Case("exchange:call_create", "/echanges/appels/nouveau/", expect(MANAGERS, anonymous=302)),
    Case(
        "exchange:call_create",
        "/echanges/appels/nouveau/",
        expect(MANAGERS, anonymous=302),
        method="POST",
        data={"title": ""},
    ),
    Case("exchange:call", _call_path(OPEN_CALL), expect(SIGNED_IN, anonymous=302)),
    Case("exchange:call", _call_path(CLOSED_CALL), expect(SIGNED_IN, anonymous=302)),
    Case(
        "exchange:call_answer",
        _call_path(OPEN_CALL, "repondre/"),
        expect(WRITERS, anonymous=302),
    ),
    Case(
        "exchange:call_answer",
        _call_path(OPEN_CALL, "repondre/"),
        expect(WRITERS, anonymous=302),
        method="POST",
        data={"text": ""},
    ),
    # A closed call takes no answer, whoever asks.
    Case(
        "exchange:call_answer",
        _call_path(CLOSED_CALL, "repondre/"),
        expect((), anonymous=302),
    ),
    Case(
        "exchange:call_moderate",
        lambda: f"/echanges/appels/{_matrix_call().pk}/reponses/{_matrix_answer().pk}/moderer/",
        expect(MANAGERS, ok=302, anonymous=302),
        method="POST",
        data=lambda: {f"r{_matrix_answer().pk}-tags": "matrice"},
    ),
    Case(
        "exchange:call_synthesis",
        _call_path(MATRIX_CALL, "synthese/"),
        expect(MANAGERS, anonymous=302),
    ),
    Case(
        "exchange:call_synthesis",
        _call_path(MATRIX_CALL, "synthese/"),
        expect(MANAGERS, ok=302, anonymous=302),
        method="POST",
        data={"synthesis": "Synthèse de la matrice."},
    ),
    Case(
        "exchange:call_synthesis_pdf",
        _call_path(CLOSED_CALL, "synthese.pdf"),
        expect(SIGNED_IN, anonymous=302),
    ),
    Case(
        "exchange:call_close",
        lambda: f"/echanges/appels/{_fresh_call().pk}/cloturer/",
        expect(MANAGERS, ok=302, anonymous=302),
        method="POST",
    ),
    # A call without territory is nobody's to animate but its author's and the admins'.
    Case(
        "exchange:call_close",
        _call_without_territory("cloturer/"),
        expect(("admin",), ok=302, anonymous=302),
        method="POST",
    ),
    Case(
        "exchange:attachment_download",
        lambda: f"/echanges/pieces-jointes/{_matrix_answer().attachments.first().pk}/telecharger/",
        expect(SIGNED_IN, anonymous=302),
    ),
    Case("exchange:defis", "/echanges/defis/", expect(SIGNED_IN, anonymous=302)),
    Case("exchange:defi_create", "/echanges/defis/nouveau/", expect(WRITERS, anonymous=302)),
    Case(
        "exchange:defi_create",
        "/echanges/defis/nouveau/",
        expect(WRITERS, anonymous=302),
        method="POST",
        data={"title": ""},
    ),
    Case(
        "exchange:defi", lambda: f"/echanges/defis/{_defi().pk}/", expect(SIGNED_IN, anonymous=302)
    ),
    Case(
        "exchange:defi_answer",
        lambda: f"/echanges/defis/{_defi().pk}/repondre/",
        expect(WRITERS, ok=302, anonymous=302),
        method="POST",
        data={"text": "Réponse de la matrice."},
    ),
    # The asker (the matrix contributeur) or an animateur of Lens.
    Case(
        "exchange:defi_accept",
        _defi_accept_path,
        expect(WRITERS, ok=302, anonymous=302),
        method="POST",
    ),
]
