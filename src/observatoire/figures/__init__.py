"""The one door apps use for figures and territories (Django-free).

The apps read values, series and territory names here, and ask whether a `Reader` (the
role and scope they build from their user) may read a figure: out of reach, a figure
comes back as a "restricted" value instead of an exception. Nothing else of the
indicator engine (query, cube) is for the apps."""

from observatoire.figures.coverage import FieldCoverage, LoadedSource, coverage_report
from observatoire.figures.etablissements import CATEGORIES as ETABLISSEMENT_CATEGORIES
from observatoire.figures.etablissements import INDICATOR as ETABLISSEMENTS_INDICATOR
from observatoire.figures.etablissements import Etablissement, Etablissements, etablissements
from observatoire.figures.friches import INDICATOR as FRICHES_INDICATOR
from observatoire.figures.friches import FricheSite, FricheSites, friche_sites
from observatoire.figures.labels import aggregation_label, recipes, source_label
from observatoire.figures.neighbours import Neighbour, Similar, similar
from observatoire.figures.peuplement import LEVELS as PEUPLEMENT_LEVELS
from observatoire.figures.peuplement import Peuplement, peuplement
from observatoire.figures.provenance import SourceOrigin, origins
from observatoire.figures.reader import DIFFUSIONS, PUBLIC, Reader, covers
from observatoire.figures.store import cube, referential
from observatoire.figures.values import (
    RESTRICTED_NOTE,
    Unavailable,
    check,
    communes_of,
    every_series,
    exists,
    main_source,
    read_value,
    read_values,
    restricted,
    series,
    territory_name,
    territory_of_name,
    value,
)
from observatoire.figures.zonages import Zonage, zonages_of
from observatoire.indicators.query import NOT_LOADED, Cube, QueryError, Value, french_number

__all__ = [
    "DIFFUSIONS",
    "ETABLISSEMENTS_INDICATOR",
    "ETABLISSEMENT_CATEGORIES",
    "FRICHES_INDICATOR",
    "NOT_LOADED",
    "PEUPLEMENT_LEVELS",
    "PUBLIC",
    "RESTRICTED_NOTE",
    "Cube",
    "Etablissement",
    "Etablissements",
    "FieldCoverage",
    "FricheSite",
    "FricheSites",
    "LoadedSource",
    "Neighbour",
    "Peuplement",
    "QueryError",
    "Reader",
    "Similar",
    "SourceOrigin",
    "Unavailable",
    "Value",
    "Zonage",
    "aggregation_label",
    "check",
    "communes_of",
    "coverage_report",
    "covers",
    "cube",
    "etablissements",
    "every_series",
    "exists",
    "french_number",
    "friche_sites",
    "main_source",
    "origins",
    "peuplement",
    "read_value",
    "read_values",
    "recipes",
    "referential",
    "restricted",
    "series",
    "similar",
    "source_label",
    "territory_name",
    "territory_of_name",
    "value",
    "zonages_of",
]
