"""The maps of points of a portrait (portal/_points_map.html, static portal/points.js):
what colours the points, the legend, and the lines of a point's popup."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from observatoire import figures


@dataclass(frozen=True)
class PointsMap:
    id: str  # of the map's container
    url: str  # open API GeoJSON of the points
    caption: str
    colour_by: str  # the feature property that picks the colour
    legend: tuple[tuple[str, str, str], ...]  # (property value, label, colour)
    lines: tuple[dict[str, Any], ...]  # popup lines (points.js)

    @property
    def palette_json(self) -> str:
        return json.dumps({value: colour for value, _, colour in self.legend}, ensure_ascii=False)

    @property
    def lines_json(self) -> str:
        return json.dumps(self.lines, ensure_ascii=False)


FRICHE_STATUSES = (
    ("friche sans projet", "#ce614a"),
    ("friche avec projet", "#e4794a"),
    ("friche reconvertie", "#18753c"),
    ("friche potentielle", "#8585f6"),
)
# One colour per category of the nomenclature de l'offre (DSFR illustrative colours).
ETABLISSEMENT_COLOURS = {
    "CHRS": "#ce614a",
    "CADA": "#000091",
    "CPH": "#8585f6",
    "PENSION_FAMILLE": "#18753c",
    "RESIDENCE_SOCIALE": "#e4794a",
    "FJT": "#b34000",
    "LHSS": "#6e445a",
}


def friches_map(url: str, name: str) -> PointsMap:
    return PointsMap(
        id="carte-friches",
        url=url,
        caption=f"Carte : sites en friche de {name}. Les mêmes sites figurent dans la liste.",
        colour_by="statut",
        legend=tuple((s, s, c) for s, c in FRICHE_STATUSES),
        lines=(
            {"key": "statut", "missing": "statut non renseigné"},
            {"key": "type"},
            {"key": "surface_m2", "unit": " m²", "missing": "surface non renseignée"},
            {"key": ["commune_nom", "commune"]},
        ),
    )


def etablissements_map(url: str, name: str, listed: figures.Etablissements) -> PointsMap:
    return PointsMap(
        id="carte-etablissements",
        url=url,
        caption=(
            f"Carte : établissements d'hébergement de {name}, par catégorie. Les mêmes "
            "établissements figurent dans la liste."
        ),
        colour_by="type",
        legend=tuple((t, label, ETABLISSEMENT_COLOURS[t]) for t, label in listed.categories),
        lines=(
            {"key": "categorie"},
            {"key": "places", "unit": " places", "missing": "places non connues"},
            {"key": ["commune_nom", "commune"]},
        ),
    )
