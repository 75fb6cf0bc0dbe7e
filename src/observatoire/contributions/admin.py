from django.contrib import admin

from observatoire.contributions.models import (
    FigureContribution,
    FigureEvent,
    Question,
    Survey,
    Upload,
    UploadRow,
)


class FigureEventInline(admin.TabularInline):
    model = FigureEvent
    extra = 0
    readonly_fields = ("status", "at", "by", "comment")


@admin.register(FigureContribution)
class FigureContributionAdmin(admin.ModelAdmin):
    list_display = ("indicator_code", "territory", "year", "kind", "value", "status", "is_demo")
    list_filter = ("status", "kind", "is_demo")
    search_fields = ("indicator_code", "territory", "source")
    inlines = (FigureEventInline,)


class UploadRowInline(admin.TabularInline):
    model = UploadRow
    extra = 0
    exclude = ("operations",)


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ("pk", "file_name", "organisation", "created_at")
    inlines = (UploadRowInline,)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "is_open", "is_demo")
    inlines = (QuestionInline,)
