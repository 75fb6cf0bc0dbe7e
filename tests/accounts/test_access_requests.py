"""« Demander l'accès » (issue #14 §5), on the demo: lecteur.arras sees LOVAC (diffusion
restreinte) marked « accès restreint » on the Lens portrait, follows the link, sends a
request that reaches the animateurs of the Pas-de-Calais (not those of the Nord nor of
the Lot), who grant it (Lens 9,2 % then shows) or refuse it with a reason; the requester
is told on their page and by e-mail; both decisions are in the audit log."""

from __future__ import annotations

import html as html_module
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import Client, RequestFactory

LOVAC = "vacance_longue_duree_part"
LENS, ARRAS = "COM:62498", "COM:62041"
REQUEST_PAGE = "/compte/acces/demander/"
LIST_PAGE = "/compte/acces/"
ROW = f'data-indicator="{LOVAC}"'
DEMO = "demo.observatoire-habitat.fr"


def _demo(name: str) -> Any:
    return get_user_model().objects.get(email=f"{name}@{DEMO}")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _ask(c: Client, territory: str = LENS, reason: str = "Étude de la vacance à Lens") -> Any:
    return c.post(
        REQUEST_PAGE,
        {"territory": territory, "diffusion": "restreint", "indicator": LOVAC, "reason": reason},
    )


def _lovac_lens(c: Client) -> str:
    html = c.get(f"/territoires/{LENS}/").content.decode()
    return html.split(ROW)[1].split("</tr>")[0]


def _pending(user: Any) -> Any:
    from observatoire.accounts.models import AccessRequest

    return AccessRequest.objects.get(requester=user, state="en_attente")


def test_restricted_cell_links_to_a_filled_request_form(web: Any) -> None:
    arras = _client(_demo("lecteur.arras"))
    row = _lovac_lens(arras)
    assert "accès restreint" in row and "data-access-request" in row
    href = html_module.unescape(row.split("data-access-request")[0].rsplit('href="', 1)[1])
    href = href.split('"')[0]
    url = urlparse(href)
    assert url.path == REQUEST_PAGE
    query = parse_qs(url.query)
    assert query["territoire"] == [LENS] and query["indicateur"] == [LOVAC]
    assert query["suivant"] == [f"/territoires/{LENS}/"]
    form = arras.get(href).content.decode()
    main = form.split("<main")[1]
    assert f'value="{LENS}"' in main and "indicateur-demande" in main, main[:3000]


def test_anonymous_is_invited_to_log_in(web: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    from observatoire import figures
    from observatoire.indicators.catalog import catalog
    from observatoire.territories import Territory

    response = Client().get(REQUEST_PAGE, {"territoire": LENS, "indicateur": LOVAC})
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
    # The link beside a restricted cell says so to an anonymous visitor.
    request = RequestFactory().get(f"/territoires/{LENS}/")
    request.user = AnonymousUser()
    cell = figures.restricted(catalog()[LOVAC], Territory.parse(LENS), None)
    text = Template("{% load portal_tags %}{% access_link v %}").render(
        Context({"v": cell, "request": request})
    )
    assert "Connectez-vous pour demander l&#x27;accès" in text
    assert "/compte/connexion/?next=%2Fcompte%2Facces%2Fdemander%2F" in text


def test_request_reaches_the_animateurs_in_scope_who_grant_it(web: Any, mailoutbox: list) -> None:
    from observatoire.accounts.models import AuditEvent, Profile

    requester = _demo("lecteur.arras")
    arras = _client(requester)
    response = _ask(arras)
    assert response.status_code == 302, response.content.decode()[:2000]
    request = _pending(requester)
    [mail] = mailoutbox
    assert mail.to == [f"animateur.pas-de-calais@{DEMO}"]  # not the Nord's nor the Lot's
    assert "Lens (COM:62498)" in mail.body and "Étude de la vacance" in mail.body

    lot = _client(_demo("animateur.lot"))
    assert f'data-access-request="{request.pk}"' not in lot.get(LIST_PAGE).content.decode()
    refused = lot.post(f"/compte/acces/{request.pk}/decision/", {"decision": "accorder"})
    assert refused.status_code == 403
    assert _lovac_lens(arras).count("accès restreint") >= 1

    animateur = _client(_demo("animateur.pas-de-calais"))
    assert f'data-access-request="{request.pk}"' in animateur.get(LIST_PAGE).content.decode()
    granted = animateur.post(
        f"/compte/acces/{request.pk}/decision/", {"decision": "accorder", "answer": "Bonne étude"}
    )
    assert granted.status_code == 302
    # The figure the user asked for is now theirs: Lens 9,2 %.
    row = _lovac_lens(arras)
    assert "9,2" in row and "accès restreint" not in row.split("<td")[1]
    assert LENS in [t.id for t in Profile.objects.get(user=requester).territories]
    event = AuditEvent.objects.get(action="acces", detail__décision="accordée")
    assert event.actor == _demo("animateur.pas-de-calais") and event.detail["territoire"] == LENS
    assert mailoutbox[-1].to == [requester.email] and "accordée" in mailoutbox[-1].subject
    # In-app message: new once on the requester's page, then read.
    profile_page = arras.get("/compte/").content.decode()
    assert "1 réponse non lue" in profile_page
    page = arras.get(LIST_PAGE).content.decode()
    assert "Accordée" in page and "nouveau" in page and "Bonne étude" in page
    assert "nouveau" not in arras.get(LIST_PAGE).content.decode()


def test_refusal_needs_a_reason_and_is_told(web: Any, mailoutbox: list) -> None:
    from observatoire.accounts.models import AuditEvent, Profile

    requester = _demo("lecteur.arras")
    arras = _client(requester)
    assert _ask(arras).status_code == 302
    request = _pending(requester)
    animateur = _client(_demo("animateur.pas-de-calais"))
    url = f"/compte/acces/{request.pk}/decision/"
    no_reason = animateur.post(url, {"decision": "refuser", "answer": " "})
    assert no_reason.status_code == 400 and "motif du refus" in no_reason.content.decode()
    assert (
        animateur.post(url, {"decision": "refuser", "answer": "Hors convention"}).status_code == 302
    )
    assert LENS not in [t.id for t in Profile.objects.get(user=requester).territories]
    assert "accès restreint" in _lovac_lens(arras)
    event = AuditEvent.objects.get(action="acces", detail__décision="refusée")
    assert event.detail["réponse"] == "Hors convention"
    assert "refusée" in mailoutbox[-1].subject and "Hors convention" in mailoutbox[-1].body
    assert "Hors convention" in arras.get(LIST_PAGE).content.decode()
    # Decided once: a second answer is refused.
    again = animateur.post(url, {"decision": "accorder"})
    assert again.status_code == 400 and "déjà reçu une réponse" in again.content.decode()


def test_no_duplicate_pending_request(web: Any) -> None:
    from observatoire.accounts.models import AccessRequest

    requester = _demo("lecteur.arras")
    arras = _client(requester)
    assert _ask(arras).status_code == 302
    twice = _ask(arras, reason="Relance")
    assert twice.status_code == 400
    assert "déjà demandé l&#x27;accès" in twice.content.decode()
    assert AccessRequest.objects.filter(requester=requester).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"territory": ARRAS}, "Vous avez déjà accès"),
        ({"territory": "COM:99999"}, "Territoire « COM:99999 » inconnu"),
        ({"indicator": "inconnu"}, "Indicateur « inconnu » inconnu"),
        ({"reason": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_requests_are_refused_in_french(web: Any, data: dict[str, str], message: str) -> None:
    from observatoire.accounts.models import AccessRequest

    form = {"territory": LENS, "diffusion": "restreint", "indicator": LOVAC, "reason": "Étude"}
    response = _client(_demo("lecteur.arras")).post(REQUEST_PAGE, form | data)
    assert response.status_code == 400
    assert message in html_module.unescape(response.content.decode())
    assert not AccessRequest.objects.exists()


def test_an_animateur_does_not_widen_a_contributeur(web: Any) -> None:
    """Widening a contributeur's scope widens what they may edit: administrators only."""
    from observatoire.accounts import provisioning
    from observatoire.accounts.models import AccessRequest

    made = provisioning.create_user(
        "contributeur-arras@exemple.fr", "CU d'Arras", "contributeur", ["EPCI:200033579"]
    )
    assert _ask(_client(made.user)).status_code == 302
    request = AccessRequest.objects.get(requester=made.user)
    url = f"/compte/acces/{request.pk}/decision/"
    refused = _client(_demo("animateur.pas-de-calais")).post(url, {"decision": "accorder"})
    assert refused.status_code == 400 and "seul un administrateur" in refused.content.decode()
    assert _client(_demo("admin")).post(url, {"decision": "accorder"}).status_code == 302
    request.refresh_from_db()
    assert request.state == "accordee"
