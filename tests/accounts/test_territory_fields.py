"""TerritoryField and TerritoryListField: the text id in the database, a Territory in
Python, lookups by Territory or text, French form errors."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from observatoire.settings import Settings
from observatoire.territories import Territory, TerritoryError

LENS = Territory.parse("EPCI:246200364")


def test_territory_field_stores_the_id_and_reads_a_territory(web: Settings) -> None:
    from observatoire.accounts.models import Organisation

    org = Organisation.objects.create(
        name=f"Org {uuid.uuid4().hex[:8]}", territory="epci:246200364"
    )
    assert org.territory == LENS  # parsed on assignment, before any save
    with connection.cursor() as cursor:
        cursor.execute("SELECT territory FROM accounts_organisation WHERE id = %s", [org.pk])
        assert cursor.fetchone()[0] == "EPCI:246200364"
    assert Organisation.objects.get(pk=org.pk).territory == LENS
    assert Organisation.objects.filter(pk=org.pk, territory=LENS).exists()
    assert Organisation.objects.filter(pk=org.pk, territory="EPCI:246200364").exists()
    assert not Organisation.objects.filter(pk=org.pk, territory="pas un territoire").exists()
    blank = Organisation.objects.create(name=f"Org {uuid.uuid4().hex[:8]}")
    assert Organisation.objects.get(pk=blank.pk).territory is None
    with pytest.raises(TerritoryError):
        Organisation(name="x", territory="EPCI:12")


def test_territory_list_field_and_its_form_field(web: Settings) -> None:
    from observatoire.accounts.models import Invitation, Organisation

    org = Organisation.objects.create(name=f"Org {uuid.uuid4().hex[:8]}")
    inv = Invitation.objects.create(
        email="x@exemple.fr", organisation=org, role="lecteur", territories=["COM:62498", LENS]
    )
    assert Invitation.objects.get(pk=inv.pk).territories == [Territory.parse("COM:62498"), LENS]
    field = Invitation._meta.get_field("territories").formfield()
    assert field.clean('["COM:62498", "EPCI:246200364"]') == [Territory.parse("COM:62498"), LENS]
    assert field.clean("COM:62498, EPCI:246200364") == [Territory.parse("COM:62498"), LENS]
    assert field.prepare_value([LENS]) == "EPCI:246200364"
    with pytest.raises(ValidationError, match="invalide pour le niveau"):
        field.clean("EPCI:12")
    one = Organisation._meta.get_field("territory").formfield()
    assert one.clean("EPCI:246200364") == LENS
    with pytest.raises(ValidationError, match="illisible"):
        one.clean("Lens")
