"""Demo content of this app, loaded by `observatoire demo` (idempotent): contributions on
figures in the three states (a validated local figure on Lens, COM:62498) and a
satisfaction survey with answers. Everything is marked as demonstration where shown."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console

from observatoire.accounts.models import Organisation
from observatoire.contributions import figures, usage_feed
from observatoire.contributions.models import FigureContribution, Question, Survey
from observatoire.contributions.survey_results import save_answers
from observatoire.territories import Territory

LENS, LIEVIN = "COM:62498", "COM:62510"

# (indicator, territory, year, kind, value, unit, source, comment, decision, reason)
FIGURES = [
    (
        "log_vacants",
        LENS,
        2025,
        FigureContribution.Kind.LOCAL,
        Decimal("2870"),
        "logements",
        "Recensement communal des logements vacants, ville de Lens (relevé de terrain), 2025",
        "Relevé exhaustif des logements vacants mené par le service habitat de la ville.",
        True,
        "Chiffre cohérent avec les fichiers fiscaux ; méthode décrite par la commune.",
    ),
    (
        "logements_autorises",
        LIEVIN,
        2024,
        FigureContribution.Kind.CORRECTION,
        Decimal("212"),
        "logements",
        "Registre communal des autorisations d'urbanisme, ville de Liévin, 2024",
        "Deux permis d'aménager de fin d'année manquent dans Sitadel.",
        None,
        "",
    ),
    (
        "taux_vacance",
        LENS,
        2021,
        FigureContribution.Kind.CORRECTION,
        Decimal("12.5"),
        "%",
        "Enquête du centre-ville, ville de Lens, 2021",
        "",
        False,
        "Le taux proposé porte sur le seul centre-ville, pas sur toute la commune.",
    ),
]

QUESTIONS = [
    ("Êtes-vous satisfait de l'observatoire dans son ensemble ?", Question.Kind.NOTE, ""),
    ("Trouvez-vous facilement les chiffres dont vous avez besoin ?", Question.Kind.NOTE, ""),
    (
        "À quelle fréquence utilisez-vous la plateforme ?",
        Question.Kind.CHOIX,
        "Chaque semaine\nChaque mois\nQuelques fois par an",
    ),
    ("Que faudrait-il améliorer ?", Question.Kind.TEXTE, ""),
]
# (organisation, notes, frequency, suggestion)
ANSWERS = [
    ("Ville de Lens", (5, 4), "Chaque mois", "Des séries plus longues sur la vacance."),
    ("CA de Lens-Liévin", (4, 4), "Chaque semaine", ""),
    ("Pas-de-Calais habitat", (3, 2), "Quelques fois par an", "Un export des programmations."),
    ("Ville de Liévin", (4, 3), "Chaque mois", ""),
]


def _organisation(name: str) -> Organisation:
    kinds = {"Ville": "commune", "CA de": "epci", "Pas-de-Calais habitat": "bailleur"}
    kind = next((k for prefix, k in kinds.items() if name.startswith(prefix)), "autre")
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    return org


def load(console: Console) -> None:
    made = []
    if not FigureContribution.objects.filter(is_demo=True).exists():
        org = {LENS: _organisation("Ville de Lens"), LIEVIN: _organisation("Ville de Liévin")}
        for code, territory, year, kind, value, unit, source, comment, decision, reason in FIGURES:
            c = figures.propose(
                indicator_code=code,
                territory=Territory.parse(territory),
                year=year,
                kind=str(kind),
                value=value,
                unit=unit,
                source=source,
                comment=comment,
                organisation=org[territory],
                is_demo=True,
            )
            if decision is not None:
                figures.decide(c, validate=decision, by=None, comment=reason)
        made.append(f"{len(FIGURES)} contributions sur des chiffres")
    if not Survey.objects.filter(is_demo=True).exists():
        survey = Survey.objects.create(
            title="Enquête de satisfaction 2025 (démonstration)",
            year=2025,
            introduction="Quelques questions sur votre usage de l'observatoire en 2025.",
            is_demo=True,
        )
        questions = [
            Question.objects.create(survey=survey, position=i, text=t, kind=k, choices=c)
            for i, (t, k, c) in enumerate(QUESTIONS)
        ]
        for name, notes, frequency, suggestion in ANSWERS:
            values = [*notes, frequency, suggestion]
            save_answers(
                survey,
                None,
                _organisation(name),
                {q.pk: v for q, v in zip(questions, values, strict=True)},
                is_demo=True,
            )
        made.append(f"une enquête de satisfaction et {len(ANSWERS)} réponses")
    if usage_feed.feed_usage():
        made.append("statistiques d'usage reportées dans le suivi du PDH du Nord (fiche 11)")
    if made:
        console.print("Contributions de démonstration : " + ", ".join(made) + ".")
