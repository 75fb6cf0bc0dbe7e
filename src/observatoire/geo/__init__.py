"""Territory contours (GeoJSON) for maps: communes, EPCI, départements, régions."""

from observatoire.geo.shapes import (
    Bounds,
    GeoError,
    bounds,
    covered_departements,
    features,
    info,
    national_commune,
    outline,
)

__all__ = [
    "Bounds",
    "GeoError",
    "bounds",
    "covered_departements",
    "features",
    "info",
    "national_commune",
    "outline",
]
