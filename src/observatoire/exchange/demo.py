"""Demo content of the exchange platform, loaded by `observatoire demo` (idempotent: each
object is looked up by its title first). The documents are produced here: a PDF summing
up action sheet 11 of the Nord PDH (a seed plan), a restricted meeting note of the CA de
Lens-Liévin with figures read from the cube, and a CSV of the vacancy rate of its
communes — every one says it is a demonstration document."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from rich.console import Console

from observatoire import figures
from observatoire.accounts.models import Organisation
from observatoire.exchange import files, library
from observatoire.exchange.models import Answer, Call, Defi, DefiAnswer, Document
from observatoire.figures import QueryError
from observatoire.territories import Territory

LENS = "EPCI:246200364"
ORGS = {
    "nord": ("Département du Nord", "departement", "DEP:59"),
    "pdc": ("Département du Pas-de-Calais", "departement", "DEP:62"),
    "lens": ("CA de Lens-Liévin", "epci", LENS),
    "arras": ("CU d'Arras", "epci", "EPCI:200033579"),
    "adil": ("ADIL du Nord", "adil", ""),
}

# Action sheet 11 of the Nord PDH, as written in the plan (shared seed document).
FICHE_11 = {
    "Nature de l'action": "Lieu numérique de partage d'information, avec mise en place de "
    "profils utilisateurs.",
    "Objectif stratégique": "Actualisation des points clés du diagnostic et comparaison des "
    "échelons d'analyse ; évaluation des PLH et suivi des actions du PDH ; mise à disposition "
    "de rapports d'analyse, échange de documents et enregistrement d'appels à contribution.",
    "Territoires visés": "Tout le département, avec décomposition de l'information à "
    "différents échelons (typologie du SRADDET, bassin minier, SCOT, EPCI, communes...) et "
    "comparaison du département à des référents régionaux et nationaux.",
    "Acteurs visés": "EPCI, opérateurs, partenaires institutionnels.",
    "Modalités opératoires": "Tableau de bord habitat avec indicateurs clés comparant les "
    "échelons d'analyse ; « Défis habitat » pour apporter des réponses à des questions "
    "spécifiques ; fiche de suivi des PLH ; fiche de suivi des actions du PDH ; plateforme "
    "documentaire (études, documents de planification) ; plateforme contributive (appels à "
    "contribution et cahier de synthèse).",
}
FICHE_11_EVALUATION = (
    "Indicateurs d'évaluation : nombre de profils créés, de connexions ; évaluation "
    "qualitative sous forme de sondages annuels."
)

CSS = """
@page { size: A4; margin: 2cm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; }
h1 { font-size: 16pt; color: #000091; } h2 { font-size: 12pt; color: #000091; }
.demo { border: 2px solid #b34000; color: #b34000; padding: .4em .6em; font-weight: bold; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ccc; padding: 4px; }
"""


def _pdf(
    title: str, sections: list[tuple[str, str]], table: list[list[str]] | None = None
) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    parts = [
        f"<h1>{escape(title)}</h1>",
        '<p class="demo">Document de démonstration produit par l\'observatoire à partir de '
        "ses données embarquées : ce n'est pas un document officiel.</p>",
    ]
    for heading, text in sections:
        parts.append(f"<h2>{escape(heading)}</h2><p>{escape(text)}</p>")
    if table:
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table
        )
        parts.append(f"<table>{rows}</table>")
    html = f'<html lang="fr"><head><meta charset="utf-8"><style>{CSS}</style></head><body>'
    html += "".join(parts) + "</body></html>"
    offline = URLFetcher(allowed_protocols=())
    pdf: bytes = HTML(string=html, url_fetcher=offline).write_pdf()
    return pdf


def _figure(code: str, territory: str) -> tuple[str, str]:
    """A figure of the cube, formatted, and its source and year."""

    try:
        value = figures.cube().value(code, Territory.parse(territory))
    except QueryError:
        return "non disponible", "cube absent"
    source = value.as_dict()["source"]["name"] or "source inconnue"
    return value.formatted(), f"{source}, {value.year}" if value.year else source


def _vacancy_csv() -> bytes:
    ref = figures.referential()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["code_commune", "commune", "taux_vacance_pct", "annee", "source", "statut"])

    try:
        cube = figures.cube()
    except QueryError:  # no cube: the table says so
        return (out.getvalue() + "# cube absent\n").encode("utf-8")
    for code in ref.communes_of(Territory.parse(LENS)):
        value = cube.value("taux_vacance", Territory.parse(f"COM:{code}"))
        figure = "" if value.value is None else f"{value.value:.1f}".replace(".", ",")
        source = value.as_dict()["source"]["name"] or ""
        writer.writerow([code, value.name, figure, value.year or "", source, value.status])
    return out.getvalue().encode("utf-8")


def _document(orgs: dict[str, Organisation], **spec: Any) -> Document | None:
    if Document.objects.filter(title=spec["title"], is_demo=True).exists():
        return None
    versions = spec.pop("versions")
    org = orgs[spec.pop("org")]
    first_name, first_content = versions[0][:2]
    checked = files.check(files.in_memory(first_name, first_content))
    document = library.create_document(checked, None, organisation=org, is_demo=True, **spec)
    for name, content, note in versions[1:]:
        library.add_version(document, files.check(files.in_memory(name, content)), None, note)
    return document


def _documents(orgs: dict[str, Organisation]) -> int:
    fiche = list(FICHE_11.items())
    rate, rate_source = _figure("taux_vacance", LENS)
    lls, lls_source = _figure("taux_lls", LENS)
    specs = [
        {
            "title": "PDH du Nord — fiche action 11 : observatoire et plateforme d'échange",
            "kind": "pdh",
            "summary": "Résumé de la fiche action 11 du plan départemental de l'habitat du "
            "Nord : lieu numérique de partage d'information, plateforme documentaire, "
            "plateforme contributive et défis habitat.",
            "territories": ["DEP:59"],
            "themes": ["observation"],
            "date": date(2024, 1, 15),
            "diffusion": "public",
            "org": "nord",
            "versions": [
                ("pdh-nord-fiche-11.pdf", _pdf("PDH du Nord — fiche action 11", fiche), ""),
                (
                    "pdh-nord-fiche-11-v2.pdf",
                    _pdf(
                        "PDH du Nord — fiche action 11",
                        [*fiche, ("Évaluation", FICHE_11_EVALUATION)],
                    ),
                    "Ajout des indicateurs d'évaluation",
                ),
            ],
        },
        {
            "title": "Comité technique habitat de la CA de Lens-Liévin — compte rendu",
            "kind": "compte_rendu",
            "summary": "Compte rendu de démonstration : chiffres clés du parc et points "
            "d'attention sur la vacance, partagé avec les partenaires du territoire.",
            "territories": [LENS],
            "themes": ["vacance", "parc_social"],
            "date": date(2025, 3, 20),
            "diffusion": "restreint",
            "org": "lens",
            "versions": [
                (
                    "cr-comite-technique-habitat-lens-lievin.pdf",
                    _pdf(
                        "Comité technique habitat — CA de Lens-Liévin",
                        [
                            (
                                "Ordre du jour",
                                "Point d'étape du programme local de l'habitat ; "
                                "repérage des logements durablement vacants ; "
                                "programmation du parc locatif social.",
                            ),
                            (
                                "Chiffres clés présentés",
                                f"Taux de vacance : {rate} ({rate_source}). Logements "
                                f"sociaux pour 100 résidences principales : {lls} "
                                f"({lls_source}).",
                            ),
                        ],
                    ),
                    "",
                )
            ],
        },
        {
            "title": "Taux de vacance des communes de la CA de Lens-Liévin",
            "kind": "donnees",
            "summary": "Tableau CSV par commune (taux de vacance du recensement, année et "
            "source), extrait de l'observatoire pour le diagnostic du PLH.",
            "territories": [LENS],
            "themes": ["vacance"],
            "date": date(2025, 2, 1),
            "diffusion": "partenaires",
            "org": "lens",
            "versions": [("taux-vacance-communes-lens-lievin.csv", _vacancy_csv(), "")],
        },
    ]
    return sum(1 for spec in specs if _document(orgs, **spec) is not None)


OPEN_CALL = "Plateforme d'échange du PDH : quels documents et quels profils ?"
CLOSED_CALL = "Repérage des copropriétés fragiles : quelles sources locales ?"
DEFI = "Qui a déjà mobilisé LOVAC pour contacter les propriétaires de logements vacants ?"

CLOSED_SYNTHESIS = """# Ce que disent les contributions
Trois partenaires ont répondu. Tous combinent le registre national d'immatriculation des copropriétés avec une source locale : signalements des communes, impayés de charges remontés par l'ADIL, repérage de terrain par l'opérateur.

# Points d'accord
Le registre seul ne suffit pas : les petites copropriétés y sont mal renseignées. Un croisement annuel, partagé entre EPCI, éviterait que chacun refasse le travail.

# Suites proposées
L'observatoire publiera une fiche méthode et une liste des copropriétés à surveiller, en diffusion restreinte aux partenaires des territoires concernés."""


def _answer(call: Call, org: Organisation, text: str, tags: list[str]) -> None:
    Answer.objects.create(call=call, organisation=org, text=text, tags=tags)


def _calls(orgs: dict[str, Organisation]) -> int:
    created = 0
    today = timezone.localdate()
    if not Call.objects.filter(title=OPEN_CALL, is_demo=True).exists():
        call = Call.objects.create(
            title=OPEN_CALL,
            question="La fiche 11 du PDH du Nord prévoit un lieu numérique de partage "
            "d'information avec des profils utilisateurs, une plateforme documentaire (études, "
            "documents de planification) et une plateforme contributive. Quels documents "
            "partageriez-vous en priorité, avec qui, et quels profils d'utilisateurs faut-il "
            "prévoir dans votre structure ?",
            themes=["observation"],
            territories=["DEP:59"],
            deadline=today + timedelta(days=60),
            organisation=orgs["nord"],
            is_demo=True,
        )
        _answer(
            call,
            orgs["adil"],
            "Nous partagerions en priorité nos notes de conjoncture trimestrielles et le bilan "
            "annuel des consultations juridiques. Deux profils suffisent chez nous : un "
            "contributeur pour déposer, des lecteurs pour les conseillers.",
            [],
        )
        created += 1
    if not Call.objects.filter(title=CLOSED_CALL, is_demo=True).exists():
        opened = timezone.now() - timedelta(days=120)
        call = Call.objects.create(
            title=CLOSED_CALL,
            question="Quelles sources utilisez-vous pour repérer les copropriétés fragiles de "
            "votre territoire, et que faudrait-il mettre en commun ?",
            themes=["parc_prive"],
            territories=["DEP:62"],
            deadline=(opened + timedelta(days=45)).date(),
            organisation=orgs["pdc"],
            created_at=opened,
            closed_at=opened + timedelta(days=60),
            synthesis=CLOSED_SYNTHESIS,
            synthesis_updated=opened + timedelta(days=58),
            is_demo=True,
        )
        _answer(
            call,
            orgs["lens"],
            "Nous croisons le registre des copropriétés avec les signalements des communes et "
            "les données de l'opérateur du programme d'amélioration de l'habitat.",
            ["registre", "signalements"],
        )
        _answer(
            call,
            orgs["arras"],
            "Le registre est notre seule source ; une liste partagée par l'observatoire nous "
            "ferait gagner du temps.",
            ["registre", "mise en commun"],
        )
        _answer(
            call,
            orgs["adil"],
            "Les consultations sur les impayés de charges sont un signal précoce : nous "
            "pouvons les agréger par commune, sans données personnelles.",
            ["impayés", "mise en commun"],
        )
        created += 1
    return created


def _defis(orgs: dict[str, Organisation]) -> int:
    if Defi.objects.filter(title=DEFI, is_demo=True).exists():
        return 0
    defi = Defi.objects.create(
        title=DEFI,
        question="Nous voulons écrire aux propriétaires de logements vacants depuis plus de "
        "deux ans. Quelqu'un a-t-il déjà obtenu et utilisé le fichier LOVAC pour cela, et "
        "avec quel taux de réponse ?",
        themes=["vacance"],
        territories=[LENS],
        organisation=orgs["lens"],
        is_demo=True,
    )
    DefiAnswer.objects.create(
        defi=defi,
        organisation=orgs["arras"],
        text="Oui : le fichier se demande auprès de la DGALN, avec une convention "
        "d'utilisation. Nous avons écrit aux propriétaires des communes les plus touchées, "
        "puis relancé par téléphone ceux qui avaient répondu.",
    )
    accepted = DefiAnswer.objects.create(
        defi=defi,
        organisation=orgs["pdc"],
        text="Le Département peut vous transmettre la méthode et les modèles de courrier "
        "qu'il a utilisés, ainsi que la démarche pour obtenir le fichier.",
    )
    defi.accepted_answer = accepted
    defi.save(update_fields=["accepted_answer"])
    return 1


def load(console: Console) -> None:
    orgs = {}
    for key, (name, kind, territory) in ORGS.items():
        orgs[key], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "territory": territory}
        )
    documents = _documents(orgs)
    calls = _calls(orgs)
    defis = _defis(orgs)
    console.print(
        f"Échanges : {documents} document(s), {calls} appel(s) et {defis} défi(s) de "
        "démonstration ajoutés.",
        highlight=False,
    )
