"""Template filters for the words every page writes, built into every template (settings
`TEMPLATES["OPTIONS"]["builtins"]`), so no app writes its own: a number with its noun
agreed ("1 site", "2 sites", observatoire.words) and a territory's name after "de"
("du Pas-de-Calais", territories.articles through figures.territory_of_name)."""

from __future__ import annotations

from django import template

from observatoire import figures
from observatoire.territories import Territory
from observatoire.words import agreed, counted

register = template.Library()


def _forms(arg: str) -> tuple[str, str | None]:
    singular, _, plural = arg.partition(",")
    return singular, plural or None


@register.filter
def nombre(count: int | None, arg: str) -> str:
    """{{ n|nombre:"site" }} -> "1 site", "2 sites";
    {{ n|nombre:"réponse à un appel,réponses à un appel" }} for a phrase."""
    return counted(count or 0, *_forms(arg))


@register.filter
def accord(count: int | None, arg: str) -> str:
    """{{ n|accord:"recensé" }}: the word alone, agreed with n ("recensé", "recensés")."""
    return agreed(count or 0, *_forms(arg))


@register.filter
def de(territory: Territory | str) -> str:
    """{{ territory|de }} -> "du Pas-de-Calais", "de la CA de Lens - Liévin", "d'Arras"."""
    t = territory if isinstance(territory, Territory) else Territory.parse(str(territory))
    return figures.territory_of_name(t)
