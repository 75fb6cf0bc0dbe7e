"""The demo's EPCI contributeur belongs to the pilot of the CALL PLH actions: it can update
them, and not the actions of the Lot PD2H."""

from __future__ import annotations

from observatoire.settings import Settings


def test_demo_contributeur_of_lens_pilots_the_call_plh(web: Settings) -> None:
    from django.contrib.auth import get_user_model

    from observatoire.plans.models import Action
    from observatoire.plans.permissions import can_edit_action

    user = get_user_model().objects.get(username="contributeur.lens@demo.observatoire-habitat.fr")
    call = Action.objects.filter(plan__territory="EPCI:246200364", plan__type="PLH", number="1-1")
    lot = Action.objects.filter(plan__territory="DEP:46", number="1")
    assert call.exists() and lot.exists()
    assert can_edit_action(user, call.first())
    assert not can_edit_action(user, lot.first())
