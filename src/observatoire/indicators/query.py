"""The only API the rest of the product uses to read figures: value(), series(), values_at()."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from observatoire import sources
from observatoire.errors import UserError
from observatoire.indicators.catalog import Indicator, get
from observatoire.settings import Settings
from observatoire.sources import declared
from observatoire.status import Status
from observatoire.territories import Level, Territory
from observatoire.territories.referential import Referential

NOT_LOADED = "source non chargée"


def french_number(value: float, decimals: int) -> str:
    """1234.5 -> "1\u202f234,5": narrow no-break space between thousands, decimal comma."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


class QueryError(UserError, RuntimeError):
    """The cube cannot answer (not built yet...). Message in French."""


@dataclass(frozen=True, kw_only=True)
class Value:
    indicator: Indicator
    territory: Territory
    name: str
    year: int | None
    value: float | None
    status: Status
    source: str | None
    millesime: int | None
    source_detail: str | None
    geo_vintage: int | None
    note: str | None

    @classmethod
    def empty(
        cls,
        indicator: Indicator,
        territory: Territory,
        name: str,
        *,
        status: Status,
        note: str | None,
        year: int | None = None,
    ) -> Value:
        """A value without figure nor source: `note` says why."""
        return cls(
            indicator=indicator,
            territory=territory,
            name=name,
            year=year,
            value=None,
            status=status,
            source=None,
            millesime=None,
            source_detail=None,
            geo_vintage=None,
            note=note,
        )

    def as_dict(self) -> dict[str, Any]:
        src = sources.get(self.source) if self.source else None
        return {
            "indicator": self.indicator.code,
            "label": self.indicator.label,
            "territory": {
                "level": self.territory.level.value,
                "code": self.territory.code,
                "name": self.name,
            },
            "year": self.year,
            "value": None if self.value is None else round(self.value, 6),
            "status": self.status,
            "unit": self.indicator.unit,
            "source": {
                "name": src.label if src else None,
                "code": self.source,
                "producer": src.producer if src else None,
                "millesime": self.millesime,
                "detail": self.source_detail,
                "geo_vintage": self.geo_vintage,
            },
            "note": self.note,
        }

    def formatted(self) -> str:
        if self.value is None:
            if self.status == Status.MISSING and self.note == NOT_LOADED:
                return NOT_LOADED
            return "secret statistique" if self.status == Status.SECRET else "non disponible"
        text = french_number(self.value, self.indicator.decimals)
        suffix = " (estimé)" if self.status == Status.ESTIMATED else ""
        return f"{text} {self.indicator.unit}{suffix}"


class Cube:
    """Read-only access to the built cube of one data dir."""

    def __init__(self, settings: Settings, referential: Referential):
        self.settings = settings
        self.ref = referential
        path = settings.cube_path
        if not path.exists():
            raise QueryError(
                f"Aucun cube d'indicateurs dans {settings.data_dir} : lancez « observatoire build »."
            )
        self.con = duckdb.connect(str(path), read_only=True)
        self.con.execute("SET enable_progress_bar = false")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Cube:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _row(
        self,
        indicator: Indicator,
        t: Territory,
        name: str,
        row: tuple[Any, ...] | None,
        decls: dict[str, declared.Declaration] | None = None,
    ) -> Value:
        if row is None:
            return Value.empty(indicator, t, name, status=Status.MISSING, note=NOT_LOADED)
        year, value, status, source, millesime, detail, geo, note = row
        if decls is None and source:
            decls = declared.registered(self.settings)
        decl = decls.get(source) if decls and source else None
        if decl is not None and decl.expired():
            # The agreement under which the producer handed the file is over: its values
            # are no longer served, whatever cube was built while it ran.
            value, status, note = None, Status.UNAVAILABLE, decl.expiry_note()
        return Value(
            indicator=indicator,
            territory=t,
            name=name,
            year=year,
            value=value,
            status=Status(status),
            source=source,
            millesime=millesime,
            source_detail=detail,
            geo_vintage=geo,
            note=note,
        )

    _COLS = "year, value, status, source, millesime, source_detail, geo_vintage, note"

    # A cube file never changes once built (a rebuild renames a new file into place and
    # the portal reopens it), so the rows of a territory can be kept: one query gives
    # every indicator of a territory, instead of one query per indicator and year.
    _CACHE_TERRITORIES = 5000

    def _territory_rows(self, territory: Territory) -> dict[str, list[tuple[Any, ...]]]:
        cache: dict[Territory, dict[str, list[tuple[Any, ...]]]] = self.__dict__.setdefault(
            "_rows_cache", {}
        )
        if territory not in cache:
            if len(cache) >= self._CACHE_TERRITORIES:
                cache.clear()
            rows = self.con.execute(
                f"SELECT indicator, {self._COLS} FROM cube WHERE level = ? AND code = ? "
                "ORDER BY indicator, year",
                [territory.level.value, territory.code],
            ).fetchall()
            by_indicator: dict[str, list[tuple[Any, ...]]] = {}
            for r in rows:
                by_indicator.setdefault(r[0], []).append(r[1:])
            cache[territory] = by_indicator
        return cache[territory]

    def series(self, code: str, territory: Territory) -> list[Value]:
        indicator = get(code, self.settings)
        name = self.ref.name(territory)
        rows = self._territory_rows(territory).get(code, [])
        return [self._row(indicator, territory, name, r) for r in rows]

    def value(self, code: str, territory: Territory, year: int | None = None) -> Value:
        """The value for `year`, or the latest year available for this territory."""
        indicator = get(code, self.settings)
        name = self.ref.name(territory)
        series = self.series(code, territory)
        if year is None:
            useful = [v for v in series if v.status != Status.MISSING] or series
            return useful[-1] if useful else self._row(indicator, territory, name, None)
        for v in series:
            if v.year == year:
                return v
        known = ", ".join(str(v.year) for v in series) or "aucune"
        return Value.empty(
            indicator,
            territory,
            name,
            year=year,
            status=Status.MISSING,
            note=f"pas de donnée pour {year} (années disponibles : {known})",
        )

    def every_series(self, codes: list[str], territories: list[Territory]) -> Iterator[Value]:
        """Every year of the given indicators on the given territories, in one query (an
        open data release of France reads millions of rows: one query per territory took
        longer than the release could wait), sorted by indicator, level, code and year."""
        indicators = {code: get(code, self.settings) for code in codes}
        names = {(t.level.value, t.code): (t, self.ref.name(t)) for t in territories}
        cur = self.con.execute(
            f"SELECT indicator, level, code, {self._COLS} FROM cube "
            "JOIN (SELECT unnest(?::VARCHAR[]) AS level, unnest(?::VARCHAR[]) AS code) "
            "USING (level, code) "
            "WHERE indicator IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY indicator, level, code, coalesce(year, 0)",
            [[k[0] for k in names], [k[1] for k in names], list(indicators)],
        )
        # Read once, not for each of millions of rows (a listing of the declarations folder).
        decls = declared.registered(self.settings)
        while batch := cur.fetchmany(100_000):
            for r in batch:
                t, name = names[(r[1], r[2])]
                yield self._row(indicators[r[0]], t, name, r[3:], decls)

    # The same file, same reasoning: the siblings a portrait ranks a territory among are
    # asked again by every portrait of that family (one query per key figure, 150-550 ms
    # per portrait under load before this cache). A rebuild opens a new Cube: a new cache.
    # Only lists of a few hundred territories are kept (a whole level is a map's payload,
    # cached by the map itself).
    _CACHE_SIBLINGS = 512
    _CACHE_MAX_CODES = 500

    def _level_rows(
        self, code: str, level: Level, year: int, codes: tuple[str, ...] | None
    ) -> list[tuple[Any, ...]]:
        cache: OrderedDict[tuple[Any, ...], list[tuple[Any, ...]]] = self.__dict__.setdefault(
            "_level_cache", OrderedDict()
        )
        key = (code, level, year, codes)
        kept = codes is not None and len(codes) <= self._CACHE_MAX_CODES
        if kept and key in cache:
            cache.move_to_end(key)
            return cache[key]
        sql = f"SELECT code, {self._COLS} FROM cube WHERE indicator = ? AND level = ? AND year = ?"
        params: list[Any] = [code, level.value, year]
        if codes is not None:
            sql += " AND code IN (SELECT unnest(?::VARCHAR[]))"
            params.append(list(codes))
        rows = self.con.execute(sql, params).fetchall()
        if kept:
            cache[key] = rows
            if len(cache) > self._CACHE_SIBLINGS:
                cache.popitem(last=False)
        return rows

    def values_at(
        self, code: str, level: Level, year: int, codes: list[str] | None = None
    ) -> dict[str, Value]:
        """Values of every territory of `level` (or only `codes`) for one year."""
        indicator = get(code, self.settings)
        rows = self._level_rows(code, level, year, None if codes is None else tuple(codes))
        # The declarations folder is listed once, not once per row (35,000 for France).
        decls = declared.registered(self.settings)
        out = {}
        for r in rows:
            t = Territory(level, r[0])
            out[r[0]] = self._row(indicator, t, self.ref.names.get(t, r[0]), r[1:], decls)
        return out

    def main_source(
        self, code: str, level: Level, year: int, codes: list[str] | None = None
    ) -> Value | None:
        """One value of the source and millésime most values of `level` (or of `codes`)
        come from for that year, counted in the cube (the credits of a map of the ~35,000
        communes of France without reading their values)."""
        get(code, self.settings)  # an unknown indicator: QueryError
        where = "indicator = ? AND level = ? AND year = ? AND value IS NOT NULL"
        params: list[Any] = [code, level.value, year]
        if codes is not None:
            where += " AND code IN (SELECT unnest(?::VARCHAR[]))"
            params.append(codes)
        row = self.con.execute(
            f"SELECT min(code) FROM cube WHERE {where} AND source IS NOT NULL "
            "GROUP BY source, millesime ORDER BY count(*) DESC, source, millesime LIMIT 1",
            params,
        ).fetchone()
        if row is None:
            return None
        return self.value(code, Territory(level, row[0]), year)

    def vintages(self, code: str) -> list[dict[str, Any]]:
        """Years of data available for an indicator, with their source and millésime."""
        get(code, self.settings)
        rows = self.con.execute(
            "SELECT year, source_detail, min(millesime), max(geo_vintage) FROM cube "
            "WHERE indicator = ? AND value IS NOT NULL GROUP BY ALL ORDER BY year, 2",
            [code],
        ).fetchall()
        return [
            {"year": y, "source": src, "millesime": m, "geo_vintage": g} for y, src, m, g in rows
        ]

    def imports(self) -> list[dict[str, Any]]:
        try:
            cur = self.con.execute("SELECT * FROM imports ORDER BY source, millesime")
        except duckdb.CatalogException:
            return []
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
