"""The declaration form (issue #13 §2) and the TOML it writes: each input is named after the
key of the declaration it fills ("source.name", "variable[2].unit"), the very key that
`observatoire sources declare` names in its problems. The form checks nothing itself: the
TOML it writes goes through the same checks as a file (observatoire.indicators.declared).
Numbers and dates are converted when they read as such and kept as typed otherwise, so
that the checker reports them with their key."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date
from typing import Any

import tomli_w

from observatoire.figures.declared import ABSENT, DIFFUSIONS, KEYS, LEVELS

# The scalar sections in the order of docs/sources-declarees/README.md.
SECTIONS = ("source", "convention", "territory", "year", "secrecy", "file")
VARIABLE_KEYS = ("name", "label", "type", "unit", "absent")
INDICATOR_KEYS = (
    "code", "label", "theme", "definition", "unit", "aggregation", "variable", "numerator",
    "denominator", "factor", "decimals", "diffusion",
)  # fmt: skip
NUMBERS = {"year.millesime", "secrecy.threshold", "factor", "decimals"}
CHOICES = {
    "convention.diffusion": DIFFUSIONS,
    "territory.level": tuple(LEVELS),
    "file.separator": (";", ",", "|", "\t"),
    "type": ("int", "float"),
    "absent": tuple(str(a) for a in ABSENT),
    "aggregation": ("sum", "ratio"),
    "diffusion": DIFFUSIONS,
}
_ROW = re.compile(r"^(variable|indicator)\[(\d+)\]\.(\w+)$")


def _number(raw: str) -> int | float | str:
    text = raw.strip().replace(",", ".")
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return raw


def _value(key: str, raw: str) -> Any:
    if key in NUMBERS or key.rpartition(".")[2] in NUMBERS:
        return _number(raw)
    if key == "convention.end":
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            return raw
    if key == "file.secret":
        return [m.strip() for m in raw.split(",") if m.strip()]
    return raw.strip()


def declaration(posted: Mapping[str, str]) -> dict[str, Any]:
    """The declaration the form describes (blank inputs left out, blank rows dropped)."""
    out: dict[str, Any] = {}
    for section in SECTIONS:
        table = {
            key: _value(f"{section}.{key}", posted[f"{section}.{key}"])
            for key in sorted(KEYS[section])
            if posted.get(f"{section}.{key}", "").strip()
        }
        if table:
            out[section] = table
    rows: dict[str, dict[int, dict[str, Any]]] = {"variable": {}, "indicator": {}}
    for name, raw in posted.items():
        match = _ROW.match(name)
        if match and raw.strip():
            kind, index, key = match.group(1), int(match.group(2)), match.group(3)
            rows[kind].setdefault(index, {})[key] = _value(key, raw)
    for kind in ("variable", "indicator"):
        if rows[kind]:
            out[kind] = [rows[kind][i] for i in sorted(rows[kind])]
    return out


def toml(data: dict[str, Any]) -> str:
    return tomli_w.dumps(data)


def initial(text: str) -> dict[str, str]:
    """The form's inputs for a registered declaration (its TOML text)."""
    data = tomllib.loads(text)
    out: dict[str, str] = {}

    def shown(value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value.isoformat() if isinstance(value, date) else str(value)

    for section in SECTIONS:
        for key, value in data.get(section, {}).items():
            out[f"{section}.{key}"] = shown(value)
    for kind in ("variable", "indicator"):
        for i, row in enumerate(data.get(kind, []), start=1):
            for key, value in row.items():
                out[f"{kind}[{i}].{key}"] = shown(value)
    return out


def row_count(values: Mapping[str, str], kind: str, spare: int) -> int:
    """Rows to show: the highest filled one, plus `spare` blank ones."""
    filled = [
        int(m.group(2))
        for name, raw in values.items()
        if (m := _ROW.match(name)) and m.group(1) == kind and str(raw).strip()
    ]
    return max(filled, default=0) + spare
