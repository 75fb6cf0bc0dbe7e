"""What the annual report says, as plain JSON values: the public fiche of the territory
(key figures with their positions, summary, one section per theme with its chart and a
short table, sources and millésimes) and the bilans of the plans of the territory, offered
by the plans app through the PLAN_PROGRESS port. Built once, then frozen (`snapshot`):
every rendering reads this payload, never the cube."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from observatoire import ports
from observatoire.figures import PUBLIC, Value
from observatoire.portrait.key_figures import KeyFigure
from observatoire.publications.fiche import Fiche, fiche
from observatoire.territories import Territory

# Bumped when the payload's shape changes; a snapshot keeps the version it was built with.
VERSION = 1
# The short table of a theme: its first indicators (the catalog's order), the rest is in
# the fiche territoire.
TABLE_ROWS = 8
PUBLIC_EDITION = "public"
ELUS_EDITION = "elus"
EDITIONS = {PUBLIC_EDITION: "édition grand public", ELUS_EDITION: "édition élus"}


def value(v: Value) -> dict[str, Any]:
    return {
        "text": v.formatted(),
        "value": None if v.value is None else round(v.value, 6),
        "year": v.year,
        "millesime": v.millesime,
        "source": v.as_dict()["source"]["name"] or "",
        "note": v.note or "",
    }


def _key_figure(k: KeyFigure) -> dict[str, Any]:
    positions = []
    if k.evolution is not None:
        e = k.evolution
        positions.append(
            f"{e.change.text} depuis {e.previous.year} ({e.previous.formatted()})"
            if e.change is not None
            else f"Évolution depuis {e.previous.year} non comparable (changement de source)"
        )
    for g in k.gaps:
        positions.append(
            f"{g.change.text} par rapport à la valeur {g.of_name} ({g.referent.formatted()})"
            if g.change is not None
            else f"Valeur {g.of_name} : {g.referent.formatted()}"
        )
    if k.rank is not None:
        positions.append(k.rank.text + (f" ; {k.rank.unranked_text}" if k.rank.unranked else ""))
    return {
        "code": k.indicator.code,
        "label": k.indicator.label,
        **value(k.value),
        "positions": positions,
    }


def _sections(f: Fiche) -> list[dict[str, Any]]:
    out = []
    for s in f.sections:
        chart = s.charts[0] if s.charts else None
        out.append(
            {
                "theme": s.theme,
                "rows": [
                    {
                        "code": r.indicator.code,
                        "label": r.indicator.label,
                        "value": value(r.value),
                        "referents": [o.formatted() for o in r.referents],
                    }
                    for r in s.rows[:TABLE_ROWS]
                ],
                "chart": None
                if chart is None
                else {
                    "title": chart.title,
                    "description": chart.description,
                    "svg_uri": chart.svg_uri,
                    "table": [[v.year, v.formatted()] for v in chart.table],
                },
            }
        )
    return out


def payload(territory: Territory, year: int, today: date | None = None) -> dict[str, Any]:
    """Everything both editions of the report of `year` show (public diffusion only for
    the figures; the plans' bilans are shown in the élus edition only)."""
    f = fiche(territory, PUBLIC)
    built: dict[str, Any] = {
        "version": VERSION,
        "territory": territory.id,
        "name": f.name,
        "level": territory.level.label,
        "year": year,
        "generated_on": (today or date.today()).isoformat(),
        "referents": [n for _, n in f.referents],
        "key_figures": [_key_figure(k) for k in f.key_figures],
        "summary": f.summary,
        "sections": _sections(f),
        "sources": [[name, millesime] for name, millesime in f.sources],
        "plans": ports.offered(ports.PLAN_PROGRESS, territory, year),
    }
    # A round trip through JSON: what is rendered live is exactly what a snapshot stores.
    loaded: dict[str, Any] = json.loads(json.dumps(built))
    return loaded


def themes(p: dict[str, Any], wanted: list[str] | None = None) -> list[dict[str, Any]]:
    """The sections of `p` whose theme is in `wanted` (all when None), in catalog order."""
    return [s for s in p["sections"] if wanted is None or s["theme"] in wanted]
