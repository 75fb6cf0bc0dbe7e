"""The portrait's plain-language summary (issue #14 §1), written by rules from the key
figures: every number in it is one the key-figures block shows, with its status.

- a value that is not visible (secret, missing, restricted) gives at most "X est couvert
  par le secret statistique" / nothing: never a comparison nor an evolution;
- a référent that is not visible is left out of the comparison (no "supérieur à" a
  secret value);
- an estimated value is said "valeur estimée";
- the rank is the block's: among the siblings with a visible value only;
- "proche de" when the two values differ by less than `CLOSE` (relative), else
  "supérieur(e) à" / "inférieur(e) à";
- the subject's gender comes from the first word of the indicator's label (`_SUBJECTS`);
  a label starting otherwise is written "La valeur « label »", which is feminine.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatoire import figures
from observatoire.figures import Value
from observatoire.portrait.key_figures import Change, KeyFigure
from observatoire.status import Status

CLOSE = 0.03  # 3 %: 7,2 % against 7,3 % is "proche", against 8,1 % "inférieur"

# First word of a label -> (article, feminine).
_SUBJECTS = {
    "taux": ("Le ", False),
    "part": ("La ", True),
    "revenu": ("Le ", False),
    "prix": ("Le ", False),
    "nombre": ("Le ", False),
    "population": ("La ", True),
    "loyer": ("Le ", False),
}


@dataclass(frozen=True)
class Subject:
    text: str  # "Le taux de vacance"
    feminine: bool

    def agree(self, word: str) -> str:
        return f"{word}e" if self.feminine else word

    @property
    def pronoun(self) -> str:
        return "elle" if self.feminine else "il"

    @property
    def that(self) -> str:
        return "celle" if self.feminine else "celui"


def subject(label: str) -> Subject:
    first = label.split(" ", 1)[0].lower()
    if first in _SUBJECTS:
        article, feminine = _SUBJECTS[first]
        return Subject(article + label[0].lower() + label[1:], feminine)
    return Subject(f"La valeur « {label} »", True)


def number(v: Value) -> str:
    """The value as the block shows it, "estimé" said in words."""
    assert v.value is not None
    text = f"{figures.french_number(v.value, v.indicator.decimals)} {v.indicator.unit}"
    return f"{text}, valeur estimée" if v.status == Status.ESTIMATED else text


def _join(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " et " + parts[-1]


def _relation(s: Subject, c: Change, own: float, other: float) -> str:
    if (other and abs(own / other - 1) < CLOSE) or c.rounded == 0:
        return "proche de"
    return s.agree("supérieur") + " à" if c.delta > 0 else s.agree("inférieur") + " à"


def comparison(s: Subject, k: KeyFigure) -> str:
    """ "est proche de celui du Pas-de-Calais (7,3 %) et inférieur à celui de la France
    (8,1 %)", from the visible référents only."""
    groups: dict[str, list[str]] = {}
    for g in k.gaps:
        if g.change is None:
            continue
        assert k.value.value is not None and g.referent.value is not None
        rel = _relation(s, g.change, k.value.value, g.referent.value)
        groups.setdefault(rel, []).append(f"{g.of_name} ({number(g.referent)})")
    if not groups:
        return ""
    # "supérieur à celui de la CA (7,2 %), du Pas-de-Calais (7,3 %) et de la France (8,1 %)"
    clauses = [f"{rel} {s.that} {_join(items)}" for rel, items in groups.items()]
    return "est " + _join(clauses)


def change_words(s: Subject, k: KeyFigure) -> str:
    """ "a augmenté de 0,4 point depuis 2015 (6,8 %)", without its subject."""
    e = k.evolution
    if e is None:
        return ""
    year = e.previous.year
    if e.change is None:
        return f"n'est pas comparable à {year} (changement de source)"
    if e.change.rounded == 0:
        return f"est {s.agree('resté')} stable depuis {year} ({number(e.previous)})"
    verb = "augmenté" if e.change.delta > 0 else "diminué"
    amount = e.change.text.lstrip("+−")
    return f"a {verb} de {amount} depuis {year} ({number(e.previous)})"


def sentence(k: KeyFigure) -> str | None:
    """One sentence per key figure, or None when there is nothing to compare."""
    s = subject(k.indicator.label)
    if k.value.status == Status.SECRET:
        return f"{s.text} est {s.agree('couvert')} par le secret statistique."
    if not k.visible:
        return None
    parts = [p for p in (comparison(s, k), change_words(s, k), rank_words(k)) if p]
    if not parts:
        return None
    head = f"{s.text} ({number(k.value)}) {parts[0]}"
    return "".join([head, *(f" ; {s.pronoun} {p}" for p in parts[1:])]) + "."


def rank_words(k: KeyFigure) -> str:
    """ "se classe au 3e rang sur 36 communes de la CA de Lens - Liévin (par valeur
    décroissante)": the rank the block shows, among the visible values only."""
    r = k.rank
    if r is None:
        return ""
    nth = "1er" if r.position == 1 else f"{r.position}e"
    tie = " ex æquo" if r.tied else ""
    return f"se classe au {nth} rang{tie} sur {r.ranked} {r.siblings} (par valeur décroissante)"


def summary(items: list[KeyFigure]) -> list[str]:
    return [s for k in items if (s := sentence(k))]
