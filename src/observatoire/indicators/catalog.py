"""The indicator catalog (catalog.toml), loaded into typed, checked objects."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from observatoire.errors import UserError
from observatoire.problems import Problem
from observatoire.settings import Settings
from observatoire.sources import declared
from observatoire.sources.schema import SourceError
from observatoire.status import Status

AGGREGATIONS = {
    "sum",
    "ratio",
    "weighted_mean",
    "median_records",
    "mean_records",
    "count_records",
    "published",
    "growth",
    "income_mixture",
}
# How the portal and the documentation name each rule, in French (one label per rule: a
# test checks none is missing).
AGGREGATION_LABELS = {
    "sum": "somme",
    "ratio": "rapport de sommes",
    "weighted_mean": "moyenne pondérée",
    "median_records": "médiane recalculée sur les enregistrements",
    "mean_records": "moyenne recalculée sur les enregistrements",
    "count_records": "nombre d'enregistrements",
    "published": "valeur publiée par le producteur",
    "growth": "taux d'évolution annuel moyen",
    "income_mixture": "estimation par mélange des distributions communales de revenus",
}
# A commune absent from the file counts as 0, or takes this status.
ABSENT = {"zero", Status.SECRET, Status.MISSING}
ABSENT_LABELS = {
    "zero": "une commune absente du fichier compte pour 0",
    Status.SECRET: "une commune absente du fichier est couverte par le secret",
    Status.MISSING: "une commune absente du fichier est sans donnée",
}
DIFFUSIONS = {"public", "partenaires", "restreint"}
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")


class CatalogError(UserError, ValueError):
    pass


@dataclass(frozen=True)
class Component:
    """One or several variables of one source, summed (e.g. loués + vacants)."""

    source: str
    variables: tuple[str, ...]
    # "same" | "latest_before": latest year <= the numerator's | "latest": the latest year
    # loaded, for a quantity that does not change with the numerator (commune areas).
    year: str = "same"

    @property
    def label(self) -> str:
        return f"{self.source}:{'+'.join(self.variables)}"


@dataclass(frozen=True)
class Records:
    source: str
    table: str
    column: str | None = None


@dataclass(frozen=True)
class Recipe:
    aggregation: str
    absent: str = Status.MISSING
    value: Component | None = None  # sum, published, weighted_mean (the mean)
    numerator: Component | None = None
    denominator: Component | None = None
    weight: Component | None = None
    records: Records | None = None
    # Départements the source never covers (DVF: Alsace-Moselle, Mayotte): a France total
    # leaves them out and says so, instead of being unavailable forever.
    outside: tuple[str, ...] = ()
    # growth only: compare each year with the year `interval` years before (census
    # populations are compared over five years or more), instead of the previous one loaded.
    interval: int | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        parts = [self.value, self.numerator, self.denominator, self.weight, self.records]
        seen: list[str] = []
        for p in parts:
            if p is not None and p.source not in seen:
                seen.append(p.source)
        return tuple(seen)


@dataclass(frozen=True)
class Secrecy:
    min_weight: float | None = None
    min_numerator: float | None = None
    secondary: bool = False
    # Share of a masked value the attacker's interval must span (docs/methodes.md).
    protection: float = 0.2


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    theme: str
    definition: str
    unit: str
    decimals: int
    diffusion: str
    aggregation: str
    recipes: tuple[Recipe, ...]
    factor: float = 1.0
    secrecy: Secrecy = Secrecy()

    @property
    def sources(self) -> tuple[str, ...]:
        out: list[str] = []
        for r in self.recipes:
            out += [s for s in r.sources if s not in out]
        return tuple(out)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "theme": self.theme,
            "definition": self.definition,
            "unit": self.unit,
            "decimals": self.decimals,
            "diffusion": self.diffusion,
            "aggregation": self.aggregation,
            "sources": list(self.sources),
            "secrecy": {
                "min_weight": self.secrecy.min_weight,
                "min_numerator": self.secrecy.min_numerator,
                "secondary": self.secrecy.secondary,
                "protection": self.secrecy.protection,
            },
        }


def _component(raw: dict[str, Any] | None) -> Component | None:
    if raw is None:
        return None
    variables = raw["variable"]
    return Component(
        source=raw["source"],
        variables=tuple(variables) if isinstance(variables, list) else (variables,),
        year=raw.get("year", "same"),
    )


def _recipe(raw: dict[str, Any], default_aggregation: str, code: str) -> Recipe:
    aggregation = raw.get("aggregation", default_aggregation)
    if aggregation not in AGGREGATIONS:
        raise CatalogError(f"{code} : agrégation « {aggregation} » inconnue.")
    absent = raw.get("absent", Status.MISSING)
    if absent not in ABSENT:
        raise CatalogError(f"{code} : valeur « absent = {absent} » inconnue.")
    records = raw.get("records")
    recipe = Recipe(
        aggregation=aggregation,
        absent=absent,
        value=_component(raw.get("value") or (raw if "variable" in raw else None)),
        numerator=_component(raw.get("numerator")),
        denominator=_component(raw.get("denominator")),
        weight=_component(raw.get("weight")),
        records=Records(**records) if records else None,
        outside=tuple(raw.get("hors_perimetre", ())),
        interval=raw.get("interval"),
    )
    needs = {
        "sum": ("value",),
        "growth": ("value",),
        "published": ("value",),
        "income_mixture": ("value",),
        "ratio": ("numerator", "denominator"),
        "weighted_mean": ("value", "weight"),
        "median_records": ("records",),
        "mean_records": ("records",),
        "count_records": ("records",),
    }[aggregation]
    for name in needs:
        if getattr(recipe, name) is None:
            raise CatalogError(f"{code} : la recette « {aggregation} » exige « {name} ».")
    return recipe


def parse_catalog(text: str) -> dict[str, Indicator]:
    data = tomllib.loads(text)
    out: dict[str, Indicator] = {}
    for raw in data.get("indicator", []):
        code = raw["code"]
        if code in out:
            raise CatalogError(f"Indicateur « {code} » déclaré deux fois.")
        if raw["diffusion"] not in DIFFUSIONS:
            raise CatalogError(f"{code} : diffusion « {raw['diffusion']} » inconnue.")
        aggregation = raw["aggregation"]
        out[code] = Indicator(
            code=code,
            label=raw["label"],
            theme=raw["theme"],
            definition=raw["definition"],
            unit=raw["unit"],
            decimals=int(raw.get("decimals", 0)),
            diffusion=raw["diffusion"],
            aggregation=aggregation,
            factor=float(raw.get("factor", 1.0)),
            secrecy=Secrecy(**raw.get("secrecy", {})),
            recipes=tuple(_recipe(r, aggregation, code) for r in raw["recipes"]),
        )
    return out


@cache
def national() -> dict[str, Indicator]:
    text = (resources.files("observatoire.indicators") / "catalog.toml").read_text("utf-8")
    return parse_catalog(text)


def catalog(settings: Settings | None = None) -> dict[str, Indicator]:
    """The national catalog, then the indicators of the sources declared in the data dir
    (default: the active one)."""
    found = declared.registered(settings)
    if not found:
        return national()
    return _with_declared(tuple(found.values()))


@lru_cache(maxsize=16)
def _with_declared(declarations: tuple[declared.Declaration, ...]) -> dict[str, Indicator]:
    out = dict(national())
    for decl in declarations:
        out.update(declared_indicators(decl))
    return out


_DECLARED_KEYS = {
    "code", "label", "theme", "definition", "unit", "decimals", "diffusion",
    "aggregation", "variable", "numerator", "denominator", "factor",
}  # fmt: skip


def declared_indicators(decl: declared.Declaration) -> dict[str, Indicator]:
    """The [[indicator]] blocks of a declaration (a sum of one variable, or a ratio of
    sums); SourceError listing every problem with its key."""
    problems: list[Problem] = []
    out: dict[str, Indicator] = {}

    def bad(key: str, message: str, value: object = None) -> None:
        shown = None if value is None else str(value)
        problems.append(Problem(decl.name, message, column=key, value=shown, kind="déclaration"))

    def variable(raw: dict[str, Any], key: str, where: str) -> declared.Variable | None:
        name = raw.get(key)
        found = decl.variable(name) if isinstance(name, str) else None
        if found is None:
            bad(f"{where}.{key}", "variable non déclarée dans [[variable]].", name)
        return found

    if not decl.indicators:
        bad("indicator", "au moins un bloc [[indicator]] attendu.")
    for i, raw in enumerate(decl.indicators, start=1):
        where = f"indicator[{i}]"
        for extra in sorted(set(raw) - _DECLARED_KEYS):
            bad(f"{where}.{extra}", "clé inconnue (voir docs/sources-declarees/README.md).")
        code = raw.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            bad(f"{where}.code", "code en minuscules, chiffres et _ attendu.", code)
            continue
        if code in national():
            bad(f"{where}.code", "code déjà pris par un indicateur national.", code)
        if code in out:
            bad(f"{where}.code", "indicateur déclaré deux fois.", code)
        texts = {}
        for key in ("label", "theme", "definition", "unit"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                bad(f"{where}.{key}", "texte non vide attendu.", value)
            texts[key] = str(value)
        diffusion = raw.get("diffusion", decl.diffusion)
        if diffusion not in DIFFUSIONS:
            bad(
                f"{where}.diffusion",
                f"valeur attendue : {', '.join(declared.DIFFUSIONS)}.",
                diffusion,
            )
        elif decl.diffusion in DIFFUSIONS and declared.wider(diffusion, decl.diffusion):
            bad(
                f"{where}.diffusion",
                f"diffusion plus large que celle qu'exige le producteur ({decl.diffusion}).",
                diffusion,
            )
        aggregation = raw.get("aggregation")
        if aggregation == "sum":
            value = variable(raw, "variable", where)
            parts = {"value": value}
        elif aggregation == "ratio":
            parts = {
                "numerator": variable(raw, "numerator", where),
                "denominator": variable(raw, "denominator", where),
            }
        else:
            bad(f"{where}.aggregation", "agrégation attendue : sum ou ratio.", aggregation)
            continue
        factor, decimals = raw.get("factor", 1), raw.get("decimals", 0)
        if isinstance(factor, bool) or not isinstance(factor, int | float) or factor <= 0:
            bad(f"{where}.factor", "nombre positif attendu.", factor)
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3:
            bad(f"{where}.decimals", "entier de 0 à 3 attendu.", decimals)
        if problems or None in parts.values():
            continue
        first = next(v for v in parts.values() if v is not None)
        components = {k: Component(decl.name, (v.name,)) for k, v in parts.items() if v is not None}
        recipe = Recipe(
            aggregation=aggregation,
            absent=first.absent,
            value=components.get("value"),
            numerator=components.get("numerator"),
            denominator=components.get("denominator"),
        )
        # The threshold applies to the counted variable (the numerator of a ratio).
        threshold = decl.threshold
        out[code] = Indicator(
            code=code,
            label=texts["label"],
            theme=texts["theme"],
            definition=texts["definition"],
            unit=texts["unit"],
            decimals=int(decimals),
            diffusion=str(diffusion),
            aggregation=aggregation,
            recipes=(recipe,),
            factor=float(factor),
            secrecy=Secrecy(min_numerator=threshold, secondary=True) if threshold else Secrecy(),
        )
    if problems:
        raise SourceError(problems)
    return out


def get(code: str, settings: Settings | None = None) -> Indicator:
    try:
        return catalog(settings)[code]
    except KeyError:
        raise CatalogError(
            f"Indicateur « {code} » inconnu. Voir la liste : observatoire indicators."
        ) from None
