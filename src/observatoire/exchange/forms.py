"""Forms of the exchange pages (DSFR markup, French messages). Uploaded files are checked
in the form (files.check): a refused file is a field error naming it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from observatoire import figures
from observatoire.accounts.models import Organisation
from observatoire.accounts.permissions import can_read
from observatoire.exchange import files
from observatoire.exchange.models import Diffusion, DocumentKind, Theme
from observatoire.settings import active
from observatoire.territories import Territory, TerritoryError
from observatoire.territories.referential import fold

ANY = [("", "Tous")]
TERRITORY_HELP = (
    "Identifiants séparés par des virgules (ex. EPCI:246200364, COM:62498, DEP:62) ou "
    "noms exacts (ex. Arras)."
)


class Form(DsfrBaseForm):
    """DSFR rendering; optional fields are marked (the DSFR recommendation)."""

    def get_context(self) -> dict[str, Any]:
        context: dict[str, Any] = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


def parse_territories(raw: str) -> list[Territory]:
    """Territories from ids or exact names; a French error names the first unknown."""
    ref = figures.referential()
    out: list[Territory] = []
    for token in [t.strip() for t in re.split(r"[,;\n]", raw or "") if t.strip()]:
        try:
            territory = ref.check(Territory.parse(token))
        except TerritoryError:
            matches = [t for t in ref.search(token, limit=10) if fold(ref.name(t)) == fold(token)]
            if len(matches) != 1:
                raise ValidationError(
                    f"Territoire inconnu ou ambigu : « {token} ». Donnez son identifiant "
                    "(ex. EPCI:246200364, COM:62498)."
                ) from None
            territory = matches[0]
        if territory not in out:
            out.append(territory)
    return out


class TerritoriesField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Territoires concernés")
        kwargs.setdefault("help_text", TERRITORY_HELP)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[Territory]:
        return parse_territories(super().clean(value))

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(str(t) for t in value) if isinstance(value, list) else value


def themes_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Thèmes",
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class UploadField(forms.FileField):
    """One file, checked from its bytes; cleaned to a files.Checked."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            f"PDF, DOCX, XLSX, ODT, ODS, CSV, TXT, PNG ou JPEG ; {active().max_upload_mb} Mo "
            "au plus.",
        )
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> files.Checked | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return files.check(upload)
        except files.UploadError as exc:
            raise ValidationError(str(exc)) from None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadsField(UploadField):
    """Several files (answers to a call), each checked."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[files.Checked]:  # type: ignore[override]
        items = data if isinstance(data, list | tuple) else [data] if data else []
        checked = []
        errors = []
        for item in items:
            try:
                found = super().clean(item, initial)
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if found is not None:
                checked.append(found)
        if errors:
            raise ValidationError(errors)
        return checked


class DocumentFilterForm(Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=200,
        help_text="Dans les titres, résumés et le texte des PDF (sans tenir compte des accents)",
    )
    territoire = forms.CharField(
        label="Territoire", required=False, max_length=100, help_text="Identifiant ou nom exact"
    )
    theme = forms.ChoiceField(label="Thème", required=False, choices=ANY + Theme.choices)
    type = forms.ChoiceField(label="Type", required=False, choices=ANY + DocumentKind.choices)

    def clean_territoire(self) -> Territory | None:
        raw = self.cleaned_data.get("territoire", "")
        found = parse_territories(raw)
        if len(found) > 1:
            raise ValidationError("Un seul territoire à la fois.")
        return found[0] if found else None


class DocumentForm(Form):
    title = forms.CharField(label="Titre", max_length=300)
    kind = forms.ChoiceField(label="Type de document", choices=DocumentKind.choices)
    summary = forms.CharField(
        label="Résumé", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    territories = TerritoriesField()
    themes = themes_field()
    date = forms.DateField(
        label="Date du document",
        initial=date.today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    organisation = forms.ModelChoiceField(
        label="Organisation autrice",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="—",
    )
    diffusion = forms.ChoiceField(
        label="Diffusion",
        choices=Diffusion.choices,
        initial=Diffusion.PARTENAIRES,
        widget=forms.RadioSelect,
    )
    file = UploadField(label="Fichier")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("diffusion") == "restreint" and "territories" in cleaned:
            territories = cleaned["territories"]
            if not territories:
                self.add_error(
                    "territories", "Un document restreint doit désigner ses territoires."
                )
            elif not any(can_read(self.user, "restreint", t) for t in territories):
                self.add_error(
                    "territories",
                    "Aucun de ces territoires n'est dans votre périmètre : vous ne pourriez "
                    "pas lire ce document restreint.",
                )
        return cleaned


class VersionForm(Form):
    file = UploadField(label="Nouvelle version du fichier")
    note = forms.CharField(label="Nature de la modification", required=False, max_length=300)


class CallForm(Form):
    title = forms.CharField(label="Titre de l'appel", max_length=300)
    question = forms.CharField(
        label="Question posée aux partenaires", widget=forms.Textarea(attrs={"rows": 6})
    )
    themes = themes_field()
    territories = TerritoriesField()
    deadline = forms.DateField(
        label="Date limite des réponses",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        if deadline < date.today():
            raise ValidationError("La date limite est déjà passée.")
        return deadline


class AnswerForm(Form):
    text = forms.CharField(label="Votre contribution", widget=forms.Textarea(attrs={"rows": 8}))
    attachments = UploadsField(label="Pièces jointes")


class ModerateForm(Form):
    tags = forms.CharField(
        label="Étiquettes",
        required=False,
        max_length=300,
        help_text="Séparées par des virgules (ex. foncier, à citer)",
    )
    hidden = forms.BooleanField(label="Masquer cette réponse", required=False)
    reason = forms.CharField(label="Motif du masquage", required=False, max_length=300)

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "")
        tags: list[str] = []
        for tag in (t.strip() for t in raw.split(",")):
            if tag and tag not in tags:
                tags.append(tag[:40])
        return tags

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("hidden") and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Indiquez le motif du masquage : il est montré à l'auteur.")
        return cleaned


class SynthesisForm(Form):
    synthesis = forms.CharField(
        label="Cahier de synthèse",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Paragraphes séparés par une ligne vide ; une ligne commençant par « # » "
        "devient un titre de partie.",
    )


class DefiForm(Form):
    title = forms.CharField(label="Intitulé du défi", max_length=300)
    question = forms.CharField(
        label="Question posée au réseau", widget=forms.Textarea(attrs={"rows": 6})
    )
    themes = themes_field()
    territories = TerritoriesField()


class DefiAnswerForm(Form):
    text = forms.CharField(label="Votre réponse", widget=forms.Textarea(attrs={"rows": 6}))
