"""The declaration form (issue #13 §2), for administrators: it writes the same TOML as
`observatoire sources declare` reads and registers it through the same checks; while a
problem remains, every one is shown with its key and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from observatoire.accounts import audit
from observatoire.accounts.models import AuditEvent
from observatoire.accounts.permissions import role_of
from observatoire.accounts.refusals import forbidden
from observatoire.contributions import declaration_form as form
from observatoire.figures.declared import SourceError, declaration_text
from observatoire.indicators.declared import register
from observatoire.settings import active

NOT_ALLOWED = "La déclaration d'une source est réservée aux administrateurs de l'observatoire."
FILE = "formulaire"


@dataclass(frozen=True)
class Input:
    key: str
    label: str
    value: str
    choices: tuple[str, ...] = ()
    kind: str = "text"  # text | date | textarea


SCALARS = (
    ("source", "Source", (
        ("name", "Nom court (minuscules, chiffres et _ : nom du dossier et de la commande d'import)"),
        ("label", "Libellé"), ("producer", "Producteur"), ("description", "Description"),
        ("url", "Adresse de la page du producteur (facultative)"),
    )),
    ("convention", "Convention", (
        ("reference", "Référence de la convention"), ("end", "Date de fin"),
        ("diffusion", "Diffusion exigée par le producteur"),
    )),
    ("territory", "Territoire", (
        ("column", "Colonne du code du territoire"), ("level", "Niveau"),
    )),
    ("year", "Année (l'une ou l'autre)", (
        ("column", "Colonne de l'année"), ("millesime", "ou millésime fixe"),
    )),
    ("secrecy", "Secret", (("threshold", "Seuil de secret (facultatif)"),)),
    ("file", "Fichier", (
        ("separator", "Séparateur"), ("secret", "Marqueurs de secret (séparés par des virgules)"),
    )),
)  # fmt: skip
VARIABLE = (
    ("name", "Nom de la colonne (MAJUSCULES)"), ("label", "Libellé"), ("type", "Type"),
    ("unit", "Unité"), ("absent", "Commune absente du fichier"),
)  # fmt: skip
INDICATOR = (
    ("code", "Code"), ("label", "Libellé"), ("theme", "Thème"), ("definition", "Définition"),
    ("unit", "Unité"), ("aggregation", "Agrégation"), ("variable", "Variable (somme)"),
    ("numerator", "Numérateur (rapport)"), ("denominator", "Dénominateur (rapport)"),
    ("factor", "Facteur (100 pour un %)"), ("decimals", "Décimales"),
    ("diffusion", "Diffusion (facultative, jamais plus large que la source)"),
)  # fmt: skip


def _input(key: str, short: str, label: str, values: dict[str, str]) -> Input:
    choices = form.CHOICES.get(key) or form.CHOICES.get(short) or ()
    kind = "date" if key == "convention.end" else "textarea" if short in (
        "description", "definition") else "text"  # fmt: skip
    return Input(key, label, values.get(key, ""), tuple(choices), kind)


def _layout(values: dict[str, str]) -> dict[str, Any]:
    sections = [
        (title, [_input(f"{s}.{k}", k, label, values) for k, label in keys])
        for s, title, keys in SCALARS
    ]

    def rows(kind: str, keys: tuple[tuple[str, str], ...], spare: int) -> list[list[Input]]:
        return [
            [_input(f"{kind}[{i}].{k}", k, label, values) for k, label in keys]
            for i in range(1, form.row_count(values, kind, spare) + 1)
        ]

    return {
        "sections": sections,
        "variables": rows("variable", VARIABLE, 2),
        "indicators": rows("indicator", INDICATOR, 1),
    }


def _page(request: HttpRequest, values: dict[str, str], **context: Any) -> HttpResponse:
    context.update(_layout(values), title="Déclarer une source", file=FILE)
    return render(request, "contributions/declaration_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) != "admin":
        return forbidden(request, NOT_ALLOWED)
    if request.method != "POST":
        text = declaration_text(request.GET.get("source", ""))
        return _page(request, form.initial(text) if text else {})
    data = form.declaration({k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"})
    text = form.toml(data)
    try:
        decl, indicators, replaced = register(active(), text, FILE)
    except SourceError as exc:
        # Shown again from what was understood: the rows are numbered as in the problems.
        return _page(request, form.initial(text), problems=exc.problems)
    audit.record(
        AuditEvent.Action.IMPORT,
        f"déclaration de la source {decl.name}",
        {"remplace": replaced, "indicateurs": sorted(indicators)},
        request=request,
    )
    messages.success(
        request,
        f"Source « {decl.label} » déclarée ({'déclaration remplacée' if replaced else 'nouvelle'}"
        f") : {', '.join(sorted(indicators))}. Ses fichiers s'importent ci-dessous.",
    )
    return redirect("contributions:declared")
