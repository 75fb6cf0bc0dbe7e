"""Password reset by e-mail and password change: Django's views with French DSFR
templates (the link in the e-mail is single-use and expires, PASSWORD_RESET_TIMEOUT).
Reset mails are throttled per address: a form cannot be used to flood a mailbox."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse_lazy
from dsfr.forms import DsfrBaseForm

# Reset mails for one address, per window (seconds). Counted whether or not an account
# has that address: the answer tells nothing about who is registered.
RESET_LIMIT = 3
RESET_WINDOW = 3600


class ResetForm(PasswordResetForm, DsfrBaseForm):
    pass


class NewPasswordForm(SetPasswordForm, DsfrBaseForm):
    pass


class ChangeForm(PasswordChangeForm, DsfrBaseForm):
    pass


def _reset_allowed(email: str) -> bool:
    """Count one more reset request for `email`; False past RESET_LIMIT. Each request
    restarts the window: a steady trickle stays refused until it stops for an hour."""
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()
    key = f"password-reset:{digest}"
    count = int(cache.get(key, 0)) + 1
    cache.set(key, count, timeout=RESET_WINDOW)
    return count <= RESET_LIMIT


class ThrottledResetView(auth_views.PasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
        email = str(form.cleaned_data["email"])
        if _reset_allowed(email):
            return super().form_valid(form)
        form.add_error(
            "email",
            f"Trop de demandes pour l'adresse « {email} » : {RESET_LIMIT} courriels au plus "
            "par heure. Consultez votre messagerie (et les courriels indésirables), ou "
            "réessayez dans une heure.",
        )
        response = self.form_invalid(form)
        response.status_code = 429
        return response


password_reset = ThrottledResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    form_class=ResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
    extra_context={"title": "Mot de passe oublié"},
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
    extra_context={"title": "Courriel envoyé"},
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=NewPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
    extra_context={"title": "Nouveau mot de passe"},
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
    extra_context={"title": "Mot de passe modifié"},
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    form_class=ChangeForm,
    success_url=reverse_lazy("accounts:password_change_done"),
    extra_context={"title": "Changer mon mot de passe"},
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html",
    extra_context={"title": "Mot de passe modifié"},
)
