"""The slides of « Les 5 minutes de l'observatoire »: a title, the chiffres clés, one
chart per chosen theme, the plans' progress (PLAN_PROGRESS port) and what changed since
the last open data release. 5 to 8 slides: one to four themes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from observatoire.errors import UserError
from observatoire.indicators.catalog import catalog
from observatoire.publications.deck.changes import since_last_release
from observatoire.publications.report.content import payload, themes
from observatoire.publications.report.plans import plan_lines
from observatoire.territories import Territory

MAX_THEMES = 4
KEY_FIGURES = 6


@dataclass(frozen=True)
class Slide:
    title: str
    lines: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None  # title, description (alt text), svg_uri


def known_themes() -> list[str]:
    return list(dict.fromkeys(ind.theme for ind in catalog().values()))


def check_themes(wanted: list[str]) -> list[str]:
    """The chosen themes, or a French message naming the unknown one and the choices."""
    choices = known_themes()
    by_key = {t.casefold(): t for t in choices}
    out = []
    for raw in wanted:
        theme = by_key.get(raw.strip().casefold())
        if theme is None:
            raise UserError(f"Thème « {raw} » inconnu. Thèmes : {', '.join(choices)}.")
        out.append(theme)
    if not 1 <= len(out) <= MAX_THEMES:
        raise UserError(f"Choisissez de 1 à {MAX_THEMES} thèmes (ici {len(out)}).")
    return out


def slides(
    territory: Territory, wanted: list[str], releases: Path, today: date | None = None
) -> list[Slide]:
    today = today or date.today()
    chosen = check_themes(wanted)
    r = payload(territory, today.year, today)
    deck = [
        Slide(
            f"Les 5 minutes de l'observatoire — {r['name']}",
            [f"{r['level']} {r['territory']}", f"Le {today.strftime('%d/%m/%Y')}", *chosen],
        ),
        Slide(
            "Chiffres clés",
            [
                f"{k['label']} : {k['text']}"
                + (f" ({k['year']})" if k["year"] else "")
                + (f" — {k['positions'][0]}" if k["positions"] else "")
                for k in r["key_figures"][:KEY_FIGURES]
            ],
        ),
    ]
    sections = {s["theme"]: s for s in themes(r, chosen)}
    for theme in chosen:
        s = sections.get(theme)
        if s is None:
            deck.append(Slide(theme, ["Aucun indicateur de ce thème en diffusion publique."]))
            continue
        lines = [f"{row['label']} : {row['value']['text']}" for row in s["rows"][:3]]
        deck.append(Slide(theme, lines, s["chart"]))
    plans = [plan_lines(b) for b in r["plans"]]
    deck.append(
        Slide(
            "Avancement des plans",
            [f"{p.title} : {line}" for p in plans for line in p.progress[:3]]
            or [f"Aucun plan suivi sur ce territoire en {today.year}."],
        )
    )
    deck.append(Slide("Ce qui a changé", since_last_release(releases, territory)))
    return deck
