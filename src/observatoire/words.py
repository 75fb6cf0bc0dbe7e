"""French words that depend on a number, written once for the pages, the notes of the cube
and the exports: "1 site", "0 site", "2 sites", never "1 sites" nor "commune(s)".

French takes the singular below 2 ("0 commune", "1,5 logement"); the plural is the
singular plus "s" unless given ("1 bureau" / "2 bureaux"). Django-free: the data core
(notes written into the cube) and the template filter (`portal_tags.nombre`) share it."""

from __future__ import annotations


def agreed(count: float, singular: str, plural: str | None = None) -> str:
    """The word agreed with `count`: agreed(1, "site") -> "site", agreed(2, "site") -> "sites".
    A phrase agrees word by word: agreed(2, "réponse à un appel", "réponses à un appel")."""
    if abs(count) < 2:
        return singular
    return plural if plural is not None else f"{singular}s"


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """ "1 site", "2 sites", "1\u202f234 sites" (narrow no-break space between thousands)."""
    number = f"{count:,}".replace(",", "\u202f")
    return f"{number} {agreed(count, singular, plural)}"
