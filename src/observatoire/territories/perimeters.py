"""Has an EPCI kept its perimeter since the geography of a producer's file?

A producer publishes an EPCI figure on the EPCI as it was in its geography (Filosofi 2019:
1 January 2020; DREAL RPLS 2019 indicators: 2019). Compared with today's EPCI, a commune may
have moved in or out since (14659 left the CC Cingal-Suisse Normande 200066710 for the CC
Val ès Dunes 200065589 after 2020): the figure then describes another territory and is
never attached to today's EPCI as it is (see indicators.inputs.supra_component).

The composition of year Y is the shipped one (referential.EPCI_COMPOSITION_YEARS) closest
to Y, its communes brought to today's codes by the COG history (vintages.passage). Checked
on the data: the EPCI values of the DREAL RPLS 2019 indicators equal the sum of the DREAL's
commune detail over the 2020 composition for 66 of the 67 EPCI lying in départements 14,
46, 53, 59 and 62 (not the CC Pays d'Opale 200072478: 852 published, 805 summed), against
58 over today's composition.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from observatoire.territories.referential import (
    COG_YEAR,
    EPCI_COMPOSITION_YEARS,
    epci_composition,
    national,
)
from observatoire.territories.vintages import passage


def composition_year(geo_vintage: int) -> int:
    """The shipped composition used for a file of that geography (the later one on a tie)."""
    return min(EPCI_COMPOSITION_YEARS, key=lambda y: (abs(y - geo_vintage), -y))


@cache
def changed_epci(geo_vintage: int) -> frozenset[str]:
    """Today's EPCI codes whose perimeter in the geography `geo_vintage` differs from today's
    (or which did not exist then)."""
    year = composition_year(geo_vintage)
    if year == COG_YEAR:
        return frozenset()
    current_codes = passage(year).group_by("old_code").agg("new_code")
    to_current = dict(zip(current_codes["old_code"], current_codes["new_code"], strict=True))
    then: dict[str, set[str]] = defaultdict(set)
    for commune, epci in epci_composition(year).items():
        then[epci].update(to_current.get(commune, [commune]))
    today = national().epci_members
    return frozenset(code for code, members in today.items() if then.get(code) != set(members))
