from django.urls import path

from observatoire.portal import (
    views,
    views_coverage,
    views_explorer,
    views_legal,
    views_peuplement,
    views_releases,
)

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("territoires/<str:territory_id>/", views.territory, name="territory"),
    path(
        "territoires/<str:territory_id>/peuplement/",
        views_peuplement.peuplement,
        name="peuplement",
    ),
    path("indicateurs/", views.indicators, name="indicators"),
    path("indicateurs/<slug:code>/", views.indicator, name="indicator"),
    path("couverture/", views_coverage.coverage, name="coverage"),
    path("explorer/", views_explorer.explorer, name="explorer"),
    path("comparer/", views_explorer.compare, name="compare"),
    path("accessibilite/", views_legal.accessibility, name="accessibility"),
    path("mentions-legales/", views_legal.legal, name="legal"),
    path("donnees-personnelles/", views_legal.privacy, name="privacy"),
    path("plan-du-site/", views_legal.sitemap, name="sitemap"),
    path("donnees-ouvertes/", views_releases.releases, name="releases"),
    path(
        "donnees-ouvertes/<str:name>/<str:filename>",
        views_releases.release_file,
        name="release_file",
    ),
]
