from django.urls import path

from observatoire.portal import views, views_coverage, views_explorer

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("territoires/<str:territory_id>/", views.territory, name="territory"),
    path("indicateurs/", views.indicators, name="indicators"),
    path("indicateurs/<slug:code>/", views.indicator, name="indicator"),
    path("couverture/", views_coverage.coverage, name="coverage"),
    path("explorer/", views_explorer.explorer, name="explorer"),
    path("comparer/", views_explorer.compare, name="compare"),
]
