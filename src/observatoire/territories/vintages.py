"""Commune codes of an older COG -> the current COG (2026): table de passage and harmonisation.

Built from the INSEE events file v_mvt_commune_2026 (`referential.mouvements()`) and the
current commune list. An event dated exactly 1 January Y is already in the COG of year Y:
`passage(Y)` replays only the events dated after 1 January Y. Checked against the real
lists: the codes derived for 2024 are exactly INSEE's COG 2024 (plus the collectivités
d'outre-mer that decoupage-administratif lists as communes), those for 2022 exactly the
2022 communes of départements 14, 46, 53, 59 and 62.

How the events file is read (INSEE, "Liste de modalités des fichiers du COG", type
d'événement; and the rows themselves):
- Only rows whose TYPECOM_AV is COM move the territory of a commune. A commune nouvelle
  (MOD 32) is one row COM -> COM per former commune, the chef-lieu included (often with
  its own code on both sides), plus rows COM -> COMD when the former communes become
  communes déléguées: a COMD or COMA after the event is NOT the resulting commune, its
  territory stays in the COM. Rows COMA/COMD -> ... concern part of a commune.
- MOD 31, 32, 33, 34, and 30 with a target: the old commune goes entirely (weight 1) to
  the commune absorbing it. MOD 41 and 50 (code change on a change of département, on a
  transfer of chef-lieu) are renames: 14011 Aurseulles became 14581 on 2024-04-24, a
  renumbering, not a split; codes can come back (27676 -> 27058 in 2021 -> 27676 in 2023).
- Same-day events are simultaneous, except that code changes come first: on 2018-01-01
  14513 became 50649 (MOD 41, to the Manche) and 50649 merged into 50592 (MOD 32).
- MOD 20 and 21 (creation, restoration): the parent has rows to each resulting commune
  (and to itself if it lives on; a creation that only takes part of a commune has no row
  to the parent, which lives on). A restored commune (its own row COMD/COMA X -> COM X)
  gets back exactly its old commune when X was a commune in the COG of `from_year`
  (Saline 14712, split on 2019-12-31, gives back Troarn 14712 and Sannerville 14666 as
  they were in 2016). Otherwise the parent is apportioned by the current population of
  the resulting communes (`national().commune_population`): `estimated` rows.
- MOD 10, 35, 70, 71, 72 (name change, removal of a commune déléguée, associée ->
  déléguée, change of the commune déléguée holding the chef-lieu, a commune also becoming
  a commune déléguée) do not move any commune's territory.
- Saint-Barthélemy 97123 and Saint-Martin 97127 were removed on 2007-02-23 with no
  successor in the file (MOD 30): they became the collectivités 97701 and 97801.
- Communes absorbed by Lyon in the 1960s went into an arrondissement (TYPECOM_AP ARM):
  their successor is the city.
- An arrondissement municipal (Paris, Lyon, Marseille) maps to its city, weight 1: such
  rows are additive parts of the city, see `harmonise`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import polars as pl

from observatoire.status import WORST_FIRST, Status
from observatoire.territories.model import TerritoryError
from observatoire.territories.referential import COG_YEAR, mouvements, national

MIN_YEAR = 1943
"""The events file starts on 1943-02-19."""

PASSAGE_SCHEMA = {
    "old_code": pl.Utf8,
    "new_code": pl.Utf8,
    "weight": pl.Float64,
    "estimated": pl.Boolean,
}

# Removed with no successor in the events file (MOD 30 of 2007-02-23), see docstring.
_OVERSEAS = {"97123": "97701", "97127": "97801"}


Parts = dict[str, float]  # code -> fraction


@dataclass(frozen=True)
class _Step:
    """The COM -> COM moves of one date (a date with code changes is two steps)."""

    date: str
    moves: dict[str, tuple[str, ...]]  # code before -> codes after (itself if it lives on)
    created: frozenset[str]  # codes after, as written in the file
    restored: frozenset[str]  # communes déléguées/associées restored with their own code
    sizes: dict[str, float]  # current population of each code after the step


def _raw_steps() -> list[tuple[str, dict[tuple[str, str], None], set[str]]]:
    """(date, ordered (before, after) pairs, restored codes) per step, oldest first."""
    city_of = national().arrondissements
    pairs: dict[tuple[str, int], dict[tuple[str, str], None]] = defaultdict(dict)
    restored: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in mouvements():
        step = (row["DATE_EFF"], 0 if row["MOD"] in ("41", "50") else 1)
        before, after = row["COM_AV"], row["COM_AP"]
        if row["TYPECOM_AV"] in ("COMD", "COMA"):
            if row["MOD"] == "21" and row["TYPECOM_AP"] == "COM" and before == after:
                restored[step].add(after)
            continue
        if row["TYPECOM_AV"] != "COM":
            continue
        if row["TYPECOM_AP"] == "ARM":
            after = city_of.get(after, after)
        elif row["TYPECOM_AP"] != "COM":
            after = "" if after else _OVERSEAS.get(before, "")
        if after:
            pairs[step][(before, after)] = None
    return [(d, pairs[(d, k)], restored[(d, k)]) for d, k in sorted(pairs)]


@cache
def _history() -> tuple[_Step, ...]:
    """Every step, latest first, with the size of the communes each step produces.

    Replayed backwards from the current communes, the state maps each code valid at a time
    to current codes: that gives the current population of a commune produced by a split
    even when it has changed since."""
    population = national().commune_population
    state: dict[str, Parts] = {c: {c: 1.0} for c in national().commune_dep}
    steps = []
    for date, pairs, restored in reversed(_raw_steps()):
        moves: dict[str, list[str]] = defaultdict(list)
        for before, after in pairs:
            moves[before].append(after)
        created = frozenset(after for _, after in pairs)
        for before, afters in moves.items():
            if before not in afters and before in state and before not in created:
                afters.append(before)  # a creation took part of it: it lives on
        sizes = {
            t: sum(w * population.get(c, 0) for c, w in state[t].items())
            for afters in moves.values()
            for t in afters
        }
        earlier = {}
        for before, afters in moves.items():
            shares = _distribute({before: 1.0}, before, tuple(afters), sizes, frozenset())
            current: Parts = defaultdict(float)
            for target, part in shares.items():
                for code, w in state[target].items():
                    current[code] += part[before] * w
            earlier[before] = dict(current)
        for code in created:
            state.pop(code, None)
        state.update(earlier)
        frozen = {b: tuple(a) for b, a in moves.items()}
        steps.append(_Step(date, frozen, created, frozenset(restored), sizes))
    return tuple(steps)


def _apportion(atoms: Parts, targets: tuple[str, ...], sizes: dict[str, float]) -> dict[str, Parts]:
    total = sum(sizes[t] for t in targets)
    shares = [sizes[t] / total if total > 0 else 1 / len(targets) for t in targets]
    return {
        t: {a: f * share for a, f in atoms.items()}
        for t, share in zip(targets, shares, strict=True)
    }


def _distribute(
    atoms: Parts,
    parent: str,
    targets: tuple[str, ...],
    sizes: dict[str, float],
    restored: frozenset[str],
) -> dict[str, Parts]:
    """Share `parent`, made of old communes (atoms: old code -> fraction), among `targets`.

    A restored commune whose old commune is an atom gets that atom exactly; the remaining
    atoms go to the one other target, or are apportioned by size among the others. If the
    others would get nothing (the atom is the merged commune itself), or nobody is left to
    hold the remaining atoms, the whole parent is apportioned."""
    if len(targets) == 1:
        return {targets[0]: dict(atoms)}
    exact = [t for t in targets if t in atoms and t in restored]
    others = tuple(t for t in targets if t not in exact)
    rest = {a: f for a, f in atoms.items() if a not in exact}
    if others and not rest:
        return _apportion(atoms, targets, sizes)
    out = {t: {t: atoms[t]} for t in exact}
    if len(others) == 1:
        out[others[0]] = rest
    elif others:
        out.update(_apportion(rest, others, sizes))
    elif rest and parent in out:
        out[parent] = {**out[parent], **rest}  # e.g. a commune associée of the parent
    elif rest:
        for t, part in _apportion(rest, targets, sizes).items():
            out[t] = {**out[t], **part}
    return out


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= COG_YEAR:
        raise TerritoryError(
            f"Millésime géographique {year} non pris en charge : le référentiel embarqué "
            f"va du COG {MIN_YEAR} au COG {COG_YEAR}."
        )


@cache
def _states(from_year: int) -> dict[str, Parts]:
    """Current code -> {commune code of `from_year`: fraction of that old commune}."""
    _check_year(from_year)
    limit = f"{from_year}-01-01"
    steps = [s for s in _history() if s.date > limit]
    codes = set(national().commune_dep)
    for step in steps:
        codes.difference_update(step.created)
        codes.update(step.moves)
    state: dict[str, Parts] = {c: {c: 1.0} for c in codes}
    for step in reversed(steps):
        incoming: dict[str, list[Parts]] = defaultdict(list)
        for before, afters in step.moves.items():
            shares = _distribute(state.pop(before), before, afters, step.sizes, step.restored)
            for target, part in shares.items():
                incoming[target].append(part)
        for target, parts in incoming.items():
            merged: Parts = defaultdict(float, state.get(target, {}))
            for part in parts:
                for atom, f in part.items():
                    merged[atom] += f
            state[target] = dict(merged)
    return state


def codes_at(year: int) -> frozenset[str]:
    """The commune codes of the COG of 1 January `year` (arrondissements excluded)."""
    return frozenset(atom for atoms in _states(year).values() for atom in atoms)


@cache
def passage(from_year: int) -> pl.DataFrame:
    """Every commune code of the COG of `from_year`, and every arrondissement municipal,
    with the current code(s) it maps to: old_code, new_code, weight, estimated.

    The weights of an old code sum to 1; `estimated` marks an old commune shared among
    several current ones by population."""
    rows = [
        (atom, current, f)
        for current, atoms in _states(from_year).items()
        for atom, f in atoms.items()
    ]
    columns = {"old_code": pl.Utf8, "new_code": pl.Utf8, "weight": pl.Float64}
    table = pl.DataFrame(rows, schema=columns, orient="row")
    split = pl.len().over("old_code") > 1
    table = table.with_columns(
        pl.when(split).then(pl.col("weight")).otherwise(1.0).alias("weight"),
        split.alias("estimated"),
    )
    city_of = national().arrondissements
    arms = pl.DataFrame(
        {
            "old_code": list(city_of),
            "new_code": list(city_of.values()),
            "weight": 1.0,
            "estimated": False,
        },
        schema=PASSAGE_SCHEMA,
    )
    return pl.concat([table, arms]).sort("old_code", "new_code")


def main_successor(from_year: int) -> pl.DataFrame:
    """old_code, new_code: the current commune that takes the largest share of each code of
    the COG of `from_year`. A point (a site, an établissement) follows it."""
    return (
        passage(from_year)
        .sort("weight", "new_code", descending=[True, False])
        .unique("old_code", keep="first")
        .select("old_code", "new_code")
    )


@cache
def _one_to_one(from_year: int) -> pl.DataFrame:
    """old_code, new_code of the renamed or unchanged communes: one target, fed by nobody else."""
    com = passage(from_year).filter(~pl.col("old_code").is_in(list(national().arrondissements)))
    return com.filter((pl.len().over("old_code") == 1) & (pl.len().over("new_code") == 1)).select(
        "old_code", "new_code"
    )


def successors(code: str) -> list[str]:
    """Current code(s) of a commune code, from the latest COG where it was a commune code
    ([] if it never was one since 1943). Used to help a user with an outdated code."""
    year = _last_year().get(code)
    if year is None:
        return []
    return sorted(c for c, atoms in _states(year).items() if code in atoms)


@cache
def _last_year() -> dict[str, int]:
    """Commune code -> the latest COG year where it is a commune code."""
    last = dict.fromkeys(national().commune_dep, COG_YEAR)
    for step in _history():
        year = int(step.date[:4])
        if step.date == f"{year}-01-01":
            year -= 1  # in force in the COG of that year: valid until the one before
        for code in step.moves:
            last.setdefault(code, year)
    return last


def harmonise(
    frame: pl.DataFrame, from_year: int, *, additive: bool, absent: str | None = None
) -> pl.DataFrame:
    """Commune values expressed in the COG of `from_year` -> values on the current COG.

    `frame` has columns code, value, status (ok | secret | missing | unavailable |
    estimated) and any key columns (year, variable, millesime...): the result has the same
    columns with current codes, plus `geo_vintage` (Int32) = from_year.

    - Renamed or unchanged communes: value and status unchanged.
    - additive values (counts, sums): summed over the merged communes present in the
      frame. A part absent from the frame adds nothing unless `absent` (the status an
      absent commune has for this source: "secret", "missing") is given: then a commune
      made of several former ones is a sum only when all of them are in the frame, else
      value null with that status (LOVAC 2021: Hesdin-la-Forêt 62447 would be 3 of its 4
      former communes, Sainte-Austreberthe 62743 being secret). If a part is null the sum
      is null. Status: the worst part status, "estimated" if a part is shared by population.
    - non-additive values (medians, rates): kept only for renamed or unchanged communes; a
      median of merged communes cannot be derived, nor one of a commune split since: value
      null, status "unavailable".
    - Arrondissements municipaux: dropped when the city has its own row for the same key
      (they would count twice), otherwise added up into the city (additive) or making it
      unavailable (non-additive).
    - Codes that are not communes of the COG of `from_year` are dropped.
    """
    table = passage(from_year)
    frame = frame.drop("geo_vintage", strict=False).with_columns(
        pl.col("code").cast(pl.Utf8), pl.col("value").cast(pl.Float64)
    )
    unknown = set(frame["status"].unique().to_list()) - set(WORST_FIRST)
    if unknown:
        raise ValueError(f"statut inconnu : {', '.join(sorted(map(str, unknown)))}")
    keys = [c for c in frame.columns if c not in ("code", "value", "status")]
    order = frame.columns
    frame = _drop_arrondissements_of_present_cities(frame, keys)

    simple = _one_to_one(from_year)
    direct = frame.join(simple, left_on="code", right_on="old_code", how="inner")
    direct = direct.with_columns(pl.col("new_code").alias("code"))
    rest = frame.join(simple, left_on="code", right_on="old_code", how="anti")
    rest = rest.join(table, left_on="code", right_on="old_code", how="inner")

    group = [*keys, "new_code"]
    if additive:
        rank = {s: i for i, s in enumerate(WORST_FIRST)}
        part_status = (
            pl.when(pl.col("estimated") & (pl.col("status") == Status.OK))
            .then(pl.lit(Status.ESTIMATED))
            .otherwise(pl.col("status"))
        )
        merged = (
            rest.with_columns(part_status.replace_strict(rank, return_dtype=pl.Int8).alias("_r"))
            .group_by(group)
            .agg(
                pl.when(pl.col("value").is_null().any())
                .then(None)
                .otherwise((pl.col("value") * pl.col("weight")).sum())
                .alias("value"),
                pl.col("_r").min(),
            )
            .with_columns(
                pl.col("_r")
                .replace_strict(dict(enumerate(WORST_FIRST)), return_dtype=pl.Utf8)
                .alias("status")
            )
        )
    else:
        merged = (
            rest.select(group)
            .unique()
            .with_columns(
                pl.lit(None, dtype=pl.Float64).alias("value"),
                pl.lit(Status.UNAVAILABLE).alias("status"),
            )
        )
    if additive and absent is not None:
        merged = _incomplete_as(merged, rest, table, group, Status(absent))
    merged = merged.with_columns(pl.col("new_code").alias("code"))
    out = pl.concat([direct.select(order), merged.select(order)], how="vertical_relaxed")
    return out.with_columns(pl.lit(from_year, dtype=pl.Int32).alias("geo_vintage"))


def _incomplete_as(
    merged: pl.DataFrame, rest: pl.DataFrame, table: pl.DataFrame, group: list[str], status: Status
) -> pl.DataFrame:
    """Merged rows missing one of their former communes get no value and `status`.
    Arrondissements stand for their city: a city given by its arrondissements is whole."""
    arms = list(national().arrondissements)
    expected = (
        table.filter(~pl.col("old_code").is_in(arms))
        .group_by("new_code")
        .agg(pl.col("old_code").n_unique().alias("_expected"))
    )
    present = rest.group_by(group).agg(
        pl.col("code").filter(~pl.col("code").is_in(arms)).n_unique().alias("_present"),
        pl.col("code").is_in(arms).any().alias("_arms"),
    )
    whole = (pl.col("_present") >= pl.col("_expected")) | pl.col("_arms")
    return (
        merged.join(present, on=group, how="left", nulls_equal=True)
        .join(expected, on="new_code", how="left")
        .with_columns(
            pl.when(whole).then(pl.col("value")).otherwise(None).alias("value"),
            pl.when(whole).then(pl.col("status")).otherwise(pl.lit(status)).alias("status"),
        )
        .drop("_present", "_expected", "_arms")
    )


def _drop_arrondissements_of_present_cities(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    city_of = national().arrondissements
    is_arm = pl.col("code").is_in(list(city_of))
    if not frame.select(is_arm.any()).item():
        return frame
    arm_rows = frame.filter(is_arm).with_columns(
        pl.col("code").replace_strict(city_of, return_dtype=pl.Utf8).alias("_city")
    )
    cities = (
        frame.filter(pl.col("code").is_in(set(city_of.values())))
        .select(*keys, pl.col("code").alias("_city"))
        .unique()
    )
    kept = arm_rows.join(cities, on=[*keys, "_city"], how="anti", nulls_equal=True)
    return pl.concat([frame.filter(~is_arm), kept.drop("_city")])
