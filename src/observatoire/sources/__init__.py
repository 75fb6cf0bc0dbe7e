"""National sources: one module per producer file family (schema + reader, nothing else)."""

from __future__ import annotations

import importlib

from observatoire.errors import UnknownSourceError
from observatoire.settings import Settings
from observatoire.sources import declared
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
    "copro_fragiles": "copro_fragiles",
}


def national() -> list[str]:
    return list(_MODULES)


def names(settings: Settings | None = None) -> list[str]:
    """National sources, then those declared in the data dir (default: the active one)."""
    return [*_MODULES, *(n for n in declared.registered(settings) if n not in _MODULES)]


def get(name: str, settings: Settings | None = None) -> SourceInfo:
    """The source declared under `name` (a national module, else a declaration of the data
    dir); UnknownSourceError (French message) otherwise."""
    if name not in _MODULES:
        found = declared.registered(settings).get(name)
        if found is not None:
            return declared.source_info(found)
        raise UnknownSourceError(
            f"Source « {name} » inconnue. Sources disponibles : {', '.join(names(settings))}."
        )
    module = importlib.import_module(f"observatoire.sources.{_MODULES[name]}")
    info: SourceInfo = module.SOURCE
    return info


__all__ = ["Batch", "Problem", "SourceError", "SourceInfo", "UnknownSourceError", "get", "names"]
