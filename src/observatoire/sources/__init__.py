"""National sources: one module per producer file family (schema + reader, nothing else)."""

from __future__ import annotations

import importlib

from observatoire.errors import UnknownSourceError
from observatoire.sources.base import Batch, Problem, SourceError, SourceInfo

_MODULES = {
    "insee_rp_logement": "insee_rp",
    "filosofi": "filosofi",
    "dvf": "dvf",
    "dvf_communes": "dvf_communes",
    "lovac": "lovac",
    "sitadel": "sitadel",
    "rpls": "rpls",
    "cartofriches": "cartofriches",
    "populations_legales": "populations_legales",
    "sru": "sru",
    "dpe": "dpe",
    "rnic": "rnic",
    "finess": "finess",
    "sne": "sne",
    "pppi": "pppi",
    "populations_series": "populations_series",
    "surfaces_communes": "surfaces_communes",
    "estimations_population": "estimations_population",
    "zonage_abc": "zonage_abc",
    "zone_tendue": "zone_tendue",
    "taxe_vacance": "taxe_vacance",
    "anct_programmes": "anct_programmes",
    "qpv": "qpv",
    "carte_loyers": "carte_loyers",
    "oll": "oll",
}


def names() -> list[str]:
    return list(_MODULES)


def get(name: str) -> SourceInfo:
    """The source declared under `name`; UnknownSourceError (French message) otherwise."""
    if name not in _MODULES:
        raise UnknownSourceError(
            f"Source « {name} » inconnue. Sources disponibles : {', '.join(_MODULES)}."
        )
    module = importlib.import_module(f"observatoire.sources.{_MODULES[name]}")
    info: SourceInfo = module.SOURCE
    return info


__all__ = ["Batch", "Problem", "SourceError", "SourceInfo", "UnknownSourceError", "get", "names"]
