"""The status of a figure, one vocabulary from the source readers to the JSON API.

A `StrEnum`, so that the values stored in the warehouse and the cube, written in JSON and
compared in templates stay the plain strings they have always been. It sits outside the
layers (like `observatoire.problems`) because the territories and sources layers, below
the indicators, already set statuses."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    OK = "ok"
    SECRET = "secret"
    MISSING = "missing"
    ESTIMATED = "estimated"
    # Not computable at this scale without inventing a figure (set by aggregation only).
    UNAVAILABLE = "unavailable"


# Worst first: a sum is as good as its worst part.
WORST_FIRST = (Status.SECRET, Status.MISSING, Status.UNAVAILABLE, Status.ESTIMATED, Status.OK)

# A figure with one of these statuses may be shown and used in a computation.
VISIBLE = (Status.OK, Status.ESTIMATED)

# What a source reader may give: `unavailable` only arises when aggregating.
OBSERVED = (Status.OK, Status.SECRET, Status.MISSING, Status.ESTIMATED)

# What each status means for the reader: the tooltips of the pages, the catalog page and
# the "Métadonnées" sheet of the downloads say the same words.
EXPLANATIONS = {
    Status.OK: "valeur calculée à partir de la source",
    Status.ESTIMATED: "valeur estimée (par exemple commune scindée depuis le millésime de la source)",
    Status.SECRET: "secret statistique : valeur non diffusée",
    Status.MISSING: "pas de donnée (source non chargée, commune absente ou non couverte)",
    Status.UNAVAILABLE: "non calculable à cette échelle sans inventer un chiffre",
}

# A status as the pages show it next to a value ("" for a plain value).
LABELS = {
    Status.OK: "",
    Status.ESTIMATED: "estimé",
    Status.SECRET: "secret statistique",
    Status.MISSING: "non disponible",
    Status.UNAVAILABLE: "non disponible",
}
