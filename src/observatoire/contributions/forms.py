"""Forms of the contributions pages (DSFR rendering, French messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm

from observatoire import figures
from observatoire.contributions.models import FigureContribution, Question, Survey, Upload
from observatoire.indicators.catalog import Indicator
from observatoire.territories import Territory, TerritoryError


class Form(DsfrBaseForm):
    """Optional fields are marked (the DSFR recommendation)."""

    def get_context(self) -> dict[str, Any]:
        context: dict[str, Any] = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


def parse_territory(raw: str) -> Territory:
    """A territory of the referential, or a French ValidationError."""

    try:
        t = Territory.parse(raw)
        figures.check(t)
    except TerritoryError as exc:
        raise forms.ValidationError(str(exc)) from None
    return t


class FigureForm(Form):
    indicateur = forms.ChoiceField(label="Indicateur")
    territoire = forms.CharField(
        label="Territoire", max_length=40, help_text="Identifiant, par exemple COM:62498"
    )
    annee = forms.IntegerField(label="Année", min_value=1900, max_value=2100)
    nature = forms.ChoiceField(
        label="Nature",
        choices=FigureContribution.Kind.choices,
        widget=forms.RadioSelect,
        initial=FigureContribution.Kind.CORRECTION,
        help_text="Correction : la valeur officielle vous paraît fausse. Chiffre local : une "
        "donnée que vous produisez (recensement communal, fichier du bailleur...).",
    )
    valeur = forms.DecimalField(label="Valeur proposée", max_digits=18, decimal_places=4)
    unite = forms.CharField(label="Unité", max_length=40, required=False)
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="Qui a produit ce chiffre, quand, comment (obligatoire)",
    )
    commentaire = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in indicators}
        field = self.fields["indicateur"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choisir un indicateur")] + [
            (i.code, f"{i.label} ({i.unit})" if i.unit else i.label) for i in indicators
        ]

    def clean_territoire(self) -> Territory:
        return parse_territory(self.cleaned_data["territoire"])

    def clean_source(self) -> str:
        source = self.cleaned_data["source"].strip()
        if not source:
            raise forms.ValidationError("Indiquez la source du chiffre.")
        return source

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        indicator = self.indicators.get(cleaned.get("indicateur", ""))
        if indicator is not None and not cleaned.get("unite"):
            cleaned["unite"] = indicator.unit
        return cleaned


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("valider", "Valider"), ("rejeter", "Rejeter")],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label="Motif",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un rejet ; transmis à l'auteur dans l'historique",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "rejeter" and not cleaned.get("motif", "").strip():
            self.add_error("motif", "Indiquez le motif du rejet.")
        return cleaned


class UploadForm(Form):
    fichier = forms.FileField(
        label="Fichier (.xlsx ou .csv)",
        help_text="Un classeur avec la feuille « Projets » et/ou « Programmation », ou un "
        "fichier CSV (séparateur point-virgule ou virgule, UTF-8)",
    )
    modele = forms.ChoiceField(
        label="Modèle du fichier CSV",
        choices=Upload.Template.choices,
        initial=Upload.Template.PROJETS,
        required=False,
        help_text="Pour un classeur .xlsx, le modèle se lit dans le nom de la feuille",
    )


class SurveyForm(Form):
    titre = forms.CharField(label="Intitulé", max_length=300)
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    presentation = forms.CharField(
        label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionForm(Form):
    texte = forms.CharField(label="Question", max_length=500, required=False)
    type = forms.ChoiceField(label="Type", choices=Question.Kind.choices)
    choix = forms.CharField(
        label="Choix proposés (un par ligne)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    obligatoire = forms.BooleanField(label="Réponse obligatoire", required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("texte", "").strip()
        choices = [c for c in cleaned.get("choix", "").splitlines() if c.strip()]
        if text and cleaned.get("type") == Question.Kind.CHOIX and len(choices) < 2:
            self.add_error("choix", "Proposez au moins deux choix, un par ligne.")
        return cleaned


QuestionFormSet = forms.formset_factory(QuestionForm, extra=8, max_num=30)


NOTES = [(str(n), str(n)) for n in range(1, 6)]


class AnswerForm(Form):
    """One field per question of the survey: q<id>."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for q in self.questions:
            field: forms.Field
            if q.kind == Question.Kind.NOTE:
                field = forms.TypedChoiceField(
                    choices=NOTES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text="1 : pas du tout satisfait, 5 : très satisfait",
                )
            elif q.kind == Question.Kind.CHOIX:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in q.choice_list()], widget=forms.RadioSelect
                )
            else:
                field = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
            field.label = q.text
            field.required = q.required
            self.fields[f"q{q.pk}"] = field
