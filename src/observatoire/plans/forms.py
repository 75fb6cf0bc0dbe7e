"""Forms of the plans' pages: filters of the action table and the pilots' entries
(status, budget, milestones, manual indicator values, operations). Messages in French."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from observatoire.accounts.models import Organisation
from observatoire.plans.models import (
    ActionStatus,
    BudgetLine,
    MilestoneStatus,
    Operation,
    Orientation,
    Plan,
    Product,
)

ANY = [("", "Tous")]


class Form(DsfrBaseForm):
    """DSFR rendering; optional fields are marked (the DSFR recommendation), which also
    keeps django-dsfr from warning at each rendering."""

    def get_context(self) -> dict[str, Any]:
        context: dict[str, Any] = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class ActionFilterForm(Form):
    pilote = forms.ChoiceField(label="Pilote", required=False)
    etat = forms.ChoiceField(label="État", required=False, choices=ANY + ActionStatus.choices)
    orientation = forms.ChoiceField(label="Orientation", required=False)
    territoire = forms.CharField(
        label="Territoire ciblé",
        required=False,
        max_length=100,
        help_text="Nom cherché dans les territoires ciblés et l'intitulé (ex. Liévin)",
    )

    def __init__(
        self,
        *args: Any,
        orientations: Iterable[Orientation] = (),
        pilots: Iterable[Organisation] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["orientation"].choices = ANY + [
            (str(o.pk), f"{o.number}. {o.title[:80]}") for o in orientations
        ]
        self.fields["pilote"].choices = [("", "Tous")] + [(str(o.pk), o.name) for o in pilots]


class StatusForm(Form):
    status = forms.ChoiceField(label="Nouvel état", choices=ActionStatus.choices)
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=500,
        help_text="Ce qui justifie le changement (gardé dans l'historique)",
    )


def _amount(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        error_messages={
            "min_value": "Le montant doit être positif ou nul.",
            "invalid": "Saisissez un montant en euros, sans symbole (ex. 1200000 ou 1200,50).",
        },
        localize=True,
    )


class BudgetForm(Form):
    """Engagé and réalisé of every year of the plan (`engage_2024`, `realise_2024`...);
    an empty field means "not known", never zero."""

    def __init__(self, *args: Any, plan: Plan, lines: Iterable[BudgetLine], **kwargs: Any):
        existing = {b.year: b for b in lines}
        self.years = list(range(plan.start_year, plan.end_year + 1))
        initial = {}
        for y, b in existing.items():
            initial.update({f"engage_{y}": b.engage, f"realise_{y}": b.realise})
            initial[f"comment_{y}"] = b.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.prevu = {y: existing[y].prevu if y in existing else None for y in self.years}
        for y in self.years:
            self.fields[f"engage_{y}"] = _amount(f"Engagé {y}")
            self.fields[f"realise_{y}"] = _amount(f"Réalisé {y}")
            self.fields[f"comment_{y}"] = forms.CharField(
                label=f"Commentaire {y}", required=False, max_length=500
            )
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "year": y,
                "prevu": self.prevu[y],
                "fields": [self[f"{name}_{y}"] for name in ("engage", "realise", "comment")],
            }
            for y in self.years
        ]


class MilestoneForm(Form):
    status = forms.ChoiceField(label="État du jalon", choices=MilestoneStatus.choices)
    done_on = forms.DateField(
        label="Atteint le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Par défaut : aujourd'hui, si le jalon est atteint",
        error_messages={"invalid": "Saisissez une date au format AAAA-MM-JJ."},
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        done_on = data.get("done_on")
        if done_on is not None and done_on > date.today():
            self.add_error("done_on", "La date ne peut pas être dans le futur.")
        if data.get("status") == MilestoneStatus.ATTEINT and done_on is None:
            data["done_on"] = date.today()
        if data.get("status") != MilestoneStatus.ATTEINT:
            data["done_on"] = None
        return data


class IndicatorEntryForm(Form):
    year = forms.TypedChoiceField(label="Année", coerce=int)
    value = forms.DecimalField(
        label="Valeur",
        max_digits=16,
        decimal_places=3,
        localize=True,
        error_messages={"invalid": "Saisissez un nombre (ex. 42 ou 12,5)."},
    )
    source = forms.CharField(label="Source", required=False, max_length=300)
    comment = forms.CharField(label="Commentaire", required=False, max_length=500)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The year before the plan is its starting point.
        years = range(plan.start_year - 1, plan.end_year + 1)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class OperationForm(Form):
    territory = forms.ChoiceField(label="Commune")
    year = forms.TypedChoiceField(label="Année", coerce=int)
    product = forms.ChoiceField(
        label="Produit", choices=[c for c in Product.choices if c[0] != "total"]
    )
    dwellings = forms.IntegerField(
        label="Logements",
        min_value=1,
        max_value=100000,
        error_messages={"min_value": "Le nombre de logements doit être au moins 1."},
    )
    name = forms.CharField(label="Opération", required=False, max_length=300)
    stage = forms.ChoiceField(label="Stade", choices=Operation.Stage.choices)
    source = forms.CharField(label="Source", required=False, max_length=300)

    def __init__(
        self, *args: Any, plan: Plan, communes: Iterable[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = list(communes)
        years = range(plan.start_year, plan.end_year + 1)
        self.fields["year"].choices = [(y, str(y)) for y in years]
