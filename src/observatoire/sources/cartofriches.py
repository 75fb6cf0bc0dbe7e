"""Cartofriches (Cerema): inventory of brownfield sites, CNIG "standard friches" CSV.

One line per site, 50 columns (site_id; site_nom; ...; geompoint; geomsurf). Quirks of the
Cerema export (checked on `friches_standard_test.csv`, 2,594 sites):
- ";" separator, UTF-8, "NA" = empty (the standard also lists "", "NaN", "N/A"); some
  fields (site_adresse, urba_zone_lib) hold line breaks inside quotes.
- comm_insee lost its leading zero on 181 sites ("1004" for 01004); Corsica "2A004" kept.
- Dates are "dd/mm/yyyy" although the standard (cnigfr/schema-friches) says ISO
  AAAA-MM-DD: both are read.
- geompoint is WKT "POINT (lon lat)" (the standard's own example swaps them: we follow the
  file, longitude first).
- site_statut is one of: friche potentielle (Basias/Basol sites not verified on the ground,
  1,544 here), friche sans projet, friche avec projet, friche reconvertie (20 here); it may
  be empty. Any other value is refused: the count depends on it.
- site_id is the standard's primary key: a site present twice is an error.
- Commune codes come from each contributor and are not all on one COG (27058, gone since
  2023, and 12076, gone in March 2024, are used): they are taken as COG of the millésime.

Tables: `sites` (one row per site: site_id, site_nom, site_type, site_statut, comm_insee,
comm_nom, unite_fonciere_surface in m², longitude, latitude, site_actu_date, source_nom)
and `observations`, per commune having at least one site, year = millésime:
- FRICHES: sites not reconverted (status "friche reconvertie" excluded, empty status kept);
  FRICHES_SANS_PROJET, FRICHES_AVEC_PROJET, FRICHES_POTENTIELLES: the same by status.
- FRICHES_SURFACE: sum of unite_fonciere_surface (m², unité foncière) of those sites; if one
  of them has no surface, the known sum is given with status "estimated" (a lower bound).
Millésime: a year in the file name if any, else the year of the latest site_actu_date
(13/02/2024 here, so 2024), or --millesime. Absence: a commune without any site = 0 friche
recensée. The inventory depends on what local partners (EPF, DDT, Fonds Friches calls...)
sent to the Cerema: coverage is very uneven (59: 206 sites, 46: 5), so "no site recorded"
is not "no brownfield", and a département with no site at all is left "not covered".
"""

from __future__ import annotations

import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    Problem,
    SourceError,
    SourceInfo,
    check_unique,
    detect_layout,
    observations,
    parse,
    read_rows,
    validate,
)
from observatoire.sources.schema import SURFACE
from observatoire.status import Status

MISSING = ("", "NA", "NaN", "N/A")
STATUTS = {
    "friche potentielle": "FRICHES_POTENTIELLES",
    "friche sans projet": "FRICHES_SANS_PROJET",
    "friche avec projet": "FRICHES_AVEC_PROJET",
    "friche reconvertie": "FRICHES_RECONVERTIES",
}
RECONVERTIE = "friche reconvertie"
VARIABLES = {
    "FRICHES": "Sites en friche recensés, hors friches reconverties (sites)",
    "FRICHES_SANS_PROJET": "dont friches sans projet (sites)",
    "FRICHES_AVEC_PROJET": "dont friches avec projet (sites)",
    "FRICHES_POTENTIELLES": "dont friches potentielles, non vérifiées (sites)",
    "FRICHES_RECONVERTIES": "Friches reconverties (sites)",
    "FRICHES_SURFACE": "Surface des unités foncières des friches non reconverties (m²)",
    "FRICHES_SURFACE_SANS_PROJET": "Surface des friches sans projet (m²)",
    "FRICHES_SURFACE_AVEC_PROJET": "Surface des friches avec projet (m²)",
    "FRICHES_SURFACE_RECONVERTIES": "Surface des friches reconverties (m²)",
}
FIELDS = [
    Field("site_id", "text", nullable=False, missing=MISSING),
    Field("site_nom", "text", missing=MISSING),
    Field("site_type", "text", missing=MISSING),
    Field("site_statut", "text", missing=MISSING),
    Field("comm_insee", "commune", nullable=False, missing=MISSING),
    Field("comm_nom", "text", missing=MISSING),
    Field("unite_fonciere_surface", "float", missing=MISSING, bounds=SURFACE),
    Field("site_actu_date", "text", missing=MISSING),
    Field("source_nom", "text", missing=MISSING),
    Field("geompoint", "text", missing=MISSING),
]
_POINT = r"^POINT ?\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)$"
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _dates(raw: pl.Series) -> pl.Series:
    frame = pl.DataFrame({"v": raw})
    v = pl.col("v")
    parsed = pl.coalesce(
        v.str.to_date("%d/%m/%Y", strict=False), v.str.to_date("%Y-%m-%d", strict=False)
    )
    return frame.select(parsed.alias("v"))["v"]


def _parse_extra(typed: pl.DataFrame, file: str) -> pl.DataFrame:
    """Dates in either format, WKT points, known statuses: every bad value reported."""
    dates = _dates(typed["site_actu_date"])
    lon = typed["geompoint"].str.extract(_POINT, 1).cast(pl.Float64, strict=False)
    lat = typed["geompoint"].str.extract(_POINT, 2).cast(pl.Float64, strict=False)
    checks = [
        (
            "site_actu_date",
            typed["site_actu_date"].is_not_null() & dates.is_null(),
            "date JJ/MM/AAAA ou AAAA-MM-JJ attendue.",
        ),
        (
            "geompoint",
            typed["geompoint"].is_not_null() & (lon.is_null() | lat.is_null()),
            "point WKT « POINT (longitude latitude) » attendu.",
        ),
        (
            "site_statut",
            typed["site_statut"].is_not_null() & ~typed["site_statut"].is_in(list(STATUTS)),
            f"statut inconnu (valeurs admises : {', '.join(STATUTS)}).",
        ),
    ]
    problems = [
        Problem(file, message, int(line), column, value)
        for column, bad, message in checks
        for line, value in zip(typed[LINE].filter(bad), typed[column].filter(bad), strict=True)
    ]
    if problems:
        raise SourceError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    return typed.with_columns(
        dates.alias("site_actu_date"), lon.alias("longitude"), lat.alias("latitude")
    )


def surface_observations(
    per_site: pl.DataFrame, groups: dict[str, pl.Expr], index: str = "code"
) -> pl.DataFrame:
    """Per `index`, the summed unité foncière of the sites of each group (variable ->
    condition on a site): a group whose sites all lack a surface is missing, one where some
    lack it is a lower bound (estimated). Columns: index, variable, value, status."""
    surface = pl.col("unite_fonciere_surface")
    parts = []
    for variable, member in groups.items():
        agg = per_site.group_by(index).agg(
            surface.filter(member).fill_null(0).sum().alias("value"),
            member.sum().alias("_n"),
            (member & surface.is_null()).sum().alias("_unknown"),
        )
        unknown = pl.col("_unknown")
        none_known = (unknown > 0) & (unknown == pl.col("_n"))
        parts.append(
            agg.select(
                index,
                pl.lit(variable).alias("variable"),
                pl.when(none_known).then(None).otherwise(pl.col("value")).alias("value"),
                pl.when(none_known)
                .then(pl.lit(Status.MISSING))
                .when(unknown > 0)
                .then(pl.lit(Status.ESTIMATED))
                .otherwise(pl.lit(Status.OK))
                .alias("status"),
            )
        )
    return pl.concat(parts)


def _per_commune(sites: pl.DataFrame) -> pl.DataFrame:
    """Counts and surfaces by status per commune having at least one site."""
    statut = pl.col("site_statut")
    active = statut.fill_null("") != RECONVERTIE
    per_site = sites.rename({"comm_insee": "code"})
    counts = per_site.group_by("code").agg(
        active.sum().alias("FRICHES"),
        *[(statut == s).sum().alias(variable) for s, variable in STATUTS.items()],
    )
    counted = counts.unpivot(index="code", variable_name="variable").with_columns(
        pl.col("value").cast(pl.Float64), pl.lit(Status.OK).alias("status")
    )
    surfaces = surface_observations(
        per_site,
        {
            "FRICHES_SURFACE": active,
            "FRICHES_SURFACE_SANS_PROJET": statut == "friche sans projet",
            "FRICHES_SURFACE_AVEC_PROJET": statut == "friche avec projet",
            "FRICHES_SURFACE_RECONVERTIES": statut == RECONVERTIE,
        },
    )
    return pl.concat([counted, surfaces], how="diagonal_relaxed").sort("code", "variable")


def _millesime(path: Path, sites: pl.DataFrame) -> int | None:
    m = _YEAR_IN_NAME.search(path.name)
    if m:
        return int(m.group(1))
    latest = sites["site_actu_date"].max()
    return None if latest is None else int(str(latest)[:4])


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8",))
    detect_layout(raw, {"cnig": ("site_id", "site_statut", "comm_insee", "geompoint")}, path.name)
    typed = parse(raw, FIELDS, path.name)
    check_unique(typed, ["site_id"], path.name)
    typed = _parse_extra(typed, path.name)
    schema = pa.DataFrameSchema(
        {
            "unite_fonciere_surface": pa.Column(float, pa.Check.ge(0), nullable=True),
            "longitude": pa.Column(float, pa.Check.in_range(-180, 180), nullable=True),
            "latitude": pa.Column(float, pa.Check.in_range(-90, 90), nullable=True),
        }
    )
    typed = validate(typed, schema, path.name)
    sites = typed.select(
        "site_id", "site_nom", "site_type", "site_statut", "comm_insee", "comm_nom",
        "unite_fonciere_surface", "longitude", "latitude", "site_actu_date", "source_nom",
    )  # fmt: skip
    millesime = millesime or _millesime(path, sites)
    if millesime is None:
        raise SourceError(
            [Problem(path.name, "millésime introuvable dans le fichier : précisez --millesime.")]
        )
    obs = observations(
        _per_commune(sites).with_columns(
            pl.lit("COM").alias("level"), pl.lit(millesime).alias("year")
        )
    )
    active = pl.col("site_statut").fill_null("") != "friche reconvertie"
    no_surface = int(
        sites.select((active & pl.col("unite_fonciere_surface").is_null()).sum()).item()
    )
    reconverted = int((sites["site_statut"] == "friche reconvertie").sum())
    notes = [
        "commune absente = 0 friche recensée (inventaire inégal selon les territoires)",
        f"{reconverted} friches reconverties exclues du décompte",
    ]
    if no_surface:
        s = "s" if no_surface > 1 else ""
        notes.append(f"{no_surface} site{s} sans surface : surface communale minorée (estimated)")
    return Batch(
        millesime=millesime,
        part="sites",
        geo_vintage=millesime,
        layout="cnig_friches",
        tables={"sites": sites, "observations": obs},
        row_count=sites.height,
        notes=notes,
    )


SOURCE = SourceInfo(
    name="cartofriches",
    label="Friches recensées (Cartofriches)",
    producer="Cerema",
    url="https://cartofriches.cerema.fr/cartofriches/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Sites en friche recensés (standard CNIG friches) : liste des sites avec leur statut "
        "et leur surface, nombre et surface des friches non reconverties par commune. "
        "Inventaire dépendant des remontées locales."
    ),
    read=read,
)
