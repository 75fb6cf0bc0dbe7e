"""What a fiche territoire says: the portrait's key figures and summary, one section per
theme of the catalog with each readable indicator, its référents and the chart of its
evolution (SVG, with the table behind it), and the sources with their millésimes.

Everything is read through `observatoire.figures` for a `Reader`: the public by default,
a signed-in user's role and scope when the fiche is made for them."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from observatoire import figures
from observatoire.figures import PUBLIC, Reader, Value
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.portrait import charts as specs
from observatoire.portrait import key_figures, summary
from observatoire.portrait.key_figures import KeyFigure
from observatoire.publications import charts
from observatoire.publications.situation import Situation, situation
from observatoire.status import Status
from observatoire.territories import Territory

# Years per row of a chart's data table: the INSEE age estimates run 1975-2024.
YEARS_PER_ROW = 12


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # the alternative text
    svg_uri: str
    table: list[Value]

    @property
    def chunks(self) -> list[list[Value]]:
        """The data table laid out across the page, a row of years at a time."""
        return [self.table[i : i + YEARS_PER_ROW] for i in range(0, len(self.table), YEARS_PER_ROW)]

    @property
    def sources(self) -> str:
        """ "Recensement 2020, 2021": each source once, with its millésimes."""
        found: dict[str, list[str]] = {}
        for v in self.table:
            name = v.as_dict()["source"]["name"]
            if name:
                years = found.setdefault(name, [])
                if v.millesime and str(v.millesime) not in years:
                    years.append(str(v.millesime))
        return ", ".join(" ".join([n, ", ".join(y)]).strip() for n, y in found.items())


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    value: Value
    referents: list[Value]


@dataclass
class Section:
    theme: str
    rows: list[Row] = field(default_factory=list)  # a value here or at a référent
    empty: list[Row] = field(default_factory=list)  # none anywhere: one line of text
    charts: list[Chart] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """ "Recensement de la population 2021", once per source and millésime of its
        rows: a line under the table rather than a column of wrapped names."""
        found: dict[str, None] = {}
        for row in self.rows:
            if (src := _source(row.value)) is not None:
                found.setdefault(f"{src[0]} {src[1]}" if src[1] else src[0], None)
        return list(found)


@dataclass(frozen=True)
class Fiche:
    territory: Territory
    name: str
    referents: list[tuple[Territory, str]]
    key_figures: list[KeyFigure]
    summary: list[str]
    sections: list[Section]
    sources: list[tuple[str, int | None]]
    restricted: bool  # figures beyond public diffusion: "diffusion restreinte" on every page
    situation: Situation | None = None  # the map of the territory in its surroundings


def _chart(indicator: Indicator, series: list[Value], name: str) -> Chart | None:
    spec = specs.line_spec(indicator, series, name)
    if spec is None:
        return None
    encoded = base64.b64encode(charts.svg(spec).encode()).decode()
    return Chart(
        title=f"{indicator.label} ({indicator.unit})" if indicator.unit else indicator.label,
        description=spec["description"],
        svg_uri=f"data:image/svg+xml;base64,{encoded}",
        table=series,
    )


def _source(v: Value) -> tuple[str, int | None] | None:
    label = v.as_dict()["source"]["name"]
    return (label, v.millesime) if label else None


class Referents:
    """The référents' values of a batch, read once: the 887 communes of Pas-de-Calais
    share their département, région and France, and most share an EPCI. Tied to one
    reader and one cube: a rebuilt cube starts afresh."""

    def __init__(self, reader: Reader = PUBLIC) -> None:
        self.reader = reader
        self._cube: object | None = None
        self._values: dict[tuple[str, Territory, int | None], Value] = {}

    def value(self, indicator: Indicator, territory: Territory, year: int | None) -> Value:
        current = figures.cube()
        if current is not self._cube:
            self._cube, self._values = current, {}
        key = (indicator.code, territory, year)
        if key not in self._values:
            self._values[key] = figures.read_value(self.reader, indicator, territory, year)
        return self._values[key]


def _empty(own: Value, others: list[Value]) -> bool:
    """Nothing to show on the row: no value, no secret and no restriction to state."""
    return all(
        v.value is None
        and v.status in (Status.MISSING, Status.UNAVAILABLE)
        and v.note != figures.RESTRICTED_NOTE
        for v in [own, *others]
    )


def fiche(territory: Territory, reader: Reader = PUBLIC, memo: Referents | None = None) -> Fiche:
    """The fiche of `territory` as `reader` may read it (QueryError without cube); a
    batch passes one `Referents` for all its fiches."""
    memo = memo if memo is not None and memo.reader == reader else Referents(reader)
    ref = figures.referential()
    cube = figures.cube()
    name = ref.name(territory)
    referents = ref.referents(territory)
    sections: dict[str, Section] = {}
    found: set[tuple[str, int | None]] = set()
    restricted = False
    for ind in catalog().values():
        if not reader.can_read(ind.diffusion, territory):
            continue
        own = cube.value(ind.code, territory)
        section = sections.setdefault(ind.theme, Section(ind.theme))
        others = [memo.value(ind, r, own.year) for r in referents]
        (section.empty if _empty(own, others) else section.rows).append(Row(ind, own, others))
        if own.value is not None:
            restricted |= ind.diffusion != "public"
            if (src := _source(own)) is not None:
                found.add(src)
        # One evolution chart per theme: its first indicator with at least two years.
        if not section.charts:
            series = [v for v in cube.series(ind.code, territory) if v.value is not None]
            if (chart := _chart(ind, series, name)) is not None:
                section.charts.append(chart)
    items = key_figures.key_figures(reader, territory)
    return Fiche(
        territory=territory,
        name=name,
        referents=[(r, ref.name(r)) for r in referents],
        key_figures=items,
        summary=summary.summary(items),
        sections=list(sections.values()),
        sources=sorted(found, key=lambda s: (s[0], s[1] or 0)),
        restricted=restricted,
        situation=situation(territory),
    )
