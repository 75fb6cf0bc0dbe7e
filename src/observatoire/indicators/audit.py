"""The secrecy audit: the attack of disclosure.py run on what a cube publishes.

`build` runs it on the rows it is about to publish and refuses to swap the cube in when a
masked cell is exposed; `observatoire check-secrecy` runs it on the cube in place,
against the truth recomputed from the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatoire.errors import UserError
from observatoire.indicators import secrecy
from observatoire.indicators.catalog import Indicator
from observatoire.indicators.disclosure import Exposure, audit
from observatoire.status import VISIBLE


@dataclass(frozen=True)
class Finding:
    indicator: str
    year: int
    exposure: Exposure

    def describe(self) -> str:
        return f"{self.indicator} {self.year}, {self.exposure.describe()}"


@dataclass(frozen=True)
class YearAudit:
    indicator: str
    year: int
    masked: int  # cells masked by a threshold: the ones protected
    complementary: int  # cells masked to protect them
    findings: tuple[Finding, ...]


class DisclosureError(UserError):
    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = [f.describe() for f in findings[:10]]
        more = len(findings) - len(lines)
        super().__init__(
            "Le secret statistique ne tient pas : une valeur masquée se déduit des valeurs "
            "publiées.\n  "
            + "\n  ".join(lines)
            + (f"\n  … et {more} autre(s)" if more > 0 else "")
            + "\nLe cube en place est conservé."
        )


def audit_years(
    indicator: Indicator,
    truth: pl.DataFrame,
    published: pl.DataFrame,
    membership: pl.DataFrame,
    outside: tuple[str, ...],
) -> list[YearAudit]:
    """`truth`: candidates() rows (values before complementary secrecy, primary flags);
    `published`: (level, code, year, status) as the cube shows them."""
    if not indicator.secrecy.secondary or not truth.height:
        return []
    shown = published.select(
        "level", "code", pl.col("year").cast(pl.Int32), pl.col("status").alias("_published")
    )
    rows = truth.with_columns(pl.col("year").cast(pl.Int32)).join(
        shown, on=["level", "code", "year"], how="left"
    )
    rows = rows.with_columns(
        pl.col("_published").cast(pl.Utf8).is_in([str(s) for s in VISIBLE]).fill_null(False)
    )
    members = secrecy.members_of(secrecy.within(membership, outside))
    out = []
    for year in sorted(set(rows["year"].to_list())):
        part = rows.filter(pl.col("year") == year)
        table = secrecy.table_of(part, members, indicator.secrecy.protection, "_published")
        found = tuple(Finding(indicator.code, year, e) for e in audit(table))
        masked = sum(1 for c in table.cells.values() if c.sensitive and c.q is not None)
        unknown = set(table.unknowns())
        extra = sum(
            1
            for (level, code), c in table.cells.items()
            if not c.sensitive
            and not c.published
            and c.q is not None
            and (level != "COM" or code in unknown)
        )
        out.append(YearAudit(indicator.code, year, masked, extra, found))
    return out


def check(
    indicator: Indicator,
    truth: pl.DataFrame,
    published: pl.DataFrame,
    membership: pl.DataFrame,
    outside: tuple[str, ...],
) -> list[Finding]:
    return [
        f for y in audit_years(indicator, truth, published, membership, outside) for f in y.findings
    ]
