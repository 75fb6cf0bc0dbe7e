from django.urls import path

from observatoire.plans import (
    views,
    views_edit,
    views_objectives,
    views_reports,
    views_tables,
    views_workbook,
)

app_name = "plans"

ACTION = "<int:plan_id>/actions/<str:number>/"

urlpatterns: list = [
    path("", views.index, name="index"),
    path("importer/", views_workbook.import_workbook, name="import"),
    path("<int:plan_id>/export.xlsx", views_workbook.export_workbook, name="export"),
    path("<int:plan_id>/", views.plan, name="plan"),
    path("<int:plan_id>/actions/", views_tables.actions, name="actions"),
    path("<int:plan_id>/calendrier/", views_tables.gantt, name="gantt"),
    path("<int:plan_id>/objectifs/", views_objectives.objectives, name="objectives"),
    path("<int:plan_id>/objectifs/carte/", views_objectives.objectives_map, name="objectives_map"),
    path("<int:plan_id>/operations/", views_edit.operations, name="operations"),
    path("<int:plan_id>/operations/ajouter/", views_edit.operation_add, name="operation_add"),
    path(ACTION, views.action, name="action"),
    path(ACTION + "modifier/", views_edit.action_edit, name="action_edit"),
    path(ACTION + "etat/", views_edit.action_status, name="action_status"),
    path(ACTION + "budget/", views_edit.action_budget, name="action_budget"),
    path(ACTION + "jalons/<int:milestone_id>/", views_edit.milestone_status, name="milestone"),
    path(
        ACTION + "indicateurs/<int:indicator_id>/",
        views_edit.indicator_entry,
        name="indicator_entry",
    ),
    # Printable outputs: fiches de suivi, bilan annuel, photographie au 31/12.
    path(ACTION + "fiche/", views_reports.fiche_action, name="fiche_action"),
    path(
        "<int:plan_id>/suivi/communes/<str:commune>/",
        views_reports.fiche_commune,
        name="fiche_commune",
    ),
    path("<int:plan_id>/bilan/", views_reports.bilan_latest, name="bilans"),
    path("<int:plan_id>/bilan/<int:year>/", views_reports.bilan, name="bilan"),
    path("<int:plan_id>/bilan/<int:year>/pdf/", views_reports.bilan_pdf, name="bilan_pdf"),
    path("<int:plan_id>/bilan/<int:year>/xlsx/", views_reports.bilan_xlsx, name="bilan_xlsx"),
    path(
        "<int:plan_id>/bilan/<int:year>/photographie/",
        views_reports.bilan_snapshot,
        name="bilan_snapshot",
    ),
]
