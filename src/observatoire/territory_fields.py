"""Model fields for territories, shared by the web apps (outside `observatoire.web`, the
project that includes the apps, so that no import cycle forms). The database keeps the text id (`EPCI:246200364`, as
before these fields existed); Python code only ever sees `Territory` values.

Assigning a text id to a model attribute parses it at once (a descriptor), so that an
object built with `territory="COM:62498"` reads back a Territory before being saved,
exactly as one loaded from the database."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, overload

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from observatoire.territories import Territory, TerritoryError

ID_MAX_LENGTH = 40
LIST_HELP = (
    "Identifiants séparés par des virgules ou des espaces : EPCI:246200364, COM:62498, DEP:62."
)


def as_territory(value: Any) -> Territory | None:
    """A Territory from a Territory, a text id or nothing (None, "")."""
    if value is None or isinstance(value, Territory):
        return value
    if isinstance(value, str):
        return Territory.parse(value) if value.strip() else None
    raise TerritoryError(f"Territoire illisible : {value!r}.")


def as_territories(value: Any) -> list[Territory]:
    """Territories, in order and once each, from Territories or text ids."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = split_ids(value)
    out: list[Territory] = []
    for item in value:
        t = as_territory(item)
        if t is not None and t not in out:
            out.append(t)
    return out


def split_ids(raw: str) -> list[str]:
    """Ids separated by commas, semicolons or spaces, or a JSON list of ids (what the
    admin showed when these lists were plain JSON fields)."""
    text = raw.strip()
    if text.startswith("["):
        try:
            found = json.loads(text)
        except ValueError:
            raise TerritoryError(f"Liste de territoires illisible : {text}") from None
        if isinstance(found, list):
            return [str(p) for p in found]
    return [p for p in re.split(r"[\s,;]+", text) if p]


def _lookup_id(value: Any) -> Any:
    """The stored text of a lookup value; a text that is no territory id is looked up
    as is (it matches nothing) rather than raising in a filter built from user input."""
    if isinstance(value, Territory):
        return value.id
    if isinstance(value, str):
        try:
            return Territory.parse(value).id if value.strip() else ""
        except TerritoryError:
            return value
    return value


class _TerritoryAttribute(DeferredAttribute):
    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = as_territory(value)


class _TerritoriesAttribute(DeferredAttribute):
    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = as_territories(value)


class TerritoryFormField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Identifiant NIVEAU:CODE, par exemple EPCI:246200364.")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.id if isinstance(value, Territory) else value

    def run_validators(self, value: Any) -> None:
        super().run_validators(value.id if isinstance(value, Territory) else value)

    def to_python(self, value: Any) -> Territory | None:
        try:
            return as_territory(super().to_python(value))
        except TerritoryError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class TerritoriesFormField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", LIST_HELP)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(t.id if isinstance(t, Territory) else str(t) for t in value)
        return value

    def to_python(self, value: Any) -> list[Territory]:
        try:
            return as_territories(super().to_python(value))
        except TerritoryError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class TerritoryField(models.CharField):
    """One territory, stored as its text id; blank reads back as None."""

    description = "Territoire (NIVEAU:CODE)"
    descriptor_class = _TerritoryAttribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", ID_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    if TYPE_CHECKING:  # what mypy sees on model instances (the descriptor does the work)

        @overload
        def __get__(self, instance: None, owner: Any) -> TerritoryField: ...
        @overload
        def __get__(self, instance: models.Model, owner: Any) -> Territory: ...
        def __get__(self, instance: Any, owner: Any) -> Any: ...
        def __set__(self, instance: Any, value: Territory | str | None) -> None: ...

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Territory | None:
        return as_territory(value)

    def to_python(self, value: Any) -> Territory | None:
        try:
            return as_territory(value)
        except TerritoryError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def run_validators(self, value: Any) -> None:
        super().run_validators(value.id if isinstance(value, Territory) else value)

    def get_prep_value(self, value: Any) -> Any:
        value = _lookup_id(value)
        if value is None and not self.null:
            return ""
        return value

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return value.id if isinstance(value, Territory) else ""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": TerritoryFormField, **kwargs})


class TerritoryListField(models.JSONField):
    """Several territories, stored as a JSON list of text ids; reads back as a list of
    Territory (empty when none)."""

    description = "Territoires (liste de NIVEAU:CODE)"
    descriptor_class = _TerritoriesAttribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    if TYPE_CHECKING:

        @overload
        def __get__(self, instance: None, owner: Any) -> TerritoryListField: ...
        @overload
        def __get__(self, instance: models.Model, owner: Any) -> list[Territory]: ...
        def __get__(self, instance: Any, owner: Any) -> Any: ...
        def __set__(self, instance: Any, value: Iterable[Territory | str]) -> None: ...

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        loaded = super().from_db_value(value, expression, connection)
        # A key transform (`territories__0`) reads one id, not a list.
        return as_territory(loaded) if isinstance(loaded, str) else as_territories(loaded)

    def to_python(self, value: Any) -> list[Territory]:
        try:
            return as_territories(value)
        except TerritoryError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Iterable) and not isinstance(value, str | dict):
            value = [_lookup_id(t) for t in value]
        else:
            value = _lookup_id(value)
        return super().get_prep_value(value)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate([t.id for t in as_territories(value)], model_instance)

    def value_to_string(self, obj: models.Model) -> Any:
        return [t.id for t in self.value_from_object(obj)]

    def formfield(self, **kwargs: Any) -> Any:
        return models.Field.formfield(self, **{"form_class": TerritoriesFormField, **kwargs})
