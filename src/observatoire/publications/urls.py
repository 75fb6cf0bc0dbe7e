from django.urls import path

from observatoire.publications import views, views_reports

app_name = "publications"

urlpatterns = [
    path("fiches/<str:territory_id>.pdf", views.fiche_view, name="fiche"),
    path("rapports/<str:territory_id>/", views_reports.report_view, name="report"),
    path("cinq-minutes/<str:territory_id>/", views_reports.deck_view, name="deck"),
]
