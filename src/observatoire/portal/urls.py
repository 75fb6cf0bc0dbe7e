from django.urls import path

from observatoire.portal import views, views_explorer, views_releases

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("territoires/<str:territory_id>/", views.territory, name="territory"),
    path("indicateurs/", views.indicators, name="indicators"),
    path("indicateurs/<slug:code>/", views.indicator, name="indicator"),
    path("explorer/", views_explorer.explorer, name="explorer"),
    path("comparer/", views_explorer.compare, name="compare"),
    path("donnees-ouvertes/", views_releases.releases, name="releases"),
    path(
        "donnees-ouvertes/<str:name>/<str:filename>",
        views_releases.release_file,
        name="release_file",
    ),
]
