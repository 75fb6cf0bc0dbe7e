from django.urls import path

from observatoire.plans import views, views_edit, views_objectives, views_tables

app_name = "plans"

ACTION = "<int:plan_id>/actions/<str:number>/"

urlpatterns: list = [
    path("", views.index, name="index"),
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
]
