"""The pages of « demander l'accès » (access_requests.py): the request form the portal's
« accès restreint » cells link to, the page listing the user's requests with their answers
(and, for animateurs and administrators, those they may decide), and the decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from observatoire.accounts import access_requests, provisioning, refusals
from observatoire.accounts.access_requests import REQUESTABLE, AccessError
from observatoire.accounts.models import AccessRequest
from observatoire.accounts.permissions import has_role
from observatoire.indicators.catalog import catalog
from observatoire.territories import Territory


class AccessRequestForm(DsfrBaseForm):
    territory = forms.CharField(
        label="Territoire",
        max_length=40,
        help_text="Identifiant du territoire : COM:62498, EPCI:246200364, DEP:62...",
    )
    diffusion = forms.ChoiceField(
        label="Niveau de diffusion demandé", choices=list(REQUESTABLE.items())
    )
    indicator = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    reason = forms.CharField(
        label="Motif de la demande",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Votre mission et l'usage prévu des données : l'animateur en décide sur cette base.",
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def clean_territory(self) -> Territory:
        try:
            return provisioning.check_territories([str(self.cleaned_data["territory"])])[0]
        except provisioning.ProvisioningError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = str(data.get("indicator") or "").strip()
        if code and catalog().get(code) is None:
            # A hidden field: its error is shown above the form.
            self.add_error(None, f"Indicateur « {code} » inconnu du catalogue.")
        data["indicator"] = code
        return data


class DecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Décision", choices=(("accorder", "Accorder"), ("refuser", "Refuser"))
    )
    answer = forms.CharField(
        label="Réponse au demandeur (obligatoire pour un refus)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _initial(request: HttpRequest) -> dict[str, Any]:
    """The form filled from the « accès restreint » link: territory, indicator (whose
    diffusion level is the one asked for) and the page to go back to."""
    code = request.GET.get("indicateur", "")
    ind = catalog().get(code)
    diffusion = ind.diffusion if ind is not None else request.GET.get("diffusion", "restreint")
    return {
        "territory": request.GET.get("territoire", ""),
        "indicator": code if ind is not None else "",
        "diffusion": diffusion if diffusion in REQUESTABLE else "restreint",
        "next": request.GET.get("suivant", ""),
    }


def _back(request: HttpRequest, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return None


@login_required
def request_access(request: HttpRequest) -> HttpResponse:
    form = AccessRequestForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ind = catalog().get(data["indicator"]) if data["indicator"] else None
        diffusion = ind.diffusion if ind is not None else data["diffusion"]
        try:
            made = access_requests.submit(
                request.user, data["territory"], diffusion, data["reason"], data["indicator"]
            )
        except AccessError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Demande envoyée aux animateurs de "
                f"{access_requests.territory_label(made.territory)} : vous serez prévenu de "
                "leur réponse sur la page « Mes demandes d'accès » et par courriel.",
            )
            return redirect(_back(request, data["next"]) or "accounts:access_requests")
    ind = catalog().get(str(form["indicator"].value() or ""))
    return render(
        request,
        "accounts/access_request.html",
        {"title": "Demander l'accès", "form": form, "indicator": ind},
        status=400 if form.errors else 200,
    )


@login_required
def access_requests_page(request: HttpRequest) -> HttpResponse:
    mine = list(AccessRequest.objects.filter(requester=request.user).select_related("decided_by"))
    unseen = {r.pk for r in mine if not r.seen and r.state != AccessRequest.State.PENDING}
    # Shown once as new: the answers are read now.
    AccessRequest.objects.filter(pk__in=unseen).update(seen=True)
    to_decide = access_requests.pending_for(request.user)
    for r in mine + to_decide:
        r.territory_label = access_requests.territory_label(r.territory)
    return render(
        request,
        "accounts/access_requests.html",
        {
            "title": "Demandes d'accès",
            "mine": mine,
            "unseen": unseen,
            "to_decide": to_decide,
            "decides": has_role(request.user, "animateur"),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def access_decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = AccessRequest.objects.filter(pk=pk).select_related("requester").first()
    if found is None:
        raise Http404("Demande d'accès inconnue.")
    if not access_requests.may_decide(request.user, found):
        return refusals.forbidden(
            request,
            "Seuls les animateurs dont le périmètre couvre ce territoire et les "
            "administrateurs répondent à cette demande d'accès.",
        )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return refusals.bad_request(request, "Choisissez « Accorder » ou « Refuser ».")
    answer = str(form.cleaned_data["answer"])
    try:
        if form.cleaned_data["decision"] == "accorder":
            access_requests.grant(request.user, found, answer)
        else:
            access_requests.refuse(request.user, found, answer)
    except AccessError as exc:
        return refusals.bad_request(request, str(exc))
    except PermissionError:
        return refusals.forbidden(request, "Cette demande n'est plus dans votre périmètre.")
    verdict = "accordée" if form.cleaned_data["decision"] == "accorder" else "refusée"
    messages.success(request, f"Demande de {found.requester} {verdict} ; le demandeur est prévenu.")
    return redirect("accounts:access_requests")
