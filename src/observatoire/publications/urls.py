from django.urls import path

from observatoire.publications import views

app_name = "publications"

urlpatterns = [
    path("fiches/<str:territory_id>.pdf", views.fiche_view, name="fiche"),
]
