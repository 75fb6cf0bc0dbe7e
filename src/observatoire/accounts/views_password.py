"""Password reset by e-mail and password change: Django's views with French DSFR
templates (the link in the e-mail is single-use and expires, PASSWORD_RESET_TIMEOUT)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.urls import reverse_lazy
from dsfr.forms import DsfrBaseForm


class ResetForm(PasswordResetForm, DsfrBaseForm):
    pass


class NewPasswordForm(SetPasswordForm, DsfrBaseForm):
    pass


class ChangeForm(PasswordChangeForm, DsfrBaseForm):
    pass


password_reset = auth_views.PasswordResetView.as_view(
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
