"""What the apps call a source and an aggregation rule, in French: the sources' own
registry (`SourceInfo.label`, `producer`) and the catalog's labels, so that no page shows
`insee_rp_logement` or `weighted_mean`."""

from __future__ import annotations

from observatoire import sources
from observatoire.indicators.catalog import ABSENT_LABELS, AGGREGATION_LABELS, Indicator


def source_label(code: str) -> str:
    """ "Recensement de la population, logement (base communale chiffres clés), INSEE";
    the code itself for a source the registry does not know (never an error on a page)."""
    try:
        info = sources.get(code)
    except sources.UnknownSourceError:
        return code
    producer = info.producer.split(",")[0].strip()
    return info.label if not producer or producer in info.label else f"{info.label}, {producer}"


def aggregation_label(code: str) -> str:
    return AGGREGATION_LABELS.get(code, code)


def absent_label(code: str) -> str:
    return ABSENT_LABELS.get(code, code)


def recipes(indicator: Indicator) -> list[dict[str, object]]:
    """Each recipe of an indicator as a page shows it: rule, sources, absent communes."""
    return [
        {
            "aggregation": aggregation_label(r.aggregation),
            "sources": [source_label(s) for s in r.sources],
            "absent": absent_label(r.absent) if r.absent != "missing" else "",
        }
        for r in indicator.recipes
    ]
