"""The plans in the Django admin (French labels): a plan is imported from its workbook;
the admin is for corrections and for reading the histories."""

from __future__ import annotations

from django.contrib import admin

from observatoire.plans.models import (
    Action,
    ActionActor,
    ActionIndicator,
    BudgetLine,
    IndicatorEntry,
    Milestone,
    Objective,
    Operation,
    Orientation,
    Plan,
    Snapshot,
    StatusChange,
)


class OrientationInline(admin.TabularInline):
    model = Orientation
    extra = 0
    verbose_name = "orientation"
    verbose_name_plural = "orientations"


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "type", "territory", "start_year", "end_year", "owner")
    list_filter = ("type",)
    search_fields = ("title", "territory")
    inlines = (OrientationInline,)


class ActorInline(admin.TabularInline):
    model = ActionActor
    extra = 0
    raw_id_fields = ("organisation",)
    verbose_name = "acteur"
    verbose_name_plural = "pilotes et partenaires"


class BudgetInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    verbose_name = "ligne budgétaire"
    verbose_name_plural = "budget par année"


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    verbose_name = "jalon"
    verbose_name_plural = "jalons"


class IndicatorInline(admin.TabularInline):
    model = ActionIndicator
    extra = 0
    verbose_name = "indicateur de suivi"
    verbose_name_plural = "indicateurs de suivi"


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ("status", "at", "by", "comment")
    can_delete = False
    verbose_name = "changement d'état"
    verbose_name_plural = "historique de l'état"


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "plan", "orientation", "status")
    list_filter = ("plan", "status")
    search_fields = ("number", "title")
    raw_id_fields = ("parent", "orientation")
    filter_horizontal = ("linked",)
    inlines = (ActorInline, BudgetInline, MilestoneInline, IndicatorInline, StatusChangeInline)


@admin.register(IndicatorEntry)
class IndicatorEntryAdmin(admin.ModelAdmin):
    list_display = ("indicator", "year", "value", "entered_at", "entered_by")
    list_filter = ("indicator__action__plan",)
    readonly_fields = ("entered_at",)


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("plan", "territory", "year", "product", "value", "is_demo")
    list_filter = ("plan", "product", "is_demo")
    search_fields = ("territory",)


@admin.register(Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ("plan", "territory", "year", "product", "dwellings", "stage", "is_demo")
    list_filter = ("plan", "product", "stage", "is_demo")
    search_fields = ("territory", "name")
    readonly_fields = ("created_at", "created_by")


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("plan", "year", "taken_at", "taken_by")
    readonly_fields = ("taken_at", "taken_by", "payload")
