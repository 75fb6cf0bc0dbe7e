"""When a milestone falls, read from the plan's own wording of its due period: the
calendar draws one bar per occurrence. The seed plans write "T1 2024", "S2 2023",
"2025", "fin 2022", "2021-09-30", "durée du plan", "en continu", "mi-parcours" and
recurring periods ("annuel", "semestriel", "trimestriel", "deux fois par an"); what no
rule reads keeps its text and is listed "sans date"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from observatoire.plans.models import Milestone, Plan
from observatoire.tabular import fold

Span = tuple[date, date]

_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_FRENCH_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")
_QUARTER = re.compile(r"\bt([1-4]) ?(\d{4})\b")
_SEMESTER = re.compile(r"\bs([12]) ?(\d{4})\b")
_EDGE = re.compile(r"\b(debut|fin) (?:d )?(\d{4})\b")
_YEAR = re.compile(r"\b(\d{4})\b")
# Recurring wordings of the CALL PLH and the Lot PD2H: months per occurrence.
_EVERY = (
    (re.compile(r"\b(annuel(le)?s?|chaque annee|tous les ans|1 ?/ ?an)\b"), 12),
    (re.compile(r"\b(semestriel(le)?s?|deux fois par an|2 ?/ ?an)\b"), 6),
    (re.compile(r"\b(trimestriel(le)?s?|quatre fois par an|4 ?/ ?an)\b"), 3),
)
_WHOLE_PLAN = re.compile(r"\b(duree du plan|en continu|toute la duree|tout au long)\b")
_MIDWAY = re.compile(r"\bmi parcours\b")


def periods(milestone: Milestone, plan: Plan) -> list[Span]:
    """First and last day of each occurrence of the milestone's due period, in order:
    "T1 2024" -> January to March 2024; "fin 2022" -> the last quarter of 2022; "annuel"
    -> each year of the plan; "durée du plan" -> the plan's years; [] when the wording
    names no period. A stored `due_date` (the workbook's reading) ends a single period."""
    spans = _read(milestone.due, plan)
    if milestone.due_date is not None and len(spans) <= 1:
        start = spans[0][0] if spans else milestone.due_date
        return [(min(start, milestone.due_date), milestone.due_date)]
    return spans


def _read(raw: str, plan: Plan) -> list[Span]:
    try:
        if m := _DATE.search(raw):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return [(day, day)]
        if m := _FRENCH_DATE.search(raw):
            day = date(int(m[3]), int(m[2]), int(m[1]))
            return [(day, day)]
    except ValueError:  # "2024-02-30": not a day, so no date
        return []
    text = fold(raw)
    if m := _QUARTER.search(text):
        return [_months(int(m[2]), 3 * int(m[1]) - 2, 3)]
    if m := _SEMESTER.search(text):
        return [_months(int(m[2]), 6 * int(m[1]) - 5, 6)]
    if m := _EDGE.search(text):
        return [_months(int(m[2]), 1 if m[1] == "debut" else 10, 3)]
    if m := _YEAR.search(text):
        return [_months(int(m[1]), 1, 12)]
    for pattern, months in _EVERY:
        if pattern.search(text):
            return [
                _months(year, first, months)
                for year in range(plan.start_year, plan.end_year + 1)
                for first in range(1, 13, months)
            ]
    if _WHOLE_PLAN.search(text):
        return [(date(plan.start_year, 1, 1), date(plan.end_year, 12, 31))]
    if _MIDWAY.search(text):
        return [_months((plan.start_year + plan.end_year) // 2, 1, 12)]
    return []


def _months(year: int, first: int, count: int) -> Span:
    """From the first day of month `first` to the last day of the `count`-th month."""
    last = first + count - 1
    end = date(year + last // 12, last % 12 + 1, 1) - timedelta(days=1)
    return date(year, first, 1), end
