"""What changed for a territory between its last two open data releases (its own, or
else France's), in the words of a slide: `releases.changes.between` does the comparing."""

from __future__ import annotations

from pathlib import Path

from observatoire.figures import french_number
from observatoire.indicators.catalog import catalog
from observatoire.releases import changes, writer
from observatoire.territories import Level, Territory

SHOWN = 6


def _number(raw: str, decimals: int) -> str:
    try:
        return french_number(float(raw), decimals)
    except ValueError:
        return raw or "non diffusé"


def since_last_release(folder: Path, territory: Territory) -> list[str]:
    listed = changes.listed(folder)
    for scope in (territory, Territory(Level.FR, "FR")):
        mine = [r for r in listed if r.name == writer.folder_name(scope, r.built_at)]
        if len(mine) >= 2:
            break
    else:
        return [
            "Pas encore deux publications de données ouvertes de ce territoire à comparer : "
            "les changements apparaîtront à la prochaine publication."
        ]
    new, old = mine[0], mine[1]
    found = changes.between(folder / old.name, folder / new.name)
    ours = [
        c
        for c in found.changed + found.added
        if c.level == territory.level.value and c.code == territory.code
    ]
    indicators = catalog()
    lines = [f"Depuis la publication du {old.built_at[:10]} (publication du {new.built_at[:10]}) :"]
    for c in ours[:SHOWN]:
        ind = indicators.get(c.indicator)
        label = ind.label if ind else c.indicator
        decimals = ind.decimals if ind else 1
        before = _number(c.before, decimals) if c.before else "absente"
        lines.append(
            f"{label} ({c.year}) : {before} → {_number(c.after, decimals)} {c.unit}".rstrip()
        )
    if len(ours) > SHOWN:
        lines.append(f"… et {len(ours) - SHOWN} autres valeurs changées ou nouvelles.")
    if not ours:
        lines.append("Aucune valeur de ce territoire n'a changé.")
    if found.new_millesimes:
        millesimes = sorted({f"{source} {m}" for _, source, m in found.new_millesimes})
        lines.append(f"Nouveaux millésimes : {', '.join(millesimes)}.")
    return lines
