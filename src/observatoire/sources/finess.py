"""FINESS: établissements d'hébergement et de logement accompagné, and their places.

Producer's documentation: data.gouv.fr, datasets "FINESS Extraction du Fichier des
établissements" (resource `etalab-cs1100507-stock-AAAAMMJJ-HHMM.csv`, établissements
géolocalisés) and "FINESS Extraction des équipements sociaux et médico-sociaux" (resource
`etalab-cs1100505-stock-...csv`), each with its "description des données" (DREES /
ministère des solidarités, teneur du répertoire).

The open extract is not a table with a header: ";"-separated records of several kinds.
- Line 1: `finess;etalab;<n>;<date of extraction AAAA-MM-JJ>`.
- cs1100507, `structureet` records of 32 fields plus an empty one (the line ends with
  ";"): section, nofinesset, nofinessej, rs, rslongue, complrs, compldistrib, numvoie,
  typvoie, voie, compvoie, lieuditbp, commune (3 characters), departement (2 characters,
  "9A".."9F" for the DROM), libdepartement, ligneacheminement, telephone, telecopie,
  categetab, libcategetab, categagretab, libcategagretab, siret, codeape, codemft, libmft,
  codesph, libsph, dateouv, dateautor, datemaj, numuai. Checked on 14 real records of
  `etalab-cs1100502-stock-20260512-0339.csv` (same `structureet` layout), e.g.
  `structureet;010000024;010780054;CH DE FLEYRIAT;...;451;01;AIN;01440 VIRIAT;...`.
  Then `geolocalisation` records: section, nofinesset, coordxet, coordyet, sourcecoordet,
  datemaj. The coordinates come from IGN's BD ADRESSE (data.gouv.fr dataset description,
  "Informations sur la géo-localisation") in the projection that `sourcecoordet` names
  as its last comma-separated item ("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93"):
  LAMBERT_93 in metropolitan France, UTM_N20 (Antilles), UTM_N21 (Saint-Pierre-et-
  Miquelon), UTM_N22 (Guyane), UTM_S38 (Mayotte), UTM_S40 (La Réunion). They are turned
  into WGS84 longitude/latitude here (pyproj, the IGN systems' EPSG codes in PROJECTIONS);
  an établissement without coordinates or with another projection keeps no point and is
  counted "non localisé" in the notes.
- cs1100505, `equipementsocial` records: section, nofinesset, de, libde, ta, libta,
  client, libclient, sourceinfo, capinstot (installed places, field 10), capinstm,
  capinstf, capinsthab, ageminiinst, agemaxiinst, indsupinst ("O" = installation
  supprimée, field 16), then authorisation fields not read here.
Encoding: UTF-8 in the recent extracts, Latin-1 in older ones: both are read.

No real file of these could be obtained here (the national extracts are over 4 MiB;
SOURCES.md, "Still not found"): the tests read small files written from this layout.

The commune is departement + commune ("01" + "451" = 01451; "9D" + "411" = 97411). The
"nomenclature de l'offre" of the Nord's fiche is followed through FINESS categories
(`categetab`): a code read here must come with its expected label, otherwise the file is
refused (a renumbered nomenclature would silently move places between types).

Places come from the équipements file of the SAME extraction, put next to the
établissements file (`etalab-cs1100505-stock-<same date>.csv`): the équipements file has
no commune nor category, the établissements file no capacity. Without it, only the
établissements are counted (a note says so) and the places indicators stay "not loaded".

Variables per commune, year = year of the extraction: ETAB_<TYPE> (établissements open in
the extract), PLACES_<TYPE> (installed places, suppressed installations excluded), and
ETAB_HEBERGEMENT / PLACES_HEBERGEMENT over all types. Absence: a commune of a
département present in the file without such an établissement = 0. Table `etablissements`
(one row per établissement of these types, with its coordinates) for maps.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from pathlib import Path

import polars as pl
from pyproj import Transformer

from observatoire.sources.base import (
    LINE,
    Batch,
    Field,
    Problem,
    SourceError,
    SourceInfo,
    check_unique,
    csv_problem,
    decode,
    departement_of,
    departements_part,
    observations,
    parse,
)
from observatoire.sources.schema import PEOPLE
from observatoire.status import Status

ENCODINGS = ("utf-8", "cp1252")
STRUCTURE = [
    "section", "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib",
    "numvoie", "typvoie", "voie", "compvoie", "lieuditbp", "commune", "departement",
    "libdepartement", "ligneacheminement", "telephone", "telecopie", "categetab",
    "libcategetab", "categagretab", "libcategagretab", "siret", "codeape", "codemft",
    "libmft", "codesph", "libsph", "dateouv", "dateautor", "datemaj", "numuai", "",
]  # fmt: skip
GEOLOC = ["section", "nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj"]
EQUIPEMENT = [
    "section", "nofinesset", "de", "libde", "ta", "libta", "client", "libclient",
    "sourceinfo", "capinstot", "capinstm", "capinstf", "capinsthab", "ageminiinst",
    "agemaxiinst", "indsupinst",
]  # fmt: skip
# categetab -> (type, words its libcategetab must contain, accents and case ignored)
CATEGORIES = {
    "214": ("CHRS", "reinsertion"),
    "443": ("CADA", "asile"),
    "442": ("CPH", "provisoire"),
    "258": ("PENSION_FAMILLE", "pension"),
    "259": ("RESIDENCE_SOCIALE", "residence"),
    "257": ("FJT", "jeunes travailleurs"),
    "180": ("LHSS", "halte"),
}
TYPES = {
    "CHRS": "centres d'hébergement et de réinsertion sociale (CHRS)",
    "CADA": "centres d'accueil de demandeurs d'asile (CADA)",
    "CPH": "centres provisoires d'hébergement (CPH)",
    "PENSION_FAMILLE": "maisons relais - pensions de famille",
    "RESIDENCE_SOCIALE": "résidences sociales (hors pensions de famille)",
    "FJT": "foyers de jeunes travailleurs (FJT)",
    "LHSS": "lits halte soins santé (LHSS)",
}
# sourcecoordet's projection -> EPSG code of the IGN system it stands for (RGF93 Lambert 93,
# RRAF 1991, RGSPM06, RGFG95, RGM04, RGR92 UTM zones). All are tied to WGS84 within a metre.
PROJECTIONS = {
    "LAMBERT_93": 2154,
    "UTM_N20": 4559,
    "UTM_N21": 4467,
    "UTM_N22": 2972,
    "UTM_S38": 4471,
    "UTM_S40": 2975,
}
_HEADER = re.compile(r"^finess;etalab;[^;]*;(\d{4})-(\d{2})-(\d{2})")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _records(path: Path) -> tuple[int, dict[str, list[tuple[int, list[str]]]]]:
    """The extraction year and the records of each section, with their line."""
    text = decode(path, ENCODINGS)
    first = text.split("\n", 1)[0].strip()
    m = _HEADER.match(first)
    if m is None:
        raise SourceError(
            [
                Problem(
                    path.name,
                    "première ligne attendue « finess;etalab;<n>;AAAA-MM-JJ » (extraction "
                    "FINESS de data.gouv.fr).",
                    line=1,
                    value=first[:60],
                )
            ]
        )
    sections: dict[str, list[tuple[int, list[str]]]] = {}
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(csv_problem(path.name, start, exc))
            start = reader.line_num + 1
            continue
        if start > 1 and record and any(record):
            sections.setdefault(record[0], []).append((start, record))
        start = reader.line_num + 1
    if problems:
        raise SourceError(problems)
    return int(m.group(1)), sections


def _frame(
    records: list[tuple[int, list[str]]], columns: list[str], file: str, exact: bool
) -> pl.DataFrame:
    """Records of one section as a text frame; a record of the wrong length is refused."""
    problems = [
        Problem(
            file,
            f"{len(rec)} champs au lieu de {len(columns)} pour un enregistrement « {rec[0]} » "
            "(ligne tronquée ou séparateur incorrect).",
            line=line,
        )
        for line, rec in records
        if ((len(rec) != len(columns)) if exact else (len(rec) < len(columns)))
    ]
    if problems:
        raise SourceError(problems)
    named = [c for c in columns if c]
    data = {c: [rec[i].strip() for _, rec in records] for i, c in enumerate(columns) if c}
    frame = pl.DataFrame(data, schema=dict.fromkeys(named, pl.Utf8))
    return frame.with_columns(pl.Series(LINE, [line for line, _ in records], dtype=pl.Int64))


def _etablissements(sections: dict[str, list[tuple[int, list[str]]]], file: str) -> pl.DataFrame:
    if "equipementsocial" in sections:
        raise SourceError(
            [
                Problem(
                    file,
                    "fichier des équipements (cs1100505) : importez le fichier des "
                    "établissements (cs1100507), les places sont lues à côté de lui.",
                )
            ]
        )
    raw = _frame(sections.get("structureet", []), STRUCTURE, file, exact=True)
    typed = parse(
        raw,
        [
            Field("nofinesset", "code", nullable=False),
            Field("commune", "code", nullable=False),
            Field("departement", "code", nullable=False),
            Field("categetab", "code", nullable=False),
            Field("libcategetab", "text", nullable=False),
            Field("rs", "text"),
        ],
        file,
    )
    check_unique(typed, ["nofinesset"], file)
    kept = typed.filter(pl.col("categetab").is_in(list(CATEGORIES)))
    problems = [
        Problem(
            file,
            f"libellé inattendu pour la catégorie FINESS {row['categetab']} (attendu : "
            f"{TYPES[CATEGORIES[row['categetab']][0]]}) : nomenclature modifiée ?",
            int(row[LINE]),
            "libcategetab",
            row["libcategetab"],
        )
        for row in kept.iter_rows(named=True)
        if CATEGORIES[row["categetab"]][1] not in _fold(row["libcategetab"])
    ]
    dep = pl.col("departement")
    code = (
        pl.when(dep.str.contains(r"^9[A-F]$"))
        .then(pl.lit("97") + pl.col("commune"))
        .otherwise(dep + pl.col("commune"))
    )
    kept = kept.with_columns(
        code.alias("code_commune"),
        pl.col("categetab").replace_strict({k: v[0] for k, v in CATEGORIES.items()}).alias("type"),
    )
    bad_code = kept.filter(~pl.col("code_commune").str.contains(r"^(\d{5}|2[AB]\d{3})$"))
    problems += [
        Problem(file, "code commune ou département FINESS invalide.", int(r[LINE]), "commune",
                f"{r['departement']} {r['commune']}")
        for r in bad_code.iter_rows(named=True)
    ]  # fmt: skip
    if problems:
        raise SourceError(problems)
    return kept


def lon_lat(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (x, y, projection) with WGS84 longitude and latitude; null for a point
    without coordinates or in a projection not in PROJECTIONS."""
    lon: list[float | None] = [None] * frame.height
    lat: list[float | None] = [None] * frame.height
    located = frame.with_row_index("_i").filter(
        pl.col("x").is_not_null() & pl.col("y").is_not_null()
    )
    for (projection,), group in located.group_by("projection"):
        epsg = PROJECTIONS.get(str(projection))
        if epsg is None:
            continue
        xs, ys = Transformer.from_crs(epsg, 4326, always_xy=True).transform(
            group["x"].to_numpy(), group["y"].to_numpy()
        )
        for i, a, b in zip(group["_i"], xs, ys, strict=True):
            lon[i], lat[i] = float(a), float(b)
    return frame.with_columns(
        pl.Series("longitude", lon, dtype=pl.Float64), pl.Series("latitude", lat, dtype=pl.Float64)
    )


def _points(sections: dict[str, list[tuple[int, list[str]]]], file: str) -> pl.DataFrame:
    records = sections.get("geolocalisation", [])
    if not records:
        return pl.DataFrame(
            schema={"nofinesset": pl.Utf8, "x": pl.Float64, "y": pl.Float64, "projection": pl.Utf8}
        )
    raw = _frame(records, GEOLOC, file, exact=True)
    typed = parse(
        raw,
        [Field("nofinesset", "code", nullable=False), Field("coordxet", "float"),
         Field("coordyet", "float"), Field("sourcecoordet", "text")],
        file,
    )  # fmt: skip
    projection = pl.col("sourcecoordet").fill_null("").str.split(",").list.last()
    return typed.select(
        "nofinesset",
        pl.col("coordxet").alias("x"),
        pl.col("coordyet").alias("y"),
        projection.str.strip_chars().str.to_uppercase().alias("projection"),
    )


def _places(path: Path, year: int) -> tuple[pl.DataFrame | None, str]:
    """Installed places per établissement from the équipements file next to `path`."""
    sibling = path.with_name(path.name.replace("cs1100507", "cs1100505"))
    if sibling == path or not sibling.is_file():
        return None, f"places non lues : fichier des équipements {sibling.name} absent"
    sib_year, sections = _records(sibling)
    if sib_year != year:
        raise SourceError(
            [Problem(sibling.name, f"extraction de {sib_year}, établissements de {year}.", 1)]
        )
    raw = _frame(sections.get("equipementsocial", []), EQUIPEMENT, sibling.name, exact=False)
    typed = parse(
        raw,
        [Field("nofinesset", "code", nullable=False), Field("capinstot", "int", bounds=PEOPLE),
         Field("indsupinst", "text")],
        sibling.name,
    )  # fmt: skip
    negative = typed.filter(pl.col("capinstot") < 0)
    if negative.height:
        raise SourceError(
            [Problem(sibling.name, "nombre de places positif ou nul attendu.", int(r[LINE]),
                     "capinstot", str(r["capinstot"])) for r in negative.iter_rows(named=True)]
        )  # fmt: skip
    places = (
        typed.filter(pl.col("indsupinst").fill_null("N") != "O")
        .group_by("nofinesset")
        .agg(pl.col("capinstot").fill_null(0).sum().alias("places"))
    )
    digest = hashlib.sha256(sibling.read_bytes()).hexdigest()[:16]
    return places, f"places lues dans {sibling.name} (sha256 {digest}…)"


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    year, sections = _records(path)
    etabs = _etablissements(sections, path.name)
    points = _points(sections, path.name)
    places, places_note = _places(path, year)
    etabs = lon_lat(etabs.join(points, on="nofinesset", how="left"))
    wide_cols = [pl.len().alias("ETAB_HEBERGEMENT")]
    wide_cols += [(pl.col("type") == t).sum().alias(f"ETAB_{t}") for t in TYPES]
    if places is not None:
        etabs = etabs.join(places, on="nofinesset", how="left").with_columns(
            pl.col("places").fill_null(0)
        )
        wide_cols.append(pl.col("places").sum().alias("PLACES_HEBERGEMENT"))
        wide_cols += [
            pl.col("places").filter(pl.col("type") == t).sum().alias(f"PLACES_{t}") for t in TYPES
        ]
    if etabs.is_empty():
        raise SourceError(
            [Problem(path.name, "aucun établissement d'hébergement (CHRS, CADA, FJT...).")]
        )
    wide = etabs.group_by(pl.col("code_commune").alias("code")).agg(wide_cols)
    long = wide.unpivot(index="code", variable_name="variable").with_columns(
        pl.lit("COM").alias("level"),
        pl.lit(year).alias("year"),
        pl.col("value").cast(pl.Float64),
        pl.lit(Status.OK).alias("status"),
    )
    unlocated = etabs["longitude"].null_count()
    deps = sorted({departement_of(c) for c in etabs["code_commune"]})
    table = etabs.select(
        "nofinesset", "rs", "categetab", "libcategetab", "type", "code_commune", "x", "y",
        "projection", "longitude", "latitude", *(["places"] if places is not None else []),
    )  # fmt: skip
    return Batch(
        millesime=millesime or year,
        part=departements_part(deps),
        geo_vintage=year,
        layout="etalab-cs1100507",
        tables={
            "observations": observations(long.sort("code", "variable")),
            "etablissements": table,
        },
        row_count=len(sections.get("structureet", [])),
        notes=[
            "commune absente d'un département présent = 0 établissement",
            f"départements couverts : {', '.join(deps)}",
            places_note,
            f"{unlocated} établissement(s) non localisé(s) (coordonnées absentes ou "
            "projection inconnue)",
        ],
    )


SOURCE = SourceInfo(
    name="finess",
    label="Établissements d'hébergement et de logement accompagné (FINESS)",
    producer="DREES / ministère chargé des solidarités (répertoire FINESS)",
    url="https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "CHRS, CADA, CPH, pensions de famille, résidences sociales, FJT et LHSS par commune : "
        "établissements et places installées, selon les catégories FINESS."
    ),
    read=read,
    how_to_obtain=(
        "Fichiers « etalab-cs1100507-stock-….csv » (établissements) et, pour les places, "
        "« etalab-cs1100505-stock-….csv » de la même date (équipements sociaux), sur "
        "data.gouv.fr, placés dans le même dossier, puis : observatoire import finess "
        "etalab-cs1100507-stock-….csv"
    ),
)
