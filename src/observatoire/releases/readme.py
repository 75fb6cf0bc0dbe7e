"""The French README of a release: what the files hold, the statuses, the sources and
their licences (from each source's SourceInfo, the SOURCES files' statement), methods."""

from __future__ import annotations

from observatoire import sources
from observatoire.releases.rows import STATUSES
from observatoire.releases.summary import Summary
from observatoire.status import Status
from observatoire.territories import Territory

STATUS_ORDER = (Status.OK, Status.ESTIMATED, Status.SECRET, Status.MISSING, Status.UNAVAILABLE)
METHODS = "docs/methodes.md (dépôt du logiciel observatoire, licence libre)"


def _sources(summary: Summary) -> list[str]:
    millesimes = summary.millesimes
    infos = {sources.get(n).label: sources.get(n) for n in sources.names()}
    out = []
    for label in sorted(millesimes):
        years = ", ".join(str(y) for y in sorted(millesimes[label]) if y) or "non précisé"
        info = infos.get(label)
        if info is None:
            out.append(f"- **{label}** : millésime(s) {years}.")
            continue
        out.append(
            f"- **{label}** ({info.producer}) : millésime(s) {years} ; licence : "
            f"{info.licence} ; {info.url}"
        )
    return out


def text(
    scope: Territory,
    name: str,
    built_at: str,
    cog: int,
    summary: Summary,
) -> str:
    indicators = len(summary.indicators)
    territories = len(summary.territories)
    lines = [
        f"# Observatoire de l'habitat : indicateurs, {name} ({scope.id})",
        "",
        f"Publication des données du cube d'indicateurs calculé le {built_at} "
        f"(date de version, seule date écrite dans les fichiers). Codes géographiques : "
        f"COG au 1er janvier {cog} ; la colonne `millesime_cog` donne le COG des codes de "
        "chaque source.",
        "",
        f"{summary.rows} lignes : {indicators} indicateurs × {territories} territoires "
        "(le territoire, ses communes et territoires inclus, ses territoires de référence) "
        "× années. Seuls les indicateurs en diffusion publique sont publiés.",
        "",
        "## Fichiers",
        "",
        "- `donnees.csv` : UTF-8, séparateur `,`, point décimal, une ligne d'en-tête, codes "
        "INSEE écrits tels quels (« 01001 ») ; une ligne par indicateur × territoire × année.",
        "- `donnees.parquet` : les mêmes lignes, colonnes typées.",
        "- `datapackage.json` : description des colonnes (Table Schema, conventions "
        "frictionless), empreintes sha256 des fichiers.",
        "",
        "## Statuts",
        "",
        "Une valeur absente n'est jamais recalculée ni devinée : la cellule `valeur` est "
        "vide et `statut` dit pourquoi, `note` le précise.",
        "",
        *(f"- `{s}` : {STATUSES[s]}" for s in STATUS_ORDER),
        "",
        "## Sources et licences",
        "",
        *_sources(summary),
        "",
        "Les données publiées ici sont dérivées de ces sources et diffusées sous leurs "
        "licences ; citer la source et son millésime avec chaque chiffre.",
        "",
        "## Méthodes",
        "",
        f"Définitions des indicateurs, agrégations et secret statistique : {METHODS}.",
        "",
    ]
    return "\n".join(lines)
