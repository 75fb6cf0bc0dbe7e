"""A call for contribution in a real browser: an animateur of the Pas-de-Calais signs in
and opens a call, a contributeur of Lens-Liévin answers it with a PDF attachment, the
animateur writes the cahier de synthèse and downloads it as a PDF that holds the
synthesis and the answer."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.support import observatoire_command

pytestmark = [pytest.mark.browser, pytest.mark.serial]

PASSWORD = "Appel-navigateur-2025!"
ANIMATEUR = "navigateur.animateur@exemple.test"
CONTRIBUTEUR = "navigateur.contributeur@exemple.test"

# Run by `observatoire manage shell` before the browser starts: the test process never
# touches the database while Playwright's event loop runs.
CREATE_USERS = f"""
from django.contrib.auth import get_user_model
from observatoire.accounts.models import Organisation, Profile
for email, org, role, scope in [
    ({ANIMATEUR!r}, "Département du Pas-de-Calais", "animateur", ["DEP:62"]),
    ({CONTRIBUTEUR!r}, "CA de Lens-Liévin", "contributeur", ["EPCI:246200364"]),
]:
    user, _ = get_user_model().objects.get_or_create(username=email, defaults={{"email": email}})
    user.set_password({PASSWORD!r})
    user.save()
    organisation, _ = Organisation.objects.get_or_create(name=org)
    Profile.objects.update_or_create(
        user=user, defaults={{"organisation": organisation, "role": role, "territories": scope}}
    )
"""


@pytest.fixture(scope="module")
def call_accounts(demo_data: tuple[Path, str]) -> None:
    command = [*observatoire_command(), "--data-dir", str(demo_data[0])]
    result = subprocess.run(
        [*command, "manage", "shell", "-c", CREATE_USERS], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def attachment_pdf() -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(
        string="<p>Bilan de la taxe sur les logements vacants, CA de Lens-Liévin.</p>"
    ).write_pdf()
    return pdf


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/compte/connexion/")
    page.locator('input[name="username"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Mon compte").count() == 1


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Se connecter").count() >= 1


def test_call_answer_and_synthesis_pdf(journey, call_accounts) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    page = journey.page
    title = "Vacance de longue durée : vos leviers"
    answer = "La taxe sur les logements vacants a fait revenir des propriétaires vers l'ANAH."
    synthesis = "Les partenaires citent d'abord la fiscalité locale comme levier contre la vacance."

    # 1. The animateur opens the call.
    sign_in(page, ANIMATEUR)
    page.goto("/echanges/appels/")
    page.get_by_role("link", name="Ouvrir un appel").click()
    page.get_by_label("Titre de l'appel").fill(title)
    page.get_by_label("Question posée aux partenaires").fill(
        "Quels leviers avez-vous utilisés contre la vacance de longue durée ?"
    )
    page.get_by_text("Vacance et logements indignes").click()
    page.get_by_label("Territoires concernés").fill("DEP:62")
    page.get_by_label("Date limite des réponses").fill(
        (date.today() + timedelta(days=30)).isoformat()
    )
    journey.shot("ouverture")
    page.get_by_role("button", name="Ouvrir l'appel").click()
    page.wait_for_url("**/echanges/appels/*/")
    call_url = page.url
    assert page.locator("h1").inner_text() == title
    journey.shot("appel-ouvert")
    sign_out(page)

    # 2. A contributeur answers, with a PDF attachment.
    sign_in(page, CONTRIBUTEUR)
    page.goto(call_url)
    page.get_by_label("Votre contribution").fill(answer)
    page.get_by_label("Pièces jointes").set_input_files(
        {"name": "bilan-tlv.pdf", "mimeType": "application/pdf", "buffer": attachment_pdf()}
    )
    page.get_by_role("button", name="Envoyer ma contribution").click()
    page.wait_for_url(call_url)
    answers = page.locator("#reponses")
    assert answer in answers.inner_text()
    assert answers.get_by_role("link", name="bilan-tlv.pdf").count() == 1
    journey.shot("reponse")
    sign_out(page)

    # 3. The animateur writes the synthesis and downloads the PDF.
    sign_in(page, ANIMATEUR)
    page.goto(call_url)
    page.get_by_role("link", name="Rédiger le cahier de synthèse").click()
    assert answer in page.locator("aside").inner_text()
    page.get_by_label("Cahier de synthèse").fill(f"# Constats\n{synthesis}")
    page.get_by_role("button", name="Enregistrer la synthèse").click()
    page.wait_for_url(call_url)
    assert synthesis in page.locator("#synthese").inner_text()
    journey.shot("synthese")
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le cahier de synthèse (PDF)").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = journey.folder / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert synthesis in text
    assert title in text
    assert answer in text
    assert journey.errors == []
