"""Issue #11: an animateur handing out rights in another territory's organisation.

Reproduced on the demo: animateur.lot (scope DEP:46) invited a contributeur into the
« Communauté d'agglomération de Lens-Liévin », pilot of the CALL PLH, with scope DEP:46;
the invitee then abandoned CALL action 1-1, added a version to a Lens document and read
the Lens organisation's uploads. An animateur now invites only into organisations of
their scope, and the rights that follow an organisation stop at the member's scope."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.accounts.conftest import unique

from observatoire.settings import Settings

CALL_PILOT = "Communauté d'agglomération de Lens-Liévin"
LENS_ORG = "CA de Lens-Liévin"
PARTNERS_DOC = "Taux de vacance des communes de la CA de Lens-Liévin"
DEMO = "demo.observatoire-habitat.fr"


def _signed_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _demo_user(local: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=f"{local}@{DEMO}")


def _member(organisation: str, role: str, *scope: str) -> Client:
    from observatoire.accounts import provisioning

    return _signed_in(provisioning.create_user(unique(role), organisation, role, list(scope)).user)


def _invite(c: Client, **fields: Any) -> Any:
    return c.post("/compte/invitations/", {"role": "contributeur", **fields})


def test_animateur_invites_only_into_organisations_of_their_scope(web: Settings) -> None:
    from observatoire.accounts.models import Invitation, Organisation

    lot = _signed_in(_demo_user("animateur.lot"))
    form = lot.get("/compte/invitations/").content.decode()
    assert "Département du Lot" in form and "Lens-Liévin" not in form
    call = Organisation.objects.get(name=CALL_PILOT)
    email = unique("intrus")
    mail.outbox.clear()

    chosen = _invite(lot, email=email, organisation=call.pk, territories="DEP:46")
    assert chosen.status_code == 400
    assert f"Organisation n° {call.pk} hors de votre périmètre" in chosen.content.decode()
    # The same organisation typed as a "new" one is the same organisation.
    named = _invite(
        lot, email=email, new_organisation=CALL_PILOT, kind="epci", territories="DEP:46"
    )
    assert named.status_code == 400
    assert "existe déjà et n&#x27;est pas de votre périmètre" in named.content.decode()
    # Nor a scope outside the animateur's own, even into their own organisation.
    own = Organisation.objects.get(name="Département du Lot")
    wider = _invite(lot, email=email, organisation=own.pk, territories="EPCI:246200364")
    assert wider.status_code == 400 and "Hors de votre périmètre : EPCI:246200364" in (
        wider.content.decode()
    )
    assert not Invitation.objects.filter(email=email).exists() and mail.outbox == []

    # Inside the scope, an existing organisation or a new one: invited.
    assert _invite(lot, email=email, organisation=own.pk, territories="DEP:46").status_code == 302
    other = unique("cahors")
    created = _invite(
        lot, email=other, new_organisation=f"Ville de Cahors {other}", kind="commune",
        territories="COM:46042",
    )  # fmt: skip
    assert created.status_code == 302
    new_org = Invitation.objects.get(email=other).organisation
    assert new_org.territory is not None and new_org.territory.id == "COM:46042"
    assert len(mail.outbox) == 2


def test_member_whose_scope_is_elsewhere_gets_no_rights_of_the_organisation(
    web: Settings,
) -> None:
    """The account the attack produced: in the CALL's organisation, scope DEP:46."""
    from observatoire.plans.models import Action

    action = Action.objects.get(
        number="1-1", actors__organisation__name=CALL_PILOT, actors__role="pilote"
    )
    url = f"/plans/{action.plan_id}/actions/1-1/etat/"
    intruder = _member(CALL_PILOT, "contributeur", "DEP:46")
    before = action.status
    refused = intruder.post(url, {"status": "abandonnee", "comment": "intrusion"})
    assert refused.status_code == 403
    action.refresh_from_db()
    assert (
        action.status == before and not action.status_history.filter(comment="intrusion").exists()
    )
    # The CALL's own contributeur (scope: the CA) still updates its action.
    pilot = _signed_in(_demo_user("contributeur.lens"))
    assert pilot.post(url, {"status": "abandonnee", "comment": "pilote"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "abandonnee"


def test_member_whose_scope_is_elsewhere_cannot_version_the_organisations_document(
    web: Settings,
) -> None:
    from observatoire.exchange.models import Document

    document = Document.objects.get(title=PARTNERS_DOC, is_demo=True)
    url = f"/echanges/documents/{document.pk}/nouvelle-version/"
    versions = document.versions.count()
    intruder = _member(LENS_ORG, "contributeur", "DEP:46")
    upload = SimpleUploadedFile("intrusion.txt", b"Version de l'intrus.\n", "text/plain")
    refused = intruder.post(url, {"file": upload, "note": "intrusion"})
    assert refused.status_code == 403
    assert document.versions.count() == versions
    # A writer of the same organisation on its territory still may.
    assert _member(LENS_ORG, "contributeur", "EPCI:246200364").get(url).status_code == 200


def test_member_whose_scope_is_elsewhere_does_not_see_the_organisations_uploads(
    web: Settings,
) -> None:
    from observatoire.accounts.models import Organisation
    from observatoire.contributions.models import Upload, UploadRow

    upload = Upload.objects.create(
        file_name="projets-lens-intrusion.csv",
        source="dépôt de la CA",
        organisation=Organisation.objects.get(name=CALL_PILOT),
    )
    UploadRow.objects.create(
        upload=upload, template="projets", sheet="Projets", line=2, territory="COM:62498",
        name="Opération de Lens", dwellings=12, product="plus", year=2027, stage="financee",
    )  # fmt: skip
    intruder = _member(CALL_PILOT, "contributeur", "DEP:46")
    listing = intruder.get("/contributions/depots/")
    assert listing.status_code == 200
    assert "projets-lens-intrusion.csv" not in listing.content.decode()
    assert intruder.get(f"/contributions/depots/{upload.pk}/").status_code == 403
    member = _member(CALL_PILOT, "contributeur", "EPCI:246200364")
    assert "projets-lens-intrusion.csv" in member.get("/contributions/depots/").content.decode()
    assert member.get(f"/contributions/depots/{upload.pk}/").status_code == 200
