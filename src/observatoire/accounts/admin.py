"""The Django admin in French for the observatoire's administrators: organisations,
users with their profile (role, territories), API tokens and the audit log (read only).
Role and territory changes made here are logged like any other (signals.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from observatoire.accounts.models import ApiToken, AuditEvent, Invitation, Organisation, Profile

admin.site.site_header = "Observatoire de l'habitat — administration"
admin.site.site_title = "Administration de l'observatoire"
admin.site.index_title = "Comptes, organisations et contenus"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "territory")
    list_filter = ("kind",)
    search_fields = ("name", "territory")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = "profil (organisation, rôle, territoires)"
    fk_name = "user"


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class ObservatoireUserAdmin(UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "email", "role", "organisation", "is_active", "last_login")
    list_select_related = ("profile", "profile__organisation")
    list_filter = ("is_active", "profile__role", "profile__organisation__kind")

    @admin.display(description="rôle")
    def role(self, obj: Any) -> str:
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile is not None else "—"

    @admin.display(description="organisation")
    def organisation(self, obj: Any) -> str:
        profile = getattr(obj, "profile", None)
        return str(profile.organisation) if profile is not None and profile.organisation else "—"


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly):
    """Keys are never stored: a token is created by its owner (« Mon compte ») or by
    `observatoire user create`; an administrator may revoke (delete) one."""

    list_display = ("user", "label", "created", "last_used")
    search_fields = ("user__username", "label")
    exclude = ("digest",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ("at", "action", "actor", "target", "ip")
    list_filter = ("action",)
    search_fields = ("target", "actor__username", "ip")
    date_hierarchy = "at"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ("email", "organisation", "role", "invited_by", "created", "accepted")
    search_fields = ("email", "organisation__name")
