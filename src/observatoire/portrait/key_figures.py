"""The key figures at the top of a portrait (issue #14 §1): for each figure declared in
key_figures.toml, the value, its evolution since the previous millésime, its gap to each
référent and its rank among the sibling territories.

Django-free: everything is read through `observatoire.figures` for a `Reader`, so a value
out of the reader's reach is never used (not in a gap, not in a rank). The result is a
pure function of (reader, territory, cube), cheap enough to compute per request: the
cube keeps a territory's rows, and ranks cost one query per indicator.

Rules (docs: the portrait's "Sources et méthodes"):
- a rate (unit "%", "pour 100 ...") changes in points; any other figure in per cent;
- a count (aggregation `sum`, `count_records`) gets no gap to its référents (a commune
  has fewer dwellings than its département: no information), only evolution and rank;
- a figure that is not visible (secret, missing, unavailable, restricted) is neither
  compared nor ranked; its siblings are ranked among the visible values only, and the
  masked ones are counted apart, never placed;
- no rank at all when one of the siblings is out of the reader's reach (a rank among
  what one may read would mislead);
- an evolution between two values of different sources is "non comparable".
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from observatoire import figures
from observatoire.figures import Reader, Value
from observatoire.indicators.catalog import Indicator, catalog
from observatoire.status import VISIBLE
from observatoire.territories import FRANCE, Level, Territory

COUNTS = ("sum", "count_records")


@dataclass(frozen=True)
class Change:
    """A difference between two values: in points (rates) or per cent (others)."""

    delta: float
    points: bool
    decimals: int

    @property
    def rounded(self) -> float:
        return round(self.delta, self.decimals)

    @property
    def text(self) -> str:
        """ "+0,4 point", "−2,5 points", "+3,2 %", "0,0 point"."""
        amount = figures.french_number(abs(self.rounded), self.decimals)
        sign = "+" if self.rounded > 0 else "−" if self.rounded < 0 else ""
        if self.points:
            unit = "points" if abs(self.rounded) >= 2 else "point"
            return f"{sign}{amount} {unit}"
        return f"{sign}{amount} %"


@dataclass(frozen=True)
class Evolution:
    previous: Value
    change: Change | None  # None: not comparable

    @property
    def comparable(self) -> bool:
        return self.change is not None


@dataclass(frozen=True)
class Gap:
    referent: Value
    of_name: str  # "du Pas-de-Calais"
    change: Change | None  # None: one of the two values is not visible


@dataclass(frozen=True)
class Rank:
    position: int
    ranked: int  # siblings with a visible value, the territory included
    tied: bool
    unranked: int  # siblings whose value is not visible: counted, never placed
    siblings: str  # "communes de la CA de Lens - Liévin"

    @property
    def text(self) -> str:
        nth = "1re" if self.position == 1 else f"{self.position}e"
        tie = " ex æquo" if self.tied else ""
        return f"{nth}{tie} sur {self.ranked} {self.siblings}, par valeur décroissante"

    @property
    def unranked_text(self) -> str:
        if not self.unranked:
            return ""
        s = "s" if self.unranked > 1 else ""
        return f"{self.unranked} autre{s} sans valeur diffusée (secret statistique ou non disponible), non classée{s}"


@dataclass(frozen=True)
class KeyFigure:
    indicator: Indicator
    value: Value
    evolution: Evolution | None
    gaps: tuple[Gap, ...]
    rank: Rank | None

    @property
    def visible(self) -> bool:
        return self.value.status in VISIBLE and self.value.value is not None


@cache
def declared() -> tuple[tuple[str, ...], ...]:
    """The key figures of key_figures.toml: for each, its candidate indicator codes."""
    text = (resources.files("observatoire.portrait") / "key_figures.toml").read_text("utf-8")
    return tuple(tuple(k["indicators"]) for k in tomllib.loads(text).get("key_figure", []))


def is_rate(indicator: Indicator) -> bool:
    return indicator.unit.startswith(("%", "pour 100"))


def _visible(v: Value) -> bool:
    return v.status in VISIBLE and v.value is not None


def change(now: Value, before: Value) -> Change | None:
    """now - before, in points for a rate, in per cent otherwise (None: not computable)."""
    if not (_visible(now) and _visible(before)):
        return None
    assert now.value is not None and before.value is not None
    ind = now.indicator
    # From the values as shown: 7,2 % against 7,3 % reads "−0,1 point", not the
    # "−0,2 point" of 7,24 against 7,33.
    a, b = round(now.value, ind.decimals), round(before.value, ind.decimals)
    if is_rate(ind):
        return Change(a - b, points=True, decimals=ind.decimals)
    if b == 0:
        return None
    return Change((a / b - 1) * 100, points=False, decimals=1)


def evolution(own: Value, series: list[Value]) -> Evolution | None:
    """Since the latest earlier year with a visible value; None without one (or when
    the value itself is not visible: a secret value gets no evolution)."""
    if not _visible(own) or own.year is None:
        return None
    earlier = [v for v in series if v.year is not None and v.year < own.year and _visible(v)]
    if not earlier:
        return None
    previous = earlier[-1]
    if previous.source != own.source:
        return Evolution(previous, None)
    return Evolution(previous, change(own, previous))


def siblings(territory: Territory) -> tuple[list[Territory], str] | None:
    """The territories a territory is ranked among, with their French label: a commune
    among the communes of its EPCI (of its département when it has none), an EPCI among
    those of its département (the one holding most of its communes), a département among
    those of its région, a région among those of France."""
    ref = figures.referential()
    if territory.level is Level.COM:
        epci = ref.commune_epci.get(territory.code)
        parent = (
            Territory(Level.EPCI, epci)
            if epci
            else Territory(Level.DEP, ref.commune_dep[territory.code])
        )
    elif territory.level is Level.EPCI:
        deps = Counter(ref.commune_dep[c] for c in ref.communes_of(territory))
        parent = Territory(Level.DEP, deps.most_common(1)[0][0])
    elif territory.level is Level.DEP:
        parent = Territory(Level.REG, ref.dep_reg[territory.code])
    elif territory.level is Level.REG:
        parent = FRANCE
    else:
        return None
    members = ref.children(parent, territory.level)
    if territory not in members or len(members) < 2:
        return None
    return members, f"{territory.level.plural} {figures.territory_of_name(parent)}"


def rank(reader: Reader, own: Value, territory: Territory) -> Rank | None:
    if not _visible(own) or own.year is None:
        return None
    found = siblings(territory)
    if found is None:
        return None
    members, label = found
    ind = own.indicator
    if reader.unreadable(ind.diffusion, members):
        return None
    values = figures.read_values(reader, ind, members, own.year)
    shown = [round(v.value, ind.decimals) for v in values.values() if _visible(v)]  # type: ignore[arg-type]
    mine = round(own.value, ind.decimals)  # type: ignore[arg-type]
    if len(shown) < 2:
        return None
    return Rank(
        position=1 + sum(1 for x in shown if x > mine),
        ranked=len(shown),
        tied=shown.count(mine) > 1,
        unranked=len(members) - len(shown),
        siblings=label,
    )


def key_figure(reader: Reader, indicator: Indicator, territory: Territory) -> KeyFigure:
    ref = figures.referential()
    own = figures.read_value(reader, indicator, territory)
    gaps: list[Gap] = []
    if indicator.aggregation not in COUNTS and _visible(own):
        for r in ref.referents(territory):
            other = figures.read_value(reader, indicator, r, own.year)
            gaps.append(Gap(other, figures.territory_of_name(r), change(own, other)))
    return KeyFigure(
        indicator=indicator,
        value=own,
        evolution=evolution(own, figures.series(indicator.code, territory)),
        gaps=tuple(gaps),
        rank=rank(reader, own, territory),
    )


def key_figures(reader: Reader, territory: Territory) -> list[KeyFigure]:
    """The declared key figures the reader may read about this territory, in order: for
    each, the first candidate the catalog declares and the cube has a value for."""
    items = catalog()
    out: list[KeyFigure] = []
    for candidates in declared():
        for ind in (items[c] for c in candidates if c in items):
            if not reader.can_read(ind.diffusion, territory):
                continue
            # No source: not loaded, or no row for this territory (try the next one).
            if figures.value(ind.code, territory).source is None:
                continue
            out.append(key_figure(reader, ind, territory))
            break
    return out
