from django.urls import path

from observatoire.plans.views import edit, objectives, public, reports, tables, workbook

app_name = "plans"

ACTION = "<int:plan_id>/actions/<str:number>/"

urlpatterns: list = [
    path("", public.index, name="index"),
    path("importer/", workbook.import_workbook, name="import"),
    path("<int:plan_id>/export.xlsx", workbook.export_workbook, name="export"),
    path("<int:plan_id>/", public.plan, name="plan"),
    path("<int:plan_id>/actions/", tables.actions, name="actions"),
    path("<int:plan_id>/calendrier/", tables.gantt, name="gantt"),
    path("<int:plan_id>/objectifs/", objectives.objectives, name="objectives"),
    path("<int:plan_id>/objectifs/carte/", objectives.objectives_map, name="objectives_map"),
    path("<int:plan_id>/operations/", edit.operations, name="operations"),
    path("<int:plan_id>/operations/ajouter/", edit.operation_add, name="operation_add"),
    path(ACTION, public.action, name="action"),
    path(ACTION + "modifier/", edit.action_edit, name="action_edit"),
    path(ACTION + "etat/", edit.action_status, name="action_status"),
    path(ACTION + "budget/", edit.action_budget, name="action_budget"),
    path(ACTION + "jalons/<int:milestone_id>/", edit.milestone_status, name="milestone"),
    path(
        ACTION + "indicateurs/<int:indicator_id>/",
        edit.indicator_entry,
        name="indicator_entry",
    ),
    # Printable outputs: fiches de suivi, bilan annuel, photographie au 31/12.
    path(ACTION + "fiche/", reports.fiche_action, name="fiche_action"),
    path(
        "<int:plan_id>/suivi/communes/<str:commune>/",
        reports.fiche_commune,
        name="fiche_commune",
    ),
    path("<int:plan_id>/bilan/", reports.bilan_latest, name="bilans"),
    path("<int:plan_id>/bilan/<int:year>/", reports.bilan, name="bilan"),
    path("<int:plan_id>/bilan/<int:year>/pdf/", reports.bilan_pdf, name="bilan_pdf"),
    path("<int:plan_id>/bilan/<int:year>/xlsx/", reports.bilan_xlsx, name="bilan_xlsx"),
    path(
        "<int:plan_id>/bilan/<int:year>/photographie/",
        reports.bilan_snapshot,
        name="bilan_snapshot",
    ),
]
