"""Corrections and local figures proposed on a value of the portal: propose, validate
(shown next to the official value, with history), reject, refusals out of scope."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from tests.contributions.conftest import ARRAS, LENS_EPCI, LIEVIN

PROPOSE = "/contributions/chiffres/proposer/"


def _row(html: str, code: str) -> str:
    return html.split(f'<tr data-indicator="{code}">')[1].split("</tr>")[0]


def _proposal(year: int, value: str, **extra: str) -> dict[str, str]:
    data = {
        "indicateur": "log_total",
        "territoire": LIEVIN,
        "annee": str(year),
        "nature": "chiffre_local",
        "valeur": value,
        "unite": "",
        "source": f"Fichier communal des logements de Liévin, {year}",
        "commentaire": "Recensement par le service urbanisme.",
    }
    data.update(extra)
    return data


def test_propose_validate_then_shown_on_the_portrait(
    signed_in: Callable[..., Client], client: Client
) -> None:
    from observatoire import figures
    from observatoire.accounts.models import AuditEvent
    from observatoire.contributions.models import FigureContribution
    from observatoire.territories import Territory

    contributeur = signed_in("contributeur", [LENS_EPCI])
    official = figures.cube().value("log_total", Territory.parse(LIEVIN))
    # The portrait offers a prefilled proposal link on each value of the user's scope.
    portrait = contributeur.get(f"/territoires/{LIEVIN}/").content.decode()
    link = re.search(r'href="([^"]+)" data-propose="log_total"', _row(portrait, "log_total"))
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert url == f"{PROPOSE}?indicateur=log_total&territoire=COM%3A62510&annee={official.year}"
    form = contributeur.get(url).content.decode()
    assert official.formatted() in form and 'value="COM:62510"' in form

    response = contributeur.post(PROPOSE, _proposal(2031, "17654"))
    assert response.status_code == 302
    c = FigureContribution.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert (c.status, c.unit, c.author) == ("proposee", "logements", contributeur.user)  # type: ignore[attr-defined]
    assert c.organisation is not None and c.organisation.name == "CA de Lens-Liévin"
    # Not validated yet: not on the public portrait, not visible to other readers.
    assert "17\u202f654" not in _row(
        client.get(f"/territoires/{LIEVIN}/").content.decode(), "log_total"
    )
    assert client.get(f"/contributions/chiffres/{c.pk}/").status_code == 302

    animateur = signed_in(
        "animateur", ["DEP:62"], organisation="Département du Pas-de-Calais", kind="departement"
    )
    assert (
        f'data-contribution="{c.pk}"'
        in animateur.get("/contributions/chiffres/a-valider/").content.decode()
    )
    audits = AuditEvent.objects.filter(action="validation").count()
    response = animateur.post(
        f"/contributions/chiffres/{c.pk}/decision/", {"decision": "valider", "motif": ""}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "validee" and c.decided_at is not None
    assert [(e.status, e.by) for e in c.history.all()] == [
        ("proposee", contributeur.user),  # type: ignore[attr-defined]
        ("validee", animateur.user),  # type: ignore[attr-defined]
    ]
    assert AuditEvent.objects.filter(action="validation").count() == audits + 1

    # Anonymous visitors see both: the official value, and the local one marked as such.
    row = _row(client.get(f"/territoires/{LIEVIN}/").content.decode(), "log_total")
    assert official.formatted() in row
    assert "Chiffre local validé" in row and "17\u202f654 logements" in row
    assert "(2031, Fichier communal des logements de Liévin, 2031, validé le" in row
    assert f'href="/contributions/chiffres/{c.pk}/"' in row
    assert "Proposer une correction" not in row  # anonymous: no proposal link
    history = client.get(f"/contributions/chiffres/{c.pk}/").content.decode()
    assert "Proposée</strong>" in history and "Validée</strong>" in history
    listing = client.get("/contributions/chiffres/", {"territoire": LIEVIN}).content.decode()
    assert f'data-contribution="{c.pk}"' in listing


def test_reject_needs_a_reason_and_is_never_shown(
    signed_in: Callable[..., Client], client: Client
) -> None:
    from observatoire.contributions.models import FigureContribution

    contributeur = signed_in("contributeur", [LENS_EPCI])
    contributeur.post(PROPOSE, _proposal(2032, "99991"))
    c = FigureContribution.objects.get(value=99991, year=2032)
    admin = signed_in("admin", [])
    page = admin.post(
        f"/contributions/chiffres/{c.pk}/decision/", {"decision": "rejeter", "motif": " "}
    )
    assert page.status_code == 200 and "Indiquez le motif du rejet." in page.content.decode()
    c.refresh_from_db()
    assert c.status == "proposee"
    admin.post(
        f"/contributions/chiffres/{c.pk}/decision/",
        {"decision": "rejeter", "motif": "Source non vérifiable."},
    )
    c.refresh_from_db()
    assert c.status == "rejetee" and c.history.last().comment == "Source non vérifiable."
    # A second decision changes nothing.
    admin.post(f"/contributions/chiffres/{c.pk}/decision/", {"decision": "valider"})
    c.refresh_from_db()
    assert c.status == "rejetee" and c.history.count() == 2
    assert "99\u202f991" not in client.get(f"/territoires/{LIEVIN}/").content.decode()
    own = contributeur.get(f"/contributions/chiffres/{c.pk}/").content.decode()
    assert "Rejetée" in own and "Source non vérifiable." in own
    assert client.get(f"/contributions/chiffres/{c.pk}/").status_code == 302


def test_out_of_scope_or_reader_cannot_propose(signed_in: Callable[..., Client]) -> None:
    from observatoire.contributions.models import FigureContribution

    before = FigureContribution.objects.count()
    contributeur = signed_in("contributeur", [LENS_EPCI])
    arras = f"{PROPOSE}?indicateur=log_total&territoire={ARRAS}&annee=2022"
    assert contributeur.get(arras).status_code == 403
    response = contributeur.post(PROPOSE, _proposal(2033, "5", territoire=ARRAS))
    assert response.status_code == 403 and "hors du périmètre" in response.content.decode()
    # No proposal link on a portrait out of scope.
    assert (
        "Proposer une correction" not in contributeur.get(f"/territoires/{ARRAS}/").content.decode()
    )
    lecteur = signed_in("lecteur", [LENS_EPCI])
    assert lecteur.get(PROPOSE).status_code == 403
    assert lecteur.post(PROPOSE, _proposal(2033, "5")).status_code == 403
    assert FigureContribution.objects.count() == before


def test_animateur_out_of_scope_cannot_decide(signed_in: Callable[..., Client]) -> None:
    from observatoire.contributions.models import FigureContribution

    signed_in("contributeur", [LENS_EPCI]).post(PROPOSE, _proposal(2034, "123457"))
    c = FigureContribution.objects.get(value=123457, year=2034)
    arras = signed_in("animateur", ["EPCI:200033579"], organisation="CU d'Arras")
    assert (
        arras.post(f"/contributions/chiffres/{c.pk}/decision/", {"decision": "valider"}).status_code
        == 403
    )
    assert arras.get(f"/contributions/chiffres/{c.pk}/").status_code == 403
    assert (
        f'data-contribution="{c.pk}"'
        not in arras.get("/contributions/chiffres/a-valider/").content.decode()
    )
    c.refresh_from_db()
    assert c.status == "proposee"


def test_demo_local_figure_on_lens(client: Client) -> None:
    row = _row(client.get("/territoires/COM:62498/").content.decode(), "log_vacants")
    assert "Chiffre local validé" in row and "démonstration" in row
