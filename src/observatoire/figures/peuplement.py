"""The peuplement of a commune or an EPCI: what the "observatoire du peuplement" of a PLH
(CALL PLH 4-1, « occupation et attributions ») shows its conférence intercommunale du
logement, from what the observatory has loaded: the occupancy of the social stock (RPLS),
the demands and attributions (SNE), the quartiers prioritaires (QPV) and the social
dwellings in them.

Each figure is read under its diffusion (a SNE figure out of reach comes back restricted);
a source not loaded says where its file comes from. What no loaded file gives is listed
with the source that would: the RPLS describes dwellings, never their occupants."""

from __future__ import annotations

from dataclasses import dataclass

from observatoire.figures.provenance import SourceOrigin, origins
from observatoire.figures.reader import PUBLIC, Reader
from observatoire.figures.store import referential
from observatoire.figures.values import read_value
from observatoire.figures.zonages import QPV_SOURCE_LABEL, QPV_YEAR, Quartier, quartiers_of
from observatoire.indicators.catalog import get
from observatoire.indicators.query import NOT_LOADED, Value
from observatoire.status import Status
from observatoire.territories import Level, Territory

LEVELS = (Level.COM, Level.EPCI)


@dataclass(frozen=True)
class Gap:
    """What the section should show and no loaded file gives, and who would give it."""

    what: str
    source: str


@dataclass(frozen=True)
class Line:
    value: Value
    # Where the files come from, when the figure's source is not loaded.
    origins: tuple[SourceOrigin, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: tuple[Line, ...]
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class Peuplement:
    territory: Territory
    sections: tuple[Section, ...]
    # One row per quartier and commune it lies in (the QPV file's `quartiers` table).
    rows: tuple[Quartier, ...]
    qpv_millesime: int | None
    qpv_source: str = QPV_SOURCE_LABEL
    qpv_year: int = QPV_YEAR

    @property
    def quartiers(self) -> tuple[Quartier, ...]:
        """Each quartier once, a straddling one under the first of its communes here."""
        return tuple({q.code: q for q in reversed(self.rows)}[c] for c in self._codes())

    def _codes(self) -> list[str]:
        return list(dict.fromkeys(q.code for q in self.rows))

    @property
    def communes_qpv(self) -> tuple[str, ...]:
        """The communes with (part of) a quartier prioritaire, in COG order."""
        return tuple(dict.fromkeys(q.code_commune for q in self.rows))


_OCCUPANTS = Gap(
    "Âge, composition familiale, activité et ressources des ménages occupants du parc "
    "social, ménages emménagés récemment",
    "Enquête sur l'occupation du parc social (OPS, obligatoire pour les bailleurs tous les "
    "deux ans, CCH art. L442-5) : résultats par commune et EPCI, à demander à la DREAL ou à "
    "l'association régionale des organismes HLM. Le RPLS décrit les logements, pas leurs "
    "occupants.",
)
_DEMANDEURS = Gap(
    "Composition, ressources et ancienneté des ménages demandeurs et attributaires ; part "
    "des attributions hors QPV aux ménages du premier quartile de ressources (objectif de "
    "25 %, loi Égalité et citoyenneté)",
    "Système national d'enregistrement (SNE), fichiers détaillés des demandes et des "
    "attributions : DREAL, sous convention.",
)
_QPV_OCCUPANTS = Gap(
    "Attributions et occupants du parc social en quartier prioritaire",
    "SNE (attributions localisées) et OPS (occupants par quartier) : DREAL, sous convention.",
)

SECTIONS: tuple[tuple[str, str, tuple[str, ...], tuple[Gap, ...]], ...] = (
    (
        "occupation",
        "Occupation du parc social",
        (
            "lls_nombre",
            "lls_loues",
            "lls_part_loues",
            "lls_taux_vacance",
            "lls_part_vides",
            "lls_part_associations",
            "lls_taux_mobilite",
        ),
        (_OCCUPANTS,),
    ),
    (
        "demande",
        "Demandes et attributions",
        ("sne_demandes", "sne_attributions", "sne_demandes_par_attribution", "sne_delai_median"),
        (_DEMANDEURS,),
    ),
    (
        "qpv",
        "Quartiers prioritaires de la politique de la ville",
        ("qpv_nombre", "population_qpv", "lls_nombre_qpv", "lls_part_qpv"),
        (_QPV_OCCUPANTS,),
    ),
)


def _line(reader: Reader, code: str, territory: Territory) -> Line:
    indicator = get(code)
    v = read_value(reader, indicator, territory)
    loaded = not (v.status == Status.MISSING and v.note == NOT_LOADED)
    return Line(v, () if loaded else tuple(origins(indicator)))


def peuplement(territory: Territory, reader: Reader = PUBLIC) -> Peuplement:
    """The peuplement of a commune or an EPCI (ValueError for another level)."""
    if territory.level not in LEVELS:
        raise ValueError(f"peuplement : communes et EPCI seulement, pas {territory.id}")
    sections = tuple(
        Section(key, title, tuple(_line(reader, c, territory) for c in codes), gaps)
        for key, title, codes, gaps in SECTIONS
    )
    found = quartiers_of(list(referential().communes_of(territory)))
    return Peuplement(territory, sections, found.quartiers, found.millesime)
