"""The attack we defend against: what can be derived about a masked value from every
published value of the same table (one indicator, one year, every level and grouping).

The model is the one of cell suppression with a linear-programming audit (τ-Argus,
rtauargus), stated in docs/methodes.md (« Secret statistique »):

- each commune contributes a linear quantity `q` (sales x mean price, numerator of a
  ratio); a published parent gives the attacker the sum of `q` over its communes, since
  its weight (sales, dwellings) is assumed public even where the value is masked;
- the attacker knows a priori that each commune's value lies between the smallest and
  the largest published commune value of the table (and its own value, so the bounds
  always hold the truth);
- a masked cell is protected when the interval of its value that the attacker can derive
  (minimum and maximum of `q` under those equations and bounds) is at least `protection`
  times the value wide.

The interval is proved wide enough without a solver when two masked communes belong to
exactly the same published parents (moving value from one to the other keeps every
published sum: two feasible points, hence a lower bound of the interval); otherwise it
is computed exactly with HiGHS (scipy.optimize.linprog) on the connected part of the
equations that holds the cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

Key = tuple[str, str]  # (level, code)

# Relative tolerance of the solver: a width under this share of the value is "determined".
_EPS = 1e-6


@dataclass(frozen=True)
class Cell:
    """One published or masked value of the table."""

    q: float | None  # the linear quantity (value x weight / factor), None if unknown
    weight: float | None
    value: float | None
    published: bool
    sensitive: bool  # masked by the primary rule: the cells the audit protects


@dataclass(frozen=True)
class Exposure:
    """A sensitive cell whose derivable interval is narrower than the protection."""

    key: Key
    truth: float
    low: float
    high: float

    @property
    def determined(self) -> bool:
        return self.high - self.low <= _EPS * max(1.0, abs(self.truth))

    def describe(self) -> str:
        if self.determined:
            how = "retrouvable exactement"
        else:
            share = (self.high - self.low) / abs(self.truth) * 100 if self.truth else 0.0
            how = f"encadrée à {share:.1f} % près"
        return f"{self.key[0]}:{self.key[1]} : valeur masquée {how}"


@dataclass
class Table:
    """One indicator and one year: cells at every level, and who belongs to whom."""

    cells: dict[Key, Cell]
    members: dict[Key, list[str]]  # parent -> its communes (COM codes)
    protection: float
    bounds: tuple[float, float] = field(init=False)
    dep_of: dict[str, str] = field(init=False)
    _all_parents: dict[str, list[Key]] = field(init=False)

    def __post_init__(self) -> None:
        self.dep_of = {
            com: code
            for (level, code), coms in self.members.items()
            if level == "DEP"
            for com in coms
        }
        every: dict[str, list[Key]] = defaultdict(list)
        for key, communes in self.members.items():
            if key[0] != "COM" and key in self.cells:
                for com in communes:
                    every[com].append(key)
        self._all_parents = dict(every)
        self.bounds = self.published_bounds()

    def published_bounds(self, without: str | None = None) -> tuple[float, float]:
        """The smallest and largest published commune value (leaving one commune out)."""
        seen = [
            c.value
            for (level, code), c in self.cells.items()
            if level == "COM" and c.published and c.value is not None and code != without
        ]
        return (min(seen), max(seen)) if seen else (0.0, float("inf"))

    def mask(self, keys: Iterable[Key]) -> None:
        """Withdraw cells from publication. The attacker's a priori bounds come from the
        published communes, so they move with each commune masked."""
        for key in keys:
            cell = self.cells[key]
            self.cells[key] = Cell(cell.q, cell.weight, cell.value, False, cell.sensitive)
        self.bounds = self.published_bounds()

    # The attacker's unknowns: communes whose value is not published.
    def unknowns(self) -> list[str]:
        return [code for (level, code), c in self.cells.items() if level == "COM" and _unknown(c)]

    def parents(self, commune: str) -> set[Key]:
        """The published parents (non-commune cells) that contain a commune."""
        return {k for k in self._all_parents.get(commune, ()) if self.cells[k].published}

    def parents_of(self, communes: Iterable[str] | None = None) -> dict[str, set[Key]]:
        """Commune -> its published parents, for the given communes (default: masked)."""
        return {c: self.parents(c) for c in (self.unknowns() if communes is None else communes)}

    def limits(self, code: str, bounds: tuple[float, float] | None = None) -> tuple[float, float]:
        """A priori bounds of a commune's quantity (under other published bounds if given)."""
        cell = self.cells[("COM", code)]
        w = cell.weight or 0.0
        lo, hi = bounds or self.bounds
        if cell.value is not None:
            lo, hi = min(lo, cell.value), max(hi, cell.value)
        if cell.q is None or cell.value in (None, 0) or w == 0:
            return 0.0, float("inf")
        scale = cell.q / cell.value  # weight / factor
        return lo * scale, hi * scale


def _unknown(cell: Cell) -> bool:
    """Whether the attacker lacks this commune's quantity. A commune without one (outside
    the source's perimeter) is in no sum; a zero weight is public and means a zero
    quantity (no sale: nothing to hide, nothing to trade with)."""
    return not cell.published and cell.q is not None and (cell.weight or 0) > 0


def _need(table: Table, truth: float) -> float:
    return table.protection * abs(truth)


def _pair_proofs(table: Table, parents: dict[str, set[Key]]) -> dict[str, tuple[float, float]]:
    """For each masked commune, a lower bound of how far it can move down and up while
    every published sum holds, by trading with masked communes of the same parents."""
    groups: dict[frozenset[Key], list[str]] = defaultdict(list)
    for code in table.unknowns():
        groups[frozenset(parents.get(code, ()))].append(code)
    out: dict[str, tuple[float, float]] = {}
    for sig, codes in groups.items():
        slack = {}
        for code in codes:
            lo, hi = table.limits(code)
            q = table.cells[("COM", code)].q
            # An unknown truth cannot be moved down with certainty.
            slack[code] = (0.0 if q is None else q - lo, hi - (q or 0.0))
        tot_down = sum(s[0] for s in slack.values())
        tot_up = sum(s[1] for s in slack.values())
        for code in codes:
            down, up = slack[code]
            if not sig:  # in no published parent: only the a priori bounds hold it
                out[code] = (down, up)
            else:
                out[code] = (min(down, tot_up - up), min(up, tot_down - down))
    return out


def _component(
    start: Iterable[str], parents: dict[str, set[Key]], unknown_members: dict[Key, list[str]]
) -> tuple[list[str], list[Key]]:
    seen_v: set[str] = set(start)
    seen_c: set[Key] = set()
    todo = list(seen_v)
    while todo:
        code = todo.pop()
        for key in parents.get(code, ()):
            if key in seen_c:
                continue
            seen_c.add(key)
            for other in unknown_members[key]:
                if other not in seen_v:
                    seen_v.add(other)
                    todo.append(other)
    return sorted(seen_v), sorted(seen_c)


def _redundant(table: Table, unknown_members: dict[Key, list[str]]) -> set[Key]:
    """Regions and France whose masked communes are exactly those of their published
    départements: their equation is the sum of the départements' (no information)."""
    deps = {key[1] for key in unknown_members if key[0] == "DEP"}
    return {
        key
        for key, coms in unknown_members.items()
        if key[0] in ("REG", "FR") and all(table.dep_of.get(c) in deps for c in coms)
    }


def _interval(
    table: Table,
    target: list[str],
    parents: dict[str, set[Key]],
    unknown_members: dict[Key, list[str]],
) -> tuple[float, float]:
    """Exact min and max of the sum of `target` communes' quantities (HiGHS)."""
    variables, constraints = _component(target, parents, unknown_members)
    index = {code: i for i, code in enumerate(variables)}
    rows, cols = [], []
    rhs = []
    for r, key in enumerate(constraints):
        inside = unknown_members[key]
        rows += [r] * len(inside)
        cols += [index[com] for com in inside]
        # What the attacker derives (the parent minus its visible communes) is the sum of
        # the masked communes' own quantities: taken from them, it holds without
        # rounding, and the truth is a feasible point.
        rhs.append(float(sum(table.cells[("COM", c)].q or 0.0 for c in inside)))
    bounds = [table.limits(code) for code in variables]
    objective = np.zeros(len(variables))
    for code in target:
        objective[index[code]] = 1.0
    a_eq = (
        csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(constraints), len(variables)))
        if constraints
        else None
    )
    b_eq = np.array(rhs) if constraints else None
    ends = []
    for sign in (1.0, -1.0):
        res = linprog(sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if res.status == 3:  # unbounded: the attacker learns nothing on that side
            ends.append(-sign * float("inf"))
        elif not res.success:
            raise RuntimeError(f"audit du secret : résolution impossible ({res.message})")
        else:
            ends.append(sign * res.fun)
    return ends[0], ends[1]


_ZERO = Cell(q=0.0, weight=0.0, value=None, published=True, sensitive=False)


def audit(table: Table, solve: bool = True) -> list[Exposure]:
    """Every sensitive cell the published cells do not protect enough.

    With `solve=False`, a commune is protected only when trading with masked communes of
    the same parents proves it (no solver): a sufficient condition, cheap enough to be
    checked after each round of complementary suppression; parents are always solved."""
    parents = table.parents_of()
    unknown = set(parents)
    grouped: dict[Key, list[str]] = defaultdict(list)
    for code, keys in parents.items():
        for key in keys:
            grouped[key].append(code)
    unknown_members = dict(grouped)
    for key in _redundant(table, unknown_members):
        del unknown_members[key]
    parents = {code: {k for k in keys if k in unknown_members} for code, keys in parents.items()}
    proofs = _pair_proofs(table, parents)
    out = []
    for key, cell in table.cells.items():
        if not cell.sensitive or cell.published or cell.q is None:
            continue
        need = _need(table, cell.q)
        if key[0] == "COM":
            down, up = proofs[key[1]]
            if down + up >= need:
                continue
            if not solve:
                out.append(Exposure(key, cell.q, cell.q - down, cell.q + up))
                continue
            target = [key[1]]
            offset = 0.0
        else:
            target = [c for c in table.members.get(key, ()) if c in unknown]
            known = [
                table.cells.get(("COM", c), _ZERO).q or 0.0
                for c in table.members.get(key, ())
                if c not in unknown
            ]
            offset = float(sum(known))
            if not target:
                out.append(Exposure(key, cell.q, cell.q, cell.q))
                continue
        low, high = _interval(table, target, parents, unknown_members)
        if high - low < need * (1 - _EPS):
            out.append(Exposure(key, cell.q, low + offset, high + offset))
    return out
