from django.urls import path

from observatoire.publications import views, views_commentary, views_follows, views_reports

app_name = "publications"

urlpatterns = [
    path("fiches/<str:territory_id>.pdf", views.fiche_view, name="fiche"),
    path("rapports/<str:territory_id>/", views_reports.report_view, name="report"),
    path("cinq-minutes/<str:territory_id>/", views_reports.deck_view, name="deck"),
    path(
        "commentaires/<str:territory_id>/<slug:theme_slug>/",
        views_commentary.edit,
        name="commentary",
    ),
    path(
        "commentaires/<str:territory_id>/<slug:theme_slug>/restaurer/<int:version>/",
        views_commentary.restore,
        name="commentary_restore",
    ),
    path("suivis/", views_follows.mine, name="follows"),
    path("suivis/suivre/", views_follows.follow, name="follow"),
    path("suivis/<int:pk>/arreter/", views_follows.unfollow, name="unfollow"),
    path("suivis/notifications/lues/", views_follows.read_all, name="notifications_read"),
    path("lots/", views.batches, name="batches"),
    path("lots/<str:territory_id>/", views.batch, name="batch"),
    path("lots/<str:territory_id>/etat.json", views.batch_status, name="batch_status"),
    path("lots/<str:territory_id>/fiches.zip", views.batch_zip, name="batch_zip"),
]
