from django.urls import path

from observatoire.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("territoires/<str:territory_id>/", views.territory, name="territory"),
    path("indicateurs/", views.indicators, name="indicators"),
    path("indicateurs/<slug:code>/", views.indicator, name="indicator"),
]
