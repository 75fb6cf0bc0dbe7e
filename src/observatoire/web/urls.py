from django.contrib import admin
from django.urls import include, path

from observatoire.portal.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("compte/", include("observatoire.accounts.urls")),
    path("plans/", include("observatoire.plans.urls")),
    path("echanges/", include("observatoire.exchange.urls")),
    path("", include("observatoire.portal.urls")),
]

handler404 = "observatoire.portal.views.not_found"
handler500 = "observatoire.portal.views.server_error"
