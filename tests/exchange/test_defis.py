"""Défis habitat: a contributeur asks the network, partners answer, the asker or an
animateur accepts one answer; lecteurs only read."""

from __future__ import annotations

from typing import Any

from tests.exchange.conftest import LENS, unique


def ask(client: Any) -> Any:
    from observatoire.exchange.models import Defi

    title = unique("Défi")
    response = client.post(
        "/echanges/defis/nouveau/",
        {"title": title, "question": "Qui a déjà conventionné avec l'EPF ?", "territories": LENS},
    )
    assert response.status_code == 302
    return Defi.objects.get(title=title)


def answer(client: Any, defi: Any, text: str) -> Any:
    response = client.post(f"/echanges/defis/{defi.pk}/repondre/", {"text": text})
    assert response.status_code == 302
    return defi.answers.get(text=text)


def test_accepted_answer(as_user) -> None:  # type: ignore[no-untyped-def]
    defi = ask(as_user("contributeur_lens"))
    assert [t.id for t in defi.territories] == [LENS]
    first = answer(as_user("contributeur_arras"), defi, "Oui, Arras en 2022.")
    second = answer(as_user("animateur"), defi, "Le Département a un modèle de convention.")

    # Lecteurs neither answer nor accept; another contributeur does not accept.
    assert (
        as_user("lecteur_lens")
        .post(f"/echanges/defis/{defi.pk}/repondre/", {"text": "x"})
        .status_code
        == 403
    )
    accept = f"/echanges/defis/{defi.pk}/reponses/{{}}/accepter/"
    for name in ("lecteur_lens", "contributeur_arras", "animateur_nord"):
        assert as_user(name).post(accept.format(first.pk)).status_code == 403, name
    defi.refresh_from_db()
    assert defi.accepted_answer is None
    assert defi.answers.count() == 2

    # The asker accepts; an animateur of the territory may change it.
    assert as_user("contributeur_lens").post(accept.format(first.pk)).status_code == 302
    defi.refresh_from_db()
    assert defi.accepted_answer == first
    assert defi.accepted_by.username == "exch-contributeur_lens"
    assert as_user("animateur").post(accept.format(second.pk)).status_code == 302
    defi.refresh_from_db()
    assert defi.accepted_answer == second
    page = as_user("lecteur_arras").get(f"/echanges/defis/{defi.pk}/").content.decode()
    assert f'id="reponse-{second.pk}"' in page.split("réponse retenue")[0]
    listing = as_user("lecteur_lens").get("/echanges/defis/").content.decode()
    assert "résolu" in listing.split(f'data-defi="{defi.pk}"')[1].split("</tr>")[0]


def test_answer_of_another_defi_is_not_accepted(as_user) -> None:  # type: ignore[no-untyped-def]
    mine = ask(as_user("contributeur_lens"))
    other = ask(as_user("contributeur_arras"))
    foreign = answer(as_user("animateur"), other, "Réponse à un autre défi")
    response = as_user("contributeur_lens").post(
        f"/echanges/defis/{mine.pk}/reponses/{foreign.pk}/accepter/"
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.accepted_answer is None


def test_defis_are_for_partners(as_user) -> None:  # type: ignore[no-untyped-def]
    defi = ask(as_user("contributeur_lens"))
    assert as_user(None).get(f"/echanges/defis/{defi.pk}/").status_code == 302
    assert as_user("sans_role").get("/echanges/defis/").status_code == 403
    assert (
        as_user("lecteur_lens")
        .post("/echanges/defis/nouveau/", {"title": "x", "question": "y"})
        .status_code
        == 403
    )


def test_a_defi_without_territory_is_accepted_by_its_asker_only(as_user) -> None:  # type: ignore[no-untyped-def]
    """Issue #11: any animateur accepted an answer to a défi without territory."""
    from observatoire.exchange.models import Defi

    title = unique("Défi sans territoire")
    asked = as_user("contributeur_lens").post(
        "/echanges/defis/nouveau/", {"title": title, "question": "Qui a un modèle de bail ?"}
    )
    assert asked.status_code == 302
    defi = Defi.objects.get(title=title)
    assert defi.territories == []
    reply = answer(as_user("contributeur_arras"), defi, "Arras en a un.")
    accept = f"/echanges/defis/{defi.pk}/reponses/{reply.pk}/accepter/"
    assert as_user("animateur").post(accept).status_code == 403
    defi.refresh_from_db()
    assert defi.accepted_answer is None
    assert as_user("contributeur_lens").post(accept).status_code == 302
    defi.refresh_from_db()
    assert defi.accepted_answer == reply
