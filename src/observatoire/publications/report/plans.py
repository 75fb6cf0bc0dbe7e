"""The plans' bilans (PLAN_PROGRESS port payloads) as the lines the élus edition and the
deck print: plan progress, objectives against realisations per commune, budget
consumption. Plain strings, the same for the PDF, the DOCX and the slides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from observatoire.figures import french_number

MISSING = "non renseigné"


def euros(v: float | None) -> str:
    return MISSING if v is None else f"{french_number(v, 0)}\u00a0€"


def count(v: int | None) -> str:
    return MISSING if v is None else french_number(v, 0)


def percent(rate: float | None) -> str:
    return MISSING if rate is None else f"{french_number(100 * rate, 1)}\u00a0%"


@dataclass
class PlanLines:
    title: str
    heading: str  # "PLH 2014-2020 — CA de Lens - Liévin, situation au 2020-12-31"
    progress: list[str]  # sentences: actions by status, production of the year and cumulated
    budget: list[list[str]]  # [ligne, prévu, engagé, réalisé, consommation]
    communes: list[list[str]] = field(
        default_factory=list
    )  # [commune, objectif, réalisé, taux, en retard]
    demo: bool = False


def _consumption(a: dict[str, Any]) -> str:
    if a.get("realise") is None or not a.get("prevu"):
        return MISSING
    return percent(a["realise"] / a["prevu"])


def plan_lines(b: dict[str, Any]) -> PlanLines:
    plan = b["plan"]
    statuses = ", ".join(f"{s['count']} {s['label'].lower()}" for s in b["statuses"] if s["count"])
    progress = [f"{sum(s['count'] for s in b['statuses'])} actions : {statuses or 'aucune'}."]
    communes: list[list[str]] = []
    production = b.get("production")
    if production:
        for label, key in (("Année", "year"), ("Depuis le début du plan", "cumul")):
            f = production[key]
            progress.append(
                f"{label} {b['year'] if key == 'year' else ''}".strip()
                + f" : {count(f['realised'])} logements réalisés pour un objectif de "
                f"{count(f['objective'])} ({percent(f['rate'])})."
            )
        progress.append(f"Source des réalisations : {production['source']}.")
        communes = [
            [
                c["name"],
                count(c["cumul"]["objective"]),
                count(c["cumul"]["realised"]),
                percent(c["cumul"]["rate"]),
                "oui" if c["cumul"]["behind"] else "non",
            ]
            for c in production["communes"]
        ]
    budget = [
        [
            label,
            euros(a["prevu"]),
            euros(a["engage"]),
            euros(a["realise"]),
            _consumption(a),
        ]
        for label, a in (
            (f"Année {b['year']}", b["budget"]["year"]),
            ("Cumul depuis le début du plan", b["budget"]["cumul"]),
        )
    ]
    return PlanLines(
        title=plan["title"],
        heading=f"{plan['type_label']} {plan['period']} — {plan['territory_name']}, "
        f"situation au {b['as_of']}",
        progress=progress,
        budget=budget,
        communes=communes,
        demo=bool(b.get("demo")),
    )


BUDGET_HEADER = ["Période", "Prévu", "Engagé", "Réalisé", "Consommation (réalisé / prévu)"]
COMMUNES_HEADER = ["Commune", "Objectif cumulé", "Réalisé cumulé", "Taux", "En retard"]
