"""The plan workbook template (docs/modele-plan.md): sheets, columns, accepted values,
and the plan as read from a workbook, before anything touches the database."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from observatoire.accounts.models import Organisation
from observatoire.plans.models import ActorRole, PlanType, Product
from observatoire.tabular import Column, fold

PLAN_SHEET = "Plan"
PLAN_FIELDS: dict[str, Column] = {
    c.name: c
    for c in (
        Column("intitule", True, 300),
        Column("type", True),
        Column("territoire", True),
        Column("debut", True),
        Column("fin", True),
        Column("adoption"),
        Column("maitre_ouvrage", False, 200),
        Column("libelle_sous_actions", False, 40),
        Column("realisations"),
        Column("presentation"),
    )
}

# Action text columns -> Action model fields.
ACTION_TEXTS: dict[str, str] = {
    "contexte": "context",
    "objectifs": "objectives",
    "descriptif": "description",
    "territoires": "territories",
    "publics": "publics",
    "calendrier": "calendar",
    "conditions_reussite": "conditions",
    "budget_texte": "budget_note",
}

SHEETS: dict[str, tuple[Column, ...]] = {
    PLAN_SHEET: (Column("champ", True), Column("valeur", True)),
    "Orientations": (Column("numero", True, 20), Column("intitule", True, 500)),
    "Actions": (
        Column("numero", True, 20),
        Column("orientation", True),
        Column("parent"),
        Column("intitule", True, 500),
        Column("etat"),
        *(Column(name) for name in ACTION_TEXTS),
        Column("actions_liees"),
    ),
    "Acteurs": (
        Column("action", True),
        Column("organisation", True, 200),
        Column("type_organisation"),
        Column("role", True),
    ),
    "Budget": (
        Column("action", True),
        Column("annee", True),
        Column("prevu"),
        Column("engage"),
        Column("realise"),
        Column("commentaire", False, 500),
    ),
    "Jalons": (
        Column("action", True),
        Column("jalon", True, 500),
        Column("echeance", False, 60),
        Column("etat"),
        Column("atteint_le"),
    ),
    "Indicateurs": (
        Column("action", True),
        Column("indicateur", True, 500),
        Column("code_observatoire", False, 80),
        Column("territoire"),
        Column("unite", False, 40),
        Column("cible", False, 200),
    ),
    "Objectifs": (
        Column("territoire", True),
        Column("annee", True),
        Column("produit", True),
        Column("objectif", True),
        Column("demonstration"),
    ),
}

MAX_AMOUNT = Decimal("999999999999.99")  # BudgetLine: 14 digits, 2 decimals
MAX_TERRITORY = 40  # territory fields of the models
MAX_DWELLINGS = 10_000_000
# Lines per sheet, header included: the objectives of a département's 650 communes over
# a six-year plan, for the seven products, make 27,300 lines.
MAX_LINES = 50_001
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Choices:
    """Accepted values of a column: written form in the workbook -> stored code."""

    written: dict[str, str]  # code -> the form written by the export
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> code

    def code(self, raw: str) -> str | None:
        key = fold(raw)
        for code, shown in self.written.items():
            if key in (fold(code), fold(shown)):
                return code
        return self.aliases.get(key)

    def listing(self) -> str:
        return ", ".join(self.written.values())


PLAN_TYPES = Choices({str(c): str(c) for c in PlanType.values})
REALISATIONS = Choices({c: c for c in ("operations", "logements_autorises", "logements_commences")})
ACTION_STATES = Choices(
    {
        "a_lancer": "à lancer",
        "en_cours": "en cours",
        "realisee": "réalisée",
        "abandonnee": "abandonnée",
    },
    {"realise": "realisee", "abandonne": "abandonnee"},
)
MILESTONE_STATES = Choices(
    {
        "a_venir": "à venir",
        "en_cours": "en cours",
        "atteint": "atteint",
        "abandonne": "abandonné",
    },
    {"atteinte": "atteint", "abandonnee": "abandonne"},
)
ROLES = Choices({str(c): str(c) for c in ActorRole.values})
ORGANISATION_KINDS = Choices({str(c): str(c) for c in Organisation.Kind.values})
PRODUCTS = Choices(
    {str(c): str(c) for c in Product.values},
    {"accession sociale": "psla", "psla accession sociale": "psla"},
)
YES_NO = Choices(
    {"oui": "oui", "non": "non"}, {"vrai": "oui", "faux": "non", "1": "oui", "0": "non"}
)


# --------------------------------------------------------------------------- échéances
_QUARTER = re.compile(r"^t\s*(\d)\s+(\d{4})$")
_SEMESTER = re.compile(r"^s\s*(\d)\s+(\d{4})$")
_YEAR = re.compile(r"^(?:fin\s+)?(\d{4})$")
_RANGE = re.compile(r"^(\d{4})\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def parse_date(text: str) -> date:
    """`AAAA-MM-JJ` or `JJ/MM/AAAA`; ValueError (French) otherwise."""
    raw = text.strip()
    try:
        if m := _ISO.match(raw):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _FRENCH_DATE.match(raw):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise ValueError("cette date n'existe pas") from None
    raise ValueError("date illisible : écrivez-la AAAA-MM-JJ (2024-06-30)")


def due_date(text: str) -> date | None:
    """Last day of the period a milestone's wording names: `T1 2024` -> 2024-03-31,
    `S2 2025` -> 2025-12-31, `2026` -> 2026-12-31, `2024-2026` -> 2026-12-31, a date ->
    itself; `annuel`, `durée du plan` or any other wording -> None (no lateness).
    ValueError (French) for a wording that looks like a period but names none (`T5 2024`)."""
    raw = text.strip()
    if _ISO.match(raw) or _FRENCH_DATE.match(raw):
        return parse_date(raw)
    key = fold(raw)
    if m := _QUARTER.match(key):
        if not 1 <= int(m[1]) <= 4:
            raise ValueError("trimestre inconnu : T1, T2, T3 ou T4 suivi de l'année")
        return _month_end(int(m[2]), 3 * int(m[1]))
    if m := _SEMESTER.match(key):
        if not 1 <= int(m[1]) <= 2:
            raise ValueError("semestre inconnu : S1 ou S2 suivi de l'année")
        return _month_end(int(m[2]), 6 * int(m[1]))
    if m := _YEAR.match(key):
        return date(int(m[1]), 12, 31)
    if (m := _RANGE.match(key)) and int(m[1]) <= int(m[2]):
        return date(int(m[2]), 12, 31)
    return None


# --------------------------------------------------------------------------- parsed plan
@dataclass
class ParsedAction:
    line: int
    number: str
    orientation: str
    parent: str | None
    title: str
    status: str
    texts: dict[str, str]  # Action model field -> text
    linked: list[str]


@dataclass
class ParsedActor:
    action: str
    organisation: str
    kind: str | None
    role: str


@dataclass
class ParsedBudget:
    action: str
    year: int
    prevu: Decimal | None
    engage: Decimal | None
    realise: Decimal | None
    comment: str


@dataclass
class ParsedMilestone:
    action: str
    label: str
    due: str
    due_date: date | None
    status: str
    done_on: date | None


@dataclass
class ParsedIndicator:
    action: str
    label: str
    code: str
    territory: str
    unit: str
    target: str


@dataclass
class ParsedObjective:
    territory: str
    year: int
    product: str
    value: int
    is_demo: bool


@dataclass
class ParsedPlan:
    """Everything a workbook says, checked: `import_workbook` saves it as is."""

    source: str
    title: str
    type: str
    territory: str
    start_year: int
    end_year: int
    adopted_on: date | None = None
    owner: str | None = None
    child_label: str = "sous-action"
    realisations: str = "operations"
    description: str = ""
    orientations: list[tuple[str, str]] = field(default_factory=list)  # (number, title)
    actions: list[ParsedAction] = field(default_factory=list)
    actors: list[ParsedActor] = field(default_factory=list)
    budget: list[ParsedBudget] = field(default_factory=list)
    milestones: list[ParsedMilestone] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    objectives: list[ParsedObjective] = field(default_factory=list)

    def organisation_kinds(self) -> dict[str, str]:
        """Organisation name -> kind given in the Acteurs sheet."""
        return {a.organisation: a.kind for a in self.actors if a.kind}
