"""The API's documentation page, in the portal's frame (DSFR header, a way back), and what
the OpenAPI document says beyond the operations: sections and token authentication."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger


class PortalApi(NinjaAPI):
    DESCRIPTION = (
        "Indicateurs de l'habitat à toutes les échelles, avec source, millésime et statut.\n\n"
        "Les données publiques se lisent sans compte. Les données à diffusion restreinte "
        "demandent un jeton d'API (créé par un administrateur, `observatoire user create`) "
        "envoyé dans l'en-tête `Authorization: Token <clé>` : sans jeton, la réponse est "
        "401 ; hors du périmètre du compte, 403. Toute erreur est un objet JSON "
        '`{"erreur": "…"}` dont le message, en français, dit quoi corriger.'
    )
    EXTRA: ClassVar[dict[str, Any]] = {
        "tags": [
            {"name": "indicateurs", "description": "Le catalogue des indicateurs."},
            {"name": "territoires", "description": "Trouver un territoire et ses référents."},
            {"name": "valeurs", "description": "Séries d'un indicateur, en JSON, CSV ou XLSX."},
            {
                "name": "cartes",
                "description": "Cartes choroplèthes, sites en friche et établissements d'hébergement.",
            },
            {"name": "plans", "description": "Plans (PLH, PDH...), actions et objectifs."},
        ],
        # Anonymous or with a token: every operation answers both (public data to anyone).
        "security": [{}, {"jeton": []}],
    }
    TOKEN_SCHEME: ClassVar[dict[str, Any]] = {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": (
            "Jeton d'API d'un compte : en-tête « Authorization: Token <clé> ». "
            "Facultatif pour les données publiques."
        ),
    }

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        # The token is read by accounts' middleware, not by a ninja auth class (which
        # would make it mandatory): declared here so that clients and the docs know it.
        schema["components"].setdefault("securitySchemes", {})["jeton"] = self.TOKEN_SCHEME
        return schema


class PortalSwagger(Swagger):
    """Swagger UI (served locally by ninja's static files) inside portal/base.html."""

    # With deep links on, Swagger UI puts each operation's path link inside the button
    # that folds the operation: a focusable element inside another (axe
    # "nested-interactive", RGAA 7.1). The URL of an operation is still in the document.
    def __init__(self) -> None:
        super().__init__(settings={"deepLinking": False})

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        url = self.get_openapi_url(api, kwargs)
        context = {
            "title": "Documentation de l'API ouverte",
            "swagger_settings": json.dumps({**self.settings, "url": url}),
            "openapi_url": url,
        }
        return render(request, "portal/api_docs.html", context)
