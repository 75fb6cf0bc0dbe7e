"""The satisfaction survey: an animateur sets the questions, partners answer once, the
results (count, mean of the notes, distribution) come from the answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from tests.contributions.conftest import LENS_EPCI


def _create(animateur: Client, title: str) -> int:
    from observatoire.contributions.models import Survey

    data = {
        "titre": title,
        "annee": "2026",
        "presentation": "Votre avis sur 2026.",
        "q-TOTAL_FORMS": "4",
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "30",
        "q-0-texte": "Satisfaction générale",
        "q-0-type": "note",
        "q-0-obligatoire": "on",
        "q-1-texte": "Fréquence",
        "q-1-type": "choix",
        "q-1-choix": "Souvent\nRarement",
        "q-1-obligatoire": "on",
        "q-2-texte": "Suggestions",
        "q-2-type": "texte",
        "q-3-texte": "",
        "q-3-type": "note",
        "q-3-obligatoire": "on",
    }
    response = animateur.post("/contributions/enquetes/nouvelle/", data)
    assert response.status_code == 302
    return Survey.objects.get(title=title).pk


def test_survey_answers_once_and_mean(signed_in: Callable[..., Client]) -> None:
    from observatoire.contributions.models import Response, Survey
    from observatoire.contributions.survey_results import results

    animateur = signed_in(
        "animateur", ["DEP:62"], organisation="Département du Pas-de-Calais", kind="departement"
    )
    title = "Enquête de satisfaction (essai)"
    pk = _create(animateur, title)
    survey = Survey.objects.get(pk=pk)
    assert [(q.text, q.kind, q.required) for q in survey.questions.all()] == [
        ("Satisfaction générale", "note", True),
        ("Fréquence", "choix", True),
        ("Suggestions", "texte", False),
    ]
    q_note, q_choice, q_text = survey.questions.all()
    url = f"/contributions/enquetes/{pk}/"
    answers = [(5, "Souvent", "Plus de cartes"), (4, "Souvent", ""), (2, "Rarement", "")]
    for note, choice, text in answers:
        partner = signed_in("lecteur", [LENS_EPCI])
        assert "Satisfaction générale" in partner.get(url).content.decode()
        data = {f"q{q_note.pk}": str(note), f"q{q_choice.pk}": choice, f"q{q_text.pk}": text}
        assert partner.post(url, data).status_code == 302
        # Once only: the page says so and a second POST changes nothing.
        assert "déjà répondu" in partner.get(url).content.decode()
        partner.post(url, {**data, f"q{q_note.pk}": "1"})
    # A required question left blank: nothing saved.
    partner = signed_in("contributeur", [LENS_EPCI])
    page = partner.post(url, {f"q{q_choice.pk}": "Souvent"})
    assert page.status_code == 200 and Response.objects.filter(survey=survey).count() == 3
    assert (
        partner.post(url, {f"q{q_note.pk}": "6", f"q{q_choice.pk}": "Souvent"}).status_code == 200
    )
    assert Response.objects.filter(survey=survey).count() == 3

    count, rows = results(survey)
    assert count == 3
    assert rows[0].mean == pytest.approx(11 / 3)
    assert [(label, n) for label, n, _ in rows[0].distribution] == [
        ("1", 0),
        ("2", 1),
        ("3", 0),
        ("4", 1),
        ("5", 1),
    ]
    assert [(label, n) for label, n, _ in rows[1].distribution] == [("Souvent", 2), ("Rarement", 1)]
    assert rows[2].texts == ["Plus de cartes"]
    html = animateur.get(f"{url}resultats/").content.decode()
    assert "<strong>3</strong> réponses" in html and "3,67 / 5" in html and "Plus de cartes" in html
    # Partners answer, they do not read the results.
    assert partner.get(f"{url}resultats/").status_code == 403
    # Closed: no more answers.
    animateur.post(f"{url}etat/")
    late = signed_in("lecteur", [LENS_EPCI])
    assert "close aux réponses" in late.get(url).content.decode()
    assert late.post(url, {f"q{q_note.pk}": "5", f"q{q_choice.pk}": "Souvent"}).status_code == 200
    assert Response.objects.filter(survey=survey).count() == 3


def test_demo_survey_results(signed_in: Callable[..., Client]) -> None:
    from observatoire.contributions.models import Survey

    survey = Survey.objects.get(is_demo=True)
    admin = signed_in("admin", [])
    html = admin.get(f"/contributions/enquetes/{survey.pk}/resultats/").content.decode()
    # Notes 5, 4, 3, 4 of the demo answers: mean 4.
    assert "démonstration" in html and "4,00 / 5" in html
    assert "démonstration" in admin.get("/contributions/enquetes/").content.decode()
    assert (
        signed_in("contributeur", [LENS_EPCI]).get("/contributions/enquetes/nouvelle/").status_code
        == 403
    )


def test_only_its_creator_and_admins_close_a_survey(signed_in: Callable[..., Client]) -> None:
    """Issue #11: any animateur closed or reopened any survey."""
    from observatoire.contributions.models import Survey

    def animateur() -> Client:
        return signed_in(
            "animateur", ["DEP:62"], organisation="Département du Pas-de-Calais", kind="departement"
        )

    creator, colleague = animateur(), animateur()
    pk = _create(creator, "Enquête de l'animateur (clôture)")
    toggle = f"/contributions/enquetes/{pk}/etat/"
    refused = colleague.post(toggle)
    assert refused.status_code == 403
    assert "Seuls l&#x27;animateur qui a créé cette enquête" in refused.content.decode()
    assert Survey.objects.get(pk=pk).is_open
    assert "Clore l&#x27;enquête" not in colleague.get(f"{toggle[:-5]}resultats/").content.decode()
    assert creator.post(toggle).status_code == 302
    assert not Survey.objects.get(pk=pk).is_open
    assert signed_in("admin", []).post(toggle).status_code == 302
    assert Survey.objects.get(pk=pk).is_open
