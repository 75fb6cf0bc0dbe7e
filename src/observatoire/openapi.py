"""What the OpenAPI document of /api/v1 says of errors and territory ids, shared by the
routers of the portal and of the plans (which may not import each other): every refusal
the API sends is documented with its French JSON body, so that generated clients work."""

from __future__ import annotations

from typing import Any

# The canonical ids Territory.parse reads (it also forgives case and spaces, which the
# document does not advertise). Communes of Corsica: 2A004, 2B033.
TERRITORY_PATTERN = (
    r"^(FR|COM:[0-9][0-9AB][0-9]{3}|EPCI:[0-9]{9}|DEP:([0-9]{2,3}|2A|2B)"
    r"|REG:[0-9]{2}|GRP:[a-z0-9]+(-[a-z0-9]+)*)$"
)
TERRITORY_EXAMPLES = ["COM:62498", "EPCI:246200364", "DEP:62", "REG:32", "FR"]
INDICATOR_PATTERN = r"^[a-z][a-z0-9_]{1,59}$"

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Erreur",
    "type": "object",
    "required": ["erreur"],
    "properties": {
        "erreur": {
            "type": "string",
            "description": "Message en français : ce qui est refusé et comment corriger.",
        }
    },
}

_MEANING = {
    400: "Paramètre absent ou invalide (le message nomme le paramètre et la valeur attendue).",
    401: "Donnée à diffusion restreinte : connectez-vous ou envoyez « Authorization: Token <clé> ».",
    403: "Donnée hors du périmètre du compte (rôle ou territoires).",
    404: "Indicateur, territoire, plan ou année inconnu, ou source non chargée.",
    422: "Carte impossible : pas de contour livré pour ce territoire (les fichiers CSV et XLSX le sont).",
    503: "Les chiffres sont en cours de calcul (cube absent) : réessayez plus tard.",
}


def errors(*codes: int) -> dict[str, Any]:
    """An operation's `openapi_extra`: its error responses, each with the French body."""
    return {
        "responses": {
            str(code): {
                "description": _MEANING[code],
                "content": {"application/json": {"schema": ERROR_SCHEMA}},
            }
            for code in codes
        }
    }


def declared(param: Any, pattern: str, examples: list[str]) -> Any:
    """A ninja parameter whose pattern is in the document only: the API still reads
    "com:62498" or "dep:2a" (Territory.parse), and an unknown code is a 404 naming it
    rather than a pattern error. The examples go in the schema: OpenAPI wants a
    parameter's own `examples` as a map."""
    param.json_schema_extra.update(pattern=pattern, examples=examples)
    return param
