from django.urls import path

from observatoire.publications import views

app_name = "publications"

urlpatterns = [
    path("fiches/<str:territory_id>.pdf", views.fiche_view, name="fiche"),
    path("lots/", views.batches, name="batches"),
    path("lots/<str:territory_id>/", views.batch, name="batch"),
    path("lots/<str:territory_id>/etat.json", views.batch_status, name="batch_status"),
    path("lots/<str:territory_id>/fiches.zip", views.batch_zip, name="batch_zip"),
]
