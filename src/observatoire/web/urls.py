from django.contrib import admin
from django.urls import include, path

from observatoire.plans.api import router as plans_router
from observatoire.portal.api import api
from observatoire.portal.api_maps import router as maps_router
from observatoire.portal.api_points import router as points_router
from observatoire.portal.map_values import router as map_values_router

api.add_router("/plans", plans_router)
api.add_router("", maps_router)
api.add_router("/map", map_values_router)
api.add_router("", points_router)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("compte/", include("observatoire.accounts.urls")),
    path("plans/", include("observatoire.plans.urls")),
    path("echanges/", include("observatoire.exchange.urls")),
    path("contributions/", include("observatoire.contributions.urls")),
    path("publications/", include("observatoire.publications.urls")),
    path("", include("observatoire.portal.urls")),
]

handler404 = "observatoire.portal.views.not_found"
handler500 = "observatoire.portal.views.server_error"
