"""Which COG a producer's file is on, read from its commune codes, and the communes a
year's events created (INSEE leaves them blank in files of that geography)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from observatoire.territories.model import TerritoryError
from observatoire.territories.referential import COG_YEAR, mouvements
from observatoire.territories.vintages import MIN_YEAR, codes_at, passage


def created_on(year: int) -> dict[str, str]:
    """Communes created or restored on 1 January `year` -> the commune they came from."""
    day = f"{year}-01-01"
    return {
        row["COM_AP"]: row["COM_AV"]
        for row in mouvements()
        if row["DATE_EFF"] == day
        and row["MOD"] in ("20", "21")
        and row["TYPECOM_AV"] == "COM"
        and row["TYPECOM_AP"] == "COM"
        and row["COM_AP"] != row["COM_AV"]
    }


def best_geography(codes: Iterable[str], candidates: Sequence[int]) -> int:
    """The COG year, among `candidates` (oldest first), of a file's commune codes. Between
    two candidates, communes merged in the meantime decide: one of their old codes in the
    file means the older geography; the commune that absorbed them present without them
    means the newer one; no such commune in the file keeps the older (it makes no
    difference to the figures then)."""
    present = set(codes)
    years = [y for y in candidates if MIN_YEAR <= y <= COG_YEAR]
    if not years:
        raise TerritoryError(f"Aucun COG pris en charge parmi {list(candidates)}.")
    chosen = years[0]
    for newer in years[1:]:
        vanished = codes_at(chosen) - codes_at(newer)
        if present & vanished:
            break
        table = passage(chosen)
        absorbers = set(table.filter(pl.col("old_code").is_in(list(vanished)))["new_code"])
        if not present & absorbers:
            break
        chosen = newer
    return chosen
