"""The team's commentary on a section of a portrait (issue #15 §2): written by the
animateurs in scope, sanitised, versioned and restorable, shown in the portrait and the
fiche under the section's diffusion, flagged « à actualiser » when its figures moved."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

from observatoire.settings import Settings
from observatoire.territories import Territory

LENS = Territory.parse("COM:62498")
PARC = "/publications/commentaires/COM:62498/parc-de-logements/"
VACANCE = "/publications/commentaires/COM:62498/vacance/"


def _user(name: str, role: str, scope: list[str]) -> Any:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Profile

    user, _ = get_user_model().objects.get_or_create(
        username=f"commentaire-{name}", defaults={"email": f"{name}@commentaire.test"}
    )
    Profile.objects.update_or_create(user=user, defaults={"role": role, "territories": scope})
    return user


def _block(html: str, slug: str) -> str:
    """The commentary of a section in a portrait, up to its author line."""
    start = html.index(f'data-commentary="{slug}"')
    return html[start : html.index('<p class="fr-text--xs">Par ', start)]


def _portrait(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/territoires/COM:62498/")
    assert response.status_code == 200
    return response.content.decode()


def test_animateur_writes_a_sanitised_commentary_shown_to_the_public(client, web: Settings) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    text = (
        "### Un parc ancien\n\n- surtout des **maisons**\n- voir [l'étude](https://exemple.fr/e)"
        " et [ceci](javascript:alert(1))\n\n<script>alert('x')</script><b onclick=x>brut</b>"
    )
    assert client.post(PARC, {"texte": text}).status_code == 302
    client.logout()
    html = _portrait(client)
    shown = _block(html, "parc-de-logements")
    assert "<h3>Un parc ancien</h3>" in shown and "<strong>maisons</strong>" in shown
    assert 'href="https://exemple.fr/e"' in shown and 'rel="noopener noreferrer"' in shown
    # A javascript: link is no link, raw HTML is shown as text, never as markup.
    assert 'href="javascript' not in shown and "<script" not in shown and "<b " not in shown
    assert "&lt;script&gt;" in shown
    # The public never gets the edit link.
    assert PARC not in html


def test_every_save_is_a_version_and_an_old_one_can_be_restored(client, web: Settings) -> None:  # type: ignore[no-untyped-def]
    from observatoire.publications.commentary import Commentary

    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    client.post(PARC, {"texte": "Première analyse."})
    client.post(PARC, {"texte": "Seconde analyse."})
    versions = list(Commentary.objects.filter(territory=LENS, theme="Parc de logements"))
    assert [v.text for v in versions] == ["Seconde analyse.", "Première analyse."]
    assert all(
        v.author is not None and v.author.username == "commentaire-animateur-62" for v in versions
    )
    page = client.get(PARC).content.decode()
    assert "Restaurer cette version" in page and "Première analyse." in page
    first = versions[-1]
    restored = client.post(f"{PARC}restaurer/{first.pk}/")
    assert restored.status_code == 302
    texts = [v.text for v in Commentary.objects.filter(territory=LENS, theme="Parc de logements")]
    assert texts == ["Première analyse.", "Seconde analyse.", "Première analyse."]
    client.logout()
    assert "Première analyse." in _portrait(client)


def test_generated_summary_is_offered_never_saved_by_itself(client, web: Settings) -> None:  # type: ignore[no-untyped-def]
    from observatoire import figures
    from observatoire.portrait import key_figures, summary
    from observatoire.publications.commentary import Commentary

    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    client.post(PARC, {"texte": "Analyse de l'équipe."})
    page = client.get(PARC + "?depuis=resume").content.decode()
    first = summary.summary(key_figures.key_figures(figures.PUBLIC, LENS))[0]
    from django.utils.html import escape

    assert escape(first) in page
    current = Commentary.objects.filter(territory=LENS, theme="Parc de logements")
    assert [v.text for v in current] == ["Analyse de l'équipe."]


def test_commentary_flagged_when_a_new_millesime_changes_its_figures(client, web: Settings) -> None:  # type: ignore[no-untyped-def]
    from observatoire import figures
    from observatoire.publications import commentary

    # Written when the cube held the previous year of log_total (a real value of the
    # demo's series), or before its source was first imported; then a build brought the
    # current millésime.
    series = [v for v in figures.series("log_total", LENS) if v.value is not None]
    now = series[-1]
    basis = commentary.basis(LENS, "Parc de logements")
    if len(series) > 1:
        old = series[-2]
        before = f"{old.formatted()} ({old.year})"
        basis["log_total"] = {"year": old.year, "millesime": old.millesime, "value": old.value}
        basis["log_total"]["formatted"] = old.formatted()
    else:
        before = "non disponible"
        basis["log_total"] = {
            "year": None,
            "millesime": None,
            "value": None,
            "formatted": before,
        }
    commentary.Commentary.objects.create(
        territory=LENS, theme="Parc de logements", text="Le parc croît.", basis=basis
    )
    html = _portrait(client)
    block = _block(html, "parc-de-logements")
    assert "À actualiser" in block
    from django.utils.html import escape

    label = figures.series("log_total", LENS)[-1].indicator.label
    expected = f"{label} : {before} → {now.formatted()} ({now.year})"
    assert escape(expected) in block
    # Saved again against today's figures: no longer flagged.
    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    client.post(PARC, {"texte": "Le parc croît encore."})
    client.logout()
    html = _portrait(client)
    block = _block(html, "parc-de-logements")
    assert "Le parc croît encore." in block and "À actualiser" not in block


def test_restricted_section_commentary_follows_the_reader_rights(client, web: Settings) -> None:  # type: ignore[no-untyped-def]
    # « Vacance » holds LOVAC (diffusion restreinte): its commentary is for the readers
    # who may read the whole section on Lens, not for the public nor a reader of Arras.
    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    client.post(VACANCE, {"texte": "Vacance longue préoccupante."})
    client.logout()
    assert "Vacance longue préoccupante." not in _portrait(client)
    client.force_login(_user("lecteur-arras", "lecteur", ["EPCI:200033579"]))
    assert "Vacance longue préoccupante." not in _portrait(client)
    client.force_login(_user("lecteur-lens", "lecteur", ["EPCI:246200364"]))
    assert "Vacance longue préoccupante." in _portrait(client)


def test_only_animateurs_in_scope_and_admins_edit(client, web: Settings) -> None:  # type: ignore[no-untyped-def]
    assert client.get(PARC).status_code == 302  # to the login page
    client.force_login(_user("lecteur-lens", "lecteur", ["EPCI:246200364"]))
    assert client.post(PARC, {"texte": "x"}).status_code == 403
    client.force_login(_user("animateur-lot", "animateur", ["DEP:46"]))
    assert client.post(PARC, {"texte": "x"}).status_code == 403
    from observatoire.publications.commentary import Commentary

    assert not Commentary.objects.filter(territory=LENS).exists()
    assert client.get("/publications/commentaires/COM:62498/inconnu/").status_code == 404


def test_fiche_pdf_carries_the_commentary(client, web: Settings) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user("animateur-62", "animateur", ["DEP:62"]))
    client.post(PARC, {"texte": "Un parc **ancien** et peu renouvelé."})
    client.logout()
    response = client.get("/publications/fiches/COM:62498.pdf")
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = re.sub(r"[ \n]+", " ", " ".join(p.extract_text() for p in pages))
    assert "Le commentaire de l'observatoire" in text
    assert "Un parc ancien et peu renouvelé." in text
