"""The embedded demo: real extracts shipped in observatoire/data/demo (see its SOURCES.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from observatoire import sources
from observatoire.indicators.cube import BuildSummary, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.territories import Territory
from observatoire.territories.groupings import load_groupings, save_groupings

SHOWCASE = ["COM:62498", "EPCI:246200364", "DEP:62", "FR"]
KEY_INDICATORS = [
    "log_total",
    "taux_vacance",
    "revenu_median",
    "taux_pauvrete",
    "dvf_prix_m2_moyen",
    "taux_lls",
    "vacance_longue_duree_part",
    "friches_nombre",
    "logements_autorises",
]


def demo_dir() -> Path:
    return Path(str(resources.files("observatoire") / "data" / "demo"))


def files() -> list[tuple[str, Path]]:
    """(source, file) for every shipped extract: one folder per source, sorted names."""
    root = demo_dir()
    out = []
    for name in sources.names():
        folder = root / name
        if folder.is_dir():
            out += [(name, p) for p in sorted(folder.iterdir()) if p.is_file()]
    return out


def install_groupings(settings: Settings) -> None:
    folder = demo_dir() / "groupings"
    found = []
    if folder.is_dir():
        for p in sorted(folder.glob("*.csv")):
            found += load_groupings(p)
    if found:
        save_groupings(found, settings.groupings_path)


def cube_label(code: str) -> str:
    from observatoire.indicators.catalog import get

    return get(code).label


def print_summary(console: Console, settings: Settings, summary: BuildSummary) -> None:
    ref = referential_for(settings)
    table = Table(title="Démonstration : indicateurs clés (dernière année disponible)")
    table.add_column("Indicateur", overflow="fold")
    showcase = [Territory.parse(t) for t in SHOWCASE]
    for t in showcase:
        table.add_column(ref.name(t), overflow="fold")
    with Cube(settings, ref) as cube:
        for code in KEY_INDICATORS:
            cells = []
            for t in showcase:
                v = cube.value(code, t)
                cells.append(v.formatted() + (f" ({v.year})" if v.year else ""))
            table.add_row(cube_label(code), *cells)
    console.print(table)
    console.print(
        f"{summary.imports} fichiers importés, {summary.rows} valeurs dans le cube "
        f"({settings.cube_path})."
    )
    if summary.not_loaded:
        console.print("Source non chargée pour : " + ", ".join(summary.not_loaded))
