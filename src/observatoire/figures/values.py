"""Figures and territories as the apps read them: one value, a series, the values of many
territories at once, a territory's name, each checked against a `Reader` when asked."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from observatoire.figures.reader import Reader
from observatoire.figures.store import cube, referential
from observatoire.indicators.catalog import CatalogError, Indicator
from observatoire.indicators.query import QueryError, Value
from observatoire.status import Status
from observatoire.territories import Level, Territory, TerritoryError
from observatoire.territories.articles import of_name

RESTRICTED_NOTE = "diffusion restreinte : hors de votre périmètre"


class Unavailable(QueryError):
    """The figure cannot be read: no cube, an unknown indicator or territory. Message in
    French; a QueryError, so that one `except QueryError` covers every reason."""


def _territory(territory: Territory | str) -> Territory:
    if isinstance(territory, Territory):
        return territory
    try:
        return Territory.parse(territory)
    except TerritoryError as exc:
        raise Unavailable(str(exc)) from None


def territory_name(territory: Territory | str) -> str:
    """ "CA de Lens - Liévin", or the id itself when it is not a territory of the
    referential (a plan may outlive a merged commune)."""
    fallback = territory if isinstance(territory, str) else territory.id
    try:
        t = Territory.parse(territory) if isinstance(territory, str) else territory
    except TerritoryError:
        return fallback
    ref = referential()
    return ref.names[t] if ref.exists(t) else fallback


def territory_of_name(territory: Territory) -> str:
    """The name after "de", as French writes it: "du Pas-de-Calais", "de la CA de Lens -
    Liévin", "d'Arras" (territories.articles)."""
    return of_name(territory, territory_name(territory))


def exists(territory: Territory) -> bool:
    return referential().exists(territory)


def check(territory: Territory) -> Territory:
    """The territory, or TerritoryError (French) when the referential does not know it."""
    return referential().check(territory)


def communes_of(territory: Territory) -> tuple[str, ...]:
    return referential().communes_of(territory)


def series(code: str, territory: Territory | str) -> list[Value]:
    """Every year of an indicator on a territory; Unavailable when it cannot be read."""
    try:
        return cube().series(code, _territory(territory))
    except (TerritoryError, CatalogError) as exc:
        raise Unavailable(str(exc)) from None


def every_series(codes: list[str], territories: list[Territory]) -> Iterator[Value]:
    """series() of many indicators and territories at once, sorted by indicator, level,
    code and year: one read of the cube."""
    try:
        yield from cube().every_series(codes, territories)
    except (TerritoryError, CatalogError) as exc:
        raise Unavailable(str(exc)) from None


def value(code: str, territory: Territory | str, year: int | None = None) -> Value:
    """The value for `year`, or the latest one; Unavailable when it cannot be read."""
    try:
        return cube().value(code, _territory(territory), year=year)
    except (TerritoryError, CatalogError) as exc:
        raise Unavailable(str(exc)) from None


def restricted(indicator: Indicator, territory: Territory, year: int | None) -> Value:
    """What is shown in place of a value the reader may not read (a référent out of
    scope)."""
    return Value.empty(
        indicator,
        territory,
        territory_name(territory),
        year=year,
        status=Status.UNAVAILABLE,
        note=RESTRICTED_NOTE,
    )


def read_value(
    reader: Reader, indicator: Indicator, territory: Territory, year: int | None = None
) -> Value:
    """The value, or the restricted value when the reader may not read it there."""
    if not reader.can_read(indicator.diffusion, territory):
        return restricted(indicator, territory, year)
    return cube().value(indicator.code, territory, year)


def read_values(
    reader: Reader, indicator: Indicator, territories: Iterable[Territory], year: int
) -> dict[Territory, Value]:
    """The values of many territories for one year (one query per level), restricted
    where the reader may not read them."""
    wanted = list(territories)
    hidden = set(reader.unreadable(indicator.diffusion, wanted))
    current = cube()
    by_level: dict[Level, list[str]] = {}
    for t in wanted:
        by_level.setdefault(t.level, []).append(t.code)
    found = {
        level: current.values_at(indicator.code, level, year, codes=codes)
        for level, codes in by_level.items()
    }
    return {
        t: restricted(indicator, t, year)
        if t in hidden
        else found[t.level].get(t.code) or current.value(indicator.code, t, year)
        for t in wanted
    }


def main_source(indicator: Indicator, within: Territory, level: Level, year: int) -> Value | None:
    """A value of the source and millésime most of the values of `level` in `within` come
    from (None: no value): what a map's credits name."""
    current = cube()
    codes = None
    if within.level is not Level.FR:
        codes = [t.code for t in referential().children(within, level)]
    return current.main_source(indicator.code, level, year, codes)
