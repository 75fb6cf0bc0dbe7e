"""Audit receivers: sign-ins, failures and sign-outs; changes of a profile's role,
organisation or territories (wherever they are made: pages, Django admin, command line);
deletions of the web apps' records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from observatoire.accounts import audit
from observatoire.accounts.models import ApiToken, AuditEvent, Invitation, Profile

Action = AuditEvent.Action
# Apps whose deletions are logged (the data core keeps its own import history).
AUDITED_APPS = {"auth", "accounts", "plans", "exchange", "contributions"}
NOT_AUDITED = (AuditEvent, Invitation)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(Action.CONNEXION, str(user), actor=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(Action.DECONNEXION, str(user), actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # The credentials are already cleansed by Django (password masked): keep the name only.
    name = str(credentials.get("username", ""))[:150]
    audit.record(Action.ECHEC_CONNEXION, name, {"identifiant": name}, request=request)


def _rights(profile: Profile) -> dict[str, Any]:
    return {
        "rôle": profile.role,
        "organisation": str(profile.organisation) if profile.organisation_id else None,
        "territoires": [t.id for t in profile.territories],
    }


@receiver(pre_save, sender=Profile)
def _profile_before(sender: Any, instance: Profile, **kwargs: Any) -> None:
    old = Profile.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._rights_before = _rights(old) if old is not None else None


@receiver(post_save, sender=Profile)
def _profile_after(sender: Any, instance: Profile, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_rights_before", None)
    after = _rights(instance)
    if before == after:
        return
    audit.record(
        Action.DROITS,
        str(instance.user),
        {"avant": before, "après": after, "création": created},
    )


@receiver(post_delete)
def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    meta = sender._meta
    if meta.app_label not in AUDITED_APPS or isinstance(instance, NOT_AUDITED):
        return
    if isinstance(instance, ApiToken):
        target = f"jeton d'API #{instance.pk} de {instance.user_id}"
    else:
        target = f"{meta.verbose_name} #{instance.pk} : {instance}"
    audit.record(Action.SUPPRESSION, target, {"modèle": meta.label})
