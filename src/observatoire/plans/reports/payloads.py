"""The shapes of the plan reports' payloads (bilan annuel, fiches de suivi): plain JSON
values (no model, no Decimal, dates as ISO strings), so that a snapshot stores exactly
what is rendered. Typed here once, for the builders and the renderers alike."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class PlanHeader(TypedDict):
    id: int
    title: str
    type: str
    type_label: str
    territory: str
    territory_name: str
    period: str
    start_year: int
    end_year: int
    owner: str
    child_label: str


class Amounts(TypedDict):
    """Euros added up over budget lines; None when no line states the amount."""

    prevu: float | None
    engage: float | None
    realise: float | None


class BudgetTotal(Amounts):
    consumption: float | None


class StatusCount(TypedDict):
    code: str
    label: str
    count: int


class OrientationBlock(TypedDict):
    number: str
    title: str
    actions: int
    statuses: list[StatusCount]
    rate: float | None
    budget_year: Amounts
    budget_cumul: Amounts
    milestones: int
    late: int


class ActionLine(TypedDict):
    number: str
    title: str
    orientation: str
    status: str
    status_label: str
    pilots: list[str]
    budget_year: Amounts
    budget_cumul: Amounts


class BudgetBlock(TypedDict):
    year: Amounts
    cumul: Amounts


class LateMilestone(TypedDict):
    action: str
    action_title: str
    label: str
    due: str
    due_date: str | None
    status: str


class ActionsBlock(TypedDict):
    statuses: list[StatusCount]
    counts: dict[str, int]
    orientations: list[OrientationBlock]
    actions: list[ActionLine]
    budget: BudgetBlock
    late_milestones: list[LateMilestone]


class IndicatorValue(TypedDict):
    value: float | None
    text: str
    year: int | None
    source: str
    note: NotRequired[str]


class IndicatorLine(IndicatorValue):
    action: str
    label: str
    kind: str  # "observatoire" or "saisi"
    unit: str
    target: str


class Figures(TypedDict):
    objective: int | None
    realised: int | None
    rate: float | None
    behind: bool


class ProductFigures(TypedDict):
    code: str
    label: str
    year: Figures
    cumul: Figures
    demo: bool


class CommuneFigures(TypedDict):
    id: str
    name: str
    year: Figures
    cumul: Figures
    demo: bool


class Stated(TypedDict):
    """The plan's own objective, cumulated and of the year, when it states one."""

    cumul: int | None
    year: int | None


class Production(TypedDict):
    source: str
    threshold: float
    year: Figures
    cumul: Figures
    stated: Stated
    products: list[ProductFigures]
    communes: list[CommuneFigures]
    behind: int
    demo: bool


class BilanPayload(ActionsBlock):
    version: int
    plan: PlanHeader
    year: int
    as_of: str
    complete_year: bool
    generated_on: str
    demo: bool
    production: Production | None
    indicators: list[IndicatorLine]


class ProductCell(Figures):
    code: str
    demo: bool


class YearRow(TypedDict):
    year: int
    started: bool
    products: list[ProductCell]
    cumul: Figures
    demo: bool


class TerritoryRef(TypedDict):
    id: str
    name: str


class ProductLabel(TypedDict):
    code: str
    label: str


class OperationLine(TypedDict):
    year: int
    name: str
    product: str
    dwellings: int
    stage: str
    source: str
    demo: bool


class CommuneProduction(TypedDict):
    commune: TerritoryRef
    products: list[ProductLabel]
    years: list[YearRow]
    last: YearRow | None
    operations: list[OperationLine]
    source: str
    threshold: float
    demo: bool


class CommuneFiche(CommuneProduction):
    plan: PlanHeader
    generated_on: str


class SeriesValue(TypedDict):
    year: int
    text: str
    source: str
    comment: str


class IndicatorSeries(TypedDict):
    values: list[SeriesValue]
    note: str


class ActionFiche(TypedDict):
    plan: PlanHeader
    generated_on: str
    action: dict[str, object]
    history: list[dict[str, str]]
    budget: list[dict[str, object]]
    budget_total: BudgetTotal
    children: list[dict[str, object]]
    milestones: list[dict[str, object]]
    indicators: list[dict[str, object]]
