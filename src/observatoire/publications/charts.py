"""The portal's Vega-Lite charts drawn as SVG without a browser (vl-convert, offline):
the same specifications as the portrait's charts, at a fixed print width."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

PRINT_WIDTH = 440


def print_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A printed page has no container to fit: a fixed width instead of "container"."""
    return {**spec, "width": PRINT_WIDTH} if spec.get("width") == "container" else spec


# Few: a fiche's charts are its territory's own series, drawn once in a batch of fiches;
# 4,096 kept SVGs and their specifications held ~80 MB per batch worker for nothing.
@lru_cache(maxsize=128)
def _svg(spec_json: str) -> str:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(
        json.loads(spec_json), vl_version="6.4", format_locale="fr-FR"
    )
    return svg


def svg(spec: dict[str, Any]) -> str:
    """The chart as SVG; the last distinct specifications drawn are kept (a report or a
    deck draws the charts of its fiche or portrait again)."""
    return _svg(json.dumps(print_spec(spec), sort_keys=True, ensure_ascii=False))


def png(svg_uri: str, scale: float = 2.0) -> bytes:
    """A chart's SVG data URI (as a fiche or a frozen report holds it) as PNG, for the
    formats that cannot embed SVG (Word, PowerPoint)."""
    import vl_convert

    svg_text = base64.b64decode(svg_uri.split(",", 1)[1]).decode()
    data: bytes = vl_convert.svg_to_png(svg_text, scale=scale)
    return data
