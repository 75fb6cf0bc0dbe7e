"""Sign-in, sign-out and the user's own page (organisation, role, territories, API
tokens). Invitations and password reset live in views_invitations.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from observatoire import figures
from observatoire.accounts import access_requests, audit
from observatoire.accounts.forms import LoginForm, TokenForm
from observatoire.accounts.models import ApiToken
from observatoire.accounts.permissions import profile_of, role_of
from observatoire.territories import Territory


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}  # noqa: RUF012


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET): a link cannot sign anybody out."""

    template_name = "accounts/logged_out.html"
    extra_context = {"title": "Déconnexion"}  # noqa: RUF012


def _territories(scope: list[Territory]) -> list[dict[str, str]]:
    ref = figures.referential()
    return [
        {"id": t.id, "name": ref.name(t) if ref.exists(t) else "territoire inconnu"} for t in scope
    ]


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    prof = profile_of(request.user)
    role = role_of(request.user)
    context: dict[str, Any] = {
        "title": "Mon compte",
        "profile": prof,
        "role_label": prof.get_role_display() if prof is not None else "",
        "role": role,
        "territories": _territories(prof.territories if prof is not None else []),
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created"),
        "token_form": TokenForm(),
        "new_key": request.session.pop("new_token_key", None),
        "unseen_answers": access_requests.unseen_answers(request.user),
        "pending_to_decide": len(access_requests.pending_for(request.user)),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    label = form.cleaned_data["label"] if form.is_valid() else ""
    token, key = ApiToken.issue(request.user, label=label)
    audit.record(audit.Action.JETON, f"jeton #{token.pk}", {"libellé": label}, request=request)
    # Shown once, on the next page only: the database keeps the SHA-256 alone.
    request.session["new_token_key"] = key
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    label = token.label or f"jeton #{token.pk}"
    token.delete()
    messages.success(request, f"Jeton « {label} » révoqué : il ne donne plus accès à l'API.")
    return redirect("accounts:profile")


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> Any:
    """django-axes: too many failed sign-ins for this address from this IP."""
    return render(
        request,
        "accounts/locked_out.html",
        {"title": "Connexion bloquée"},
        status=429,
    )


def attempted_username(request: HttpRequest, credentials: Any = None) -> str:
    """django-axes counts failures per address as typed, whatever its case."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()
