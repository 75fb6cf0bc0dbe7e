"""Invitations: an administrator (any role, anywhere) or an animateur (contributeurs and
lecteurs, within their own territories) invites an e-mail address; the invitee opens
the signed link (valid Invitation.DAYS days, once) and chooses a password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts import audit, provisioning, refusals
from observatoire.accounts.forms import AcceptInvitationForm, InvitationForm
from observatoire.accounts.models import Invitation, Organisation, Role
from observatoire.accounts.permissions import has_role

SALT = "observatoire.accounts.invitation"


def link_key(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return refusals.forbidden(
        request, "Seuls les administrateurs et les animateurs invitent des partenaires."
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, "animateur"):
        return _forbidden(request)
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        invitation = _create(request, form.cleaned_data)
        messages.success(
            request,
            f"Invitation envoyée à {invitation.email} ; le lien est valable "
            f"{Invitation.DAYS} jours.",
        )
        return redirect("accounts:invite")
    mine = Invitation.objects.select_related("organisation")
    if not has_role(request.user):  # animateurs see the invitations they sent
        mine = mine.filter(invited_by=request.user)
    return render(
        request,
        "accounts/invite.html",
        {
            "title": "Inviter un partenaire",
            "form": form,
            "invitations": mine[:50],
            "days": Invitation.DAYS,
        },
        status=400 if form.errors else 200,
    )


@transaction.atomic
def _create(request: HttpRequest, data: dict[str, Any]) -> Invitation:
    # A new organisation gets the invitation's territory (when it names one): it is
    # then in its animateur's scope, and its members' rights stay bounded there.
    org = data["organisation"] or provisioning.organisation(
        data["new_organisation"], data["kind"] or None, data["territories"]
    )
    invitation = Invitation.objects.create(
        email=data["email"],
        organisation=org,
        role=data["role"],
        territories=data["territories"],
        invited_by=request.user,
    )
    url = request.build_absolute_uri(reverse("accounts:accept", args=[link_key(invitation)]))
    body = render_to_string(
        "accounts/email/invitation.txt",
        {"invitation": invitation, "url": url, "days": Invitation.DAYS, "inviter": request.user},
    )
    send_mail(
        "Invitation à l'observatoire de l'habitat",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )
    audit.record(
        audit.Action.INVITATION,
        invitation.email,
        {
            "organisation": org.name,
            "rôle": invitation.role,
            "territoires": [t.id for t in invitation.territories],
        },
        request=request,
    )
    return invitation


def _pending(key: str) -> Invitation | str:
    """The invitation of a link, or why the link cannot be used (French)."""
    try:
        pk = signing.loads(key, salt=SALT, max_age=Invitation.DAYS * 24 * 3600)
    except signing.SignatureExpired:
        return (
            f"Ce lien d'invitation a expiré (valable {Invitation.DAYS} jours) : demandez une "
            "nouvelle invitation à la personne qui vous a invité."
        )
    except signing.BadSignature:
        return "Ce lien d'invitation n'est pas valide : vérifiez qu'il a été copié en entier."
    invitation = Invitation.objects.filter(pk=pk).select_related("organisation").first()
    if invitation is None:
        return "Cette invitation a été annulée."
    if invitation.accepted is not None:
        return "Cette invitation a déjà servi : connectez-vous avec votre adresse électronique."
    return invitation


def accept(request: HttpRequest, key: str) -> HttpResponse:
    found = _pending(key)
    if isinstance(found, str):
        return refusals.error_page(request, 410, "Invitation inutilisable", found)
    invitation = found
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = _accept(invitation, form.cleaned_data["password1"])
        except provisioning.ProvisioningError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Bienvenue : votre compte est créé et vous êtes connecté.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/accept.html",
        {
            "title": "Créer mon compte",
            "invitation": invitation,
            "role_label": Role(invitation.role).label,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@transaction.atomic
def _accept(invitation: Invitation, password: str) -> Any:
    # Lock the row: two submissions of the same link create one account.
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted is not None:
        raise provisioning.ProvisioningError("Cette invitation a déjà servi.")
    org: Organisation = locked.organisation
    created = provisioning.create_user(
        locked.email, org.name, locked.role, [t.id for t in locked.territories], password=password
    )
    if not created.created:
        raise provisioning.ProvisioningError(
            "Un compte existe déjà pour cette adresse : connectez-vous."
        )
    locked.accepted = timezone.now()
    locked.user = created.user
    locked.save(update_fields=["accepted", "user"])
    return created.user
