"""The indicator catalog (catalog.toml), loaded into typed, checked objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from observatoire.errors import UserError
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
}
# A commune absent from the file counts as 0, or takes this status.
ABSENT = {"zero", Status.SECRET, Status.MISSING}
ABSENT_LABELS = {
    "zero": "une commune absente du fichier compte pour 0",
    Status.SECRET: "une commune absente du fichier est couverte par le secret",
    Status.MISSING: "une commune absente du fichier est sans donnée",
}
DIFFUSIONS = {"public", "partenaires", "restreint"}


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
def catalog() -> dict[str, Indicator]:
    text = (resources.files("observatoire.indicators") / "catalog.toml").read_text("utf-8")
    return parse_catalog(text)


def get(code: str) -> Indicator:
    try:
        return catalog()[code]
    except KeyError:
        raise CatalogError(
            f"Indicateur « {code} » inconnu. Voir la liste : observatoire indicators."
        ) from None
