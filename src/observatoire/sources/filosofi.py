"""INSEE Filosofi: disposable income and poverty, at every level INSEE publishes.

Two layouts of the same producer, read alike (common variable names: COLUMNS, LABELS):
- "chiffres clés" (base-cc-filosofi-AAAA, e.g. cc_filosofi_2021_COM.csv): CODGEO;
  NBMENFISC21;NBPERSMENFISC21;MED21;PIMP21;TP6021;...;D121;D921;RD21. Separator ";",
  decimal comma, `s` = statistical secret, `nd` = not available (12 communes in 2021:
  the uninhabited "villages morts" of Meuse, communes re-created after the income year...).
- "DISP" (indic-struct-distrib-revenu, e.g. FILO2019_DISP_COM.csv): UTF-8 with BOM, CRLF,
  ";", decimal comma, EMPTY field = secret; CODGEO;LIBGEO;NBMEN19;NBPERS19;NBUC19;Q119;
  Q219 (the median);Q319;...;D919;RD (no year suffix);S80S2019;GI19;... Most communes only
  have NBMEN, NBPERS, NBUC and Q2: quartiles, deciles, Gini... are published for the larger
  ones (5,336 of the 31,361 rows of FILO2019_DISP_COM), the other fields are empty = secret.
  The DISP series 2014-2018 (SOURCES.md §12) has the same layout with a column set that
  differs by year (2014: PTSAC14, no PACT/PCHO; order changes): columns are read by name;
  the 2015 file prints counts with one decimal ("308,0"). No D5: the median is Q2.
The millésime (income year) is the column suffix (MED21 -> 2021, Q219 -> 2019); year of
the observations = millésime.

Levels. INSEE publishes the same file per level: _COM, _EPCI, _DEP, _REG and France
(FILO2019_DISP_METROPOLE.csv: one row, CODGEO "1", "France métropolitaine"). The level
comes from `level=` if given, else from the file name suffix, else from the shape of the
codes (5 characters = COM, 9 digits = EPCI, 2-3 characters = DEP, or REG when all are
région codes, a single row = France). Codes are text; lost leading zeros come back
("1" -> "01" for a département). The France row is stored under code "FR" even when it
covers metropolitan France only: Batch.perimeter says so, and the cube notes it beside
the value (kept as INSEE published it, never rescaled). Batch.part = the level, so
re-importing the EPCI file replaces the EPCI part only; an arrondissement file (_ARR,
_ARM) is stored as COM rows under part "ARM". Other zonings (BV, UU, AAV, IRIS...) are
refused.

Double counting (SOURCES.md §11): the commune files of both layouts hold Paris 75056,
Marseille 13055 and Lyon 69123 AND their 45 arrondissement rows; the arrondissement rows
are dropped when their city row is present.

Absence. FILO2019 DISP omits the communes with very few fiscal households (3,650 of the
COG 2020 communes): a commune absent from it is secret. The 2021 chiffres clés list every
commune of their field (with `s`): a commune absent from them is out of the field
(Guadeloupe, Guyane and Mayotte are not covered), i.e. missing.

Geography (GEO_VINTAGE). FILO2019 is published on the COG of 1 January 2020 (SOURCES.md
§11; checked: its codes all exist in the COG 2020 rebuilt from the INSEE events file, not
in 2019 nor 2021; 16351, merged on 1 January 2021, is in it). Filosofi 2021 has been
republished by INSEE on several geographies (base-cc-filosofi-2021-geo2023, -geo2024,
-geo2025 zip files, same inner file name); the file we hold is on the COG 2024: all its
34,864 commune codes exist at 1 January 2024; the three communes re-created on 1 January
2024 (60694 Villotran, 85165 L'Oie, 85212 Sainte-Florence, all `nd`) are present, the 13
communes merged on that day (08294, 16355...) are absent, and the 68 codes removed on
1 January 2025 are still there. Because of those republications, the "geoAAAA" of the
INSEE zip folder or file name wins over the table when present, and a commune file whose
codes contradict the year retained is checked against the COG of each year (rebuilt from
the shipped events file): the matching year closest to it is used (said in the notes).
"""

from __future__ import annotations

import re
from functools import cache
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
    melt_values,
    parse,
    read_rows,
    validate,
)
from observatoire.sources.schema import ANY_NUMBER, INCOME, PEOPLE
from observatoire.territories.referential import COG_YEAR, mouvements, national

GEO_VINTAGE = {
    # FILO20AA is published on the COG of 1 January of the next year (INSEE, SOURCES.md §12).
    2014: 2015,
    2015: 2016,
    2016: 2017,
    2018: 2019,
    2019: 2020,  # FILO2019: "géographie au 1er janvier 2020" (INSEE, SOURCES.md §11)
    2021: 2024,  # cc_filosofi_2021 as held here (base-cc-filosofi-2021-geo2024), see above
}

LABELS = {
    "MED": "Médiane du revenu disponible par unité de consommation (€)",
    "NBMEN": "Ménages fiscaux",
    "NBPERS": "Personnes des ménages fiscaux",
    "TP60": "Taux de pauvreté au seuil de 60 % (%)",
    "D1": "1er décile du revenu disponible par UC (€)",
    **{f"D{k}": f"{k}e décile du revenu disponible par UC (€)" for k in (2, 3, 4, 6, 7, 8)},
    "D9": "9e décile du revenu disponible par UC (€)",
    "RD": "Rapport interdécile D9/D1",
    "Q1": "1er quartile du revenu disponible par UC (€)",
    "Q3": "3e quartile du revenu disponible par UC (€)",
    "NBUC": "Unités de consommation des ménages fiscaux",
    "GI": "Indice de Gini",
    "S80S20": "Rapport S80/S20",
}
# Official column ("{aa}" = 2-digit millésime) -> common variable, per layout.
COLUMNS = {
    "chiffres_cles": {
        "NBMENFISC{aa}": "NBMEN", "NBPERSMENFISC{aa}": "NBPERS", "MED{aa}": "MED",
        "TP60{aa}": "TP60", "D1{aa}": "D1", "D9{aa}": "D9", "RD{aa}": "RD",
    },
    "disp": {
        "NBMEN{aa}": "NBMEN", "NBPERS{aa}": "NBPERS", "NBUC{aa}": "NBUC", "Q1{aa}": "Q1",
        "Q2{aa}": "MED", "Q3{aa}": "Q3", "D1{aa}": "D1", "D9{aa}": "D9",
        # D2-D8 (no D5: the median is Q2), read for the estimation of the parents' deciles.
        **{f"D{k}{{aa}}": f"D{k}" for k in (2, 3, 4, 6, 7, 8)},
        "RD": "RD",  # the only DISP column without the year suffix
        "S80S20{aa}": "S80S20", "GI{aa}": "GI",
    },
}  # fmt: skip
_BOUNDS = {"TP60": (0.0, 100.0), "GI": (0.0, 1.0)}
_PLAUSIBLE = {"NBMEN": PEOPLE, "NBPERS": PEOPLE, "NBUC": PEOPLE}
_PLAUSIBLE |= dict.fromkeys(("MED", "Q1", "Q3", *(f"D{k}" for k in range(1, 10))), INCOME)

_SUFFIX = re.compile(r"^(?:MED|Q2)(\d{2})$")
_LEVEL_NAMES = {
    "COM": "COM", "COMMUNE": "COM", "COMMUNES": "COM", "EPCI": "EPCI",
    "DEP": "DEP", "DEPARTEMENT": "DEP", "REG": "REG", "REGION": "REG",
    "FR": "FR", "FRANCE": "FR", "FE": "FR", "FM": "FR", "METRO": "FR", "METROPOLE": "FR",
    "ARM": "ARM", "ARR": "ARM",
}  # fmt: skip
_NAME_TOKEN = re.compile(r"(?:^|_)([A-Za-z]+)\d*(?=$|[^A-Za-z0-9])")
_OTHER_ZONINGS = ("BV", "UU", "TUU", "AAV", "AU", "ZE", "IRIS", "CV", "EPT", "CANTON")
_CODE = {
    "COM": re.compile(r"^(\d{5}|2[AB]\d{3})$"),
    "EPCI": re.compile(r"^\d{9}$"),
    "DEP": re.compile(r"^(\d{2}|2[AB]|97\d)$"),
    "REG": re.compile(r"^\d{2}$"),
}
_FRANCE_CODES = {"1", "FR", "FE", "FM", "FRANCE", "METRO"}  # "1" in FILO2019_DISP_METROPOLE
_REGIONS = {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53"}
_REGIONS |= {"75", "76", "84", "93", "94"}
# Arrondissements municipaux -> their city (stable since 1964: Paris 20, Marseille 16, Lyon 9).
_CITIES = {"75056": ("751", 1, 20), "13055": ("132", 1, 16), "69123": ("6938", 1, 9)}


def _arm_city(code: str) -> str | None:
    for city, (prefix, first, last) in _CITIES.items():
        rest = code[len(prefix) :]
        if (
            len(code) == 5
            and code.startswith(prefix)
            and rest.isdigit()
            and first <= int(rest) <= last
        ):
            return city
    return None


def _level(path: Path, raw: pl.DataFrame, asked: str | None) -> str:
    """COM, EPCI, DEP, REG, FR or ARM (arrondissement file, stored as COM rows)."""
    file = path.name
    if asked is not None:
        level = _LEVEL_NAMES.get(asked.strip().upper())
        if level is None:
            raise SourceError(
                [
                    Problem(
                        file, f"niveau « {asked} » inconnu (attendu : COM, EPCI, DEP, REG ou FR)."
                    )
                ]
            )
        return level
    for token in reversed([t.upper() for t in _NAME_TOKEN.findall(file.split(".")[0])]):
        if token in _LEVEL_NAMES:
            return _LEVEL_NAMES[token]
        if token.startswith(_OTHER_ZONINGS):
            raise SourceError(
                [Problem(file, f"niveau géographique « {token} » non pris en charge : importez "
                         "les fichiers _COM, _EPCI, _DEP, _REG ou France (_METROPOLE).")]
            )  # fmt: skip
    # No level in the name (renamed file): the shape of the codes decides.
    codes = [c.strip().upper() for c in raw["CODGEO"]]
    if len(codes) == 1 and codes[0] in _FRANCE_CODES:
        return "FR"
    shapes = [
        ("COM", [_pad(c, 4, 5) for c in codes]),
        ("EPCI", codes),
        ("DEP", [_pad(c, 1, 2) for c in codes]),
    ]
    for level, fixed in shapes:
        if all(_CODE[level].match(c) for c in fixed):
            return "REG" if level == "DEP" and set(fixed) <= _REGIONS else level
    if len(codes) == 1:
        return "FR"
    raise SourceError(
        [Problem(file, "niveau géographique indéterminé : le nom du fichier doit finir par "
                 "_COM, _EPCI, _DEP, _REG ou _METROPOLE (comme chez l'INSEE), ou précisez le "
                 "niveau.", line=1, column="CODGEO")]
    )  # fmt: skip


def _metropolitan(path: Path, raw: pl.DataFrame) -> bool:
    """A France file of metropolitan France only: LIBGEO "France métropolitaine"
    (FILO2019_DISP_METROPOLE) or, without LIBGEO, a METRO/METROPOLE/FM file name."""
    if "LIBGEO" in raw.columns:
        return "métropol" in str(raw["LIBGEO"][0]).lower()
    tokens = {t.upper() for t in _NAME_TOKEN.findall(path.name.split(".")[0])}
    return bool(tokens & {"METRO", "METROPOLE", "FM"})


def _pad(code: str, short: int, width: int) -> str:
    """Restore the leading zero a spreadsheet removed ("1001" -> "01001", "1" -> "01")."""
    return code.zfill(width) if code.isdigit() and len(code) == short else code


_WIDTH = {"COM": (4, 5), "ARM": (4, 5), "EPCI": (9, 9), "DEP": (1, 2), "REG": (1, 2)}
_EXPECTED = {
    "COM": "code commune (5 caractères)",
    "ARM": "code d'arrondissement municipal (751xx, 132xx, 6938x)",
    "EPCI": "SIREN d'EPCI (9 chiffres)",
    "DEP": "code département (01, 2A, 971...)",
    "REG": "code région (2 chiffres)",
}


def _codes(typed: pl.DataFrame, level: str, file: str) -> pl.DataFrame:
    """CODGEO normalised for its level; every malformed code reported with its line."""
    if level == "FR":
        if typed.height != 1:
            raise SourceError(
                [
                    Problem(
                        file, f"le fichier France doit avoir une seule ligne ({typed.height} lues)."
                    )
                ]
            )
        return typed.with_columns(pl.lit("FR").alias("CODGEO"))
    short, width = _WIDTH[level]
    fixed = [_pad(c.strip().upper(), short, width) for c in typed["CODGEO"]]
    pattern = _CODE["COM" if level == "ARM" else level]
    bad = [not pattern.match(c) or (level == "ARM" and _arm_city(c) is None) for c in fixed]
    if any(bad):
        raise SourceError(
            [
                Problem(
                    file, f"{_EXPECTED[level]} attendu (niveau {level}).", line, "CODGEO", value
                )
                for line, value, b in zip(typed[LINE], typed["CODGEO"], bad, strict=True)
                if b
            ]
        )
    return typed.with_columns(pl.Series("CODGEO", fixed, dtype=pl.Utf8))


@cache
def _events() -> list[tuple[str, set[str], set[str]]]:
    """(date, codes created, codes in force before) per event date, newest first."""
    by_date: dict[str, tuple[set[str], set[str]]] = {}
    for e in mouvements():
        created, before = by_date.setdefault(e["DATE_EFF"], (set(), set()))
        # Name changes (10), associée/déléguée status changes (34, 35, 70, 71) list the
        # surviving commune on the "after" side without creating it.
        if e["TYPECOM_AP"] == "COM" and e["MOD"] not in ("10", "34", "35", "70", "71"):
            created.add(e["COM_AP"])
        if e["TYPECOM_AV"] == "COM":
            before.add(e["COM_AV"])
    return [(d, *by_date[d]) for d in sorted(by_date, reverse=True)]


@cache
def _communes_at(year: int) -> frozenset[str]:
    """COM codes in force on 1 January `year`: the shipped COG rolled back through the events
    (checked: gives back the 34,935 communes of the INSEE COG 2024 file and the 34,968 of
    the 2020 EPCI composition file, plus the overseas collectivities 975-988)."""
    codes = set(national().commune_dep)
    for date, created, before in _events():
        if date <= f"{year}-01-01":
            break
        codes = (codes - created) | before
    return frozenset(codes)


def _geo_vintage(
    millesime: int, codes: list[str], level: str, path: Path
) -> tuple[int | None, str]:
    """The COG year of the codes: GEO_VINTAGE, or the "geoAAAA" of the INSEE zip folder or
    file name (base-cc-filosofi-2021-geo2024_CSV/...), checked against the commune codes."""
    hint = re.search(r"geo(20\d\d)", f"{path.parent.name}/{path.name}", re.IGNORECASE)
    default = int(hint.group(1)) if hint else GEO_VINTAGE.get(millesime)
    if level not in ("COM", "ARM"):
        return default, ""
    communes = {c for c in codes if _arm_city(c) is None}
    if default is not None and communes <= _communes_at(default):
        return default, ""
    fits = [y for y in range(millesime + 1, COG_YEAR + 1) if communes <= _communes_at(y)]
    if not fits:
        return default, "des codes communes n'existent dans aucun COG : géographie non vérifiée."
    chosen = min(fits, key=lambda y: abs(y - (default or millesime + 1)))
    return chosen, f"géographie déduite des codes communes : COG au 1er janvier {chosen}."


def read(
    path: Path,
    millesime: int | None = None,
    level: str | None = None,
    geo_vintage: int | None = None,
    **_: object,
) -> Batch:
    # INSEE publishes UTF-8 (DISP: with BOM); only LIBGEO is non-ASCII.
    raw = read_rows(path, sep=";", encodings=("utf-8",))
    suffixes = sorted({m.group(1) for c in raw.columns if (m := _SUFFIX.match(c))})
    aa = suffixes[-1] if suffixes else "AA"
    layout = detect_layout(
        raw,
        {
            "chiffres_cles": ("CODGEO", f"NBMENFISC{aa}", f"MED{aa}"),
            "disp": ("CODGEO", f"NBMEN{aa}", f"Q2{aa}"),
        },
        path.name,
    )
    found = 2000 + int(aa)
    if millesime is not None and millesime != found:
        raise SourceError(
            [Problem(path.name, f"le millésime demandé ({millesime}) ne correspond pas aux "
                     f"colonnes du fichier (revenus {found}).", line=1)]
        )  # fmt: skip
    columns = {col.format(aa=aa): var for col, var in COLUMNS[layout].items()}
    # Secret is `s` in the chiffres clés but an EMPTY field in the DISP files.
    secret, missing = (
        (("s",), ("nd", "", "NA")) if layout == "chiffres_cles" else (("",), ("nd", "NA"))
    )
    fields = [Field("CODGEO", "text", nullable=False)]
    fields += [
        Field(col, "float", secret=secret, missing=missing, bounds=_PLAUSIBLE.get(var, ANY_NUMBER))
        for col, var in columns.items()
    ]
    typed = parse(raw, fields, path.name)
    lvl = _level(path, raw, level)
    typed = _codes(typed, lvl, path.name)
    check_unique(typed, ["CODGEO"], path.name)
    checks = {}
    for col, var in columns.items():
        low, high = _BOUNDS.get(var, (0.0, None))
        check = pa.Check.ge(low) if high is None else pa.Check.in_range(low, high)
        checks[col] = pa.Column(float, check, nullable=True)
    typed = validate(typed, pa.DataFrameSchema(checks), path.name)

    notes = []
    if lvl in ("COM", "ARM"):
        present = set(typed["CODGEO"])
        double = pl.Series([_arm_city(c) in present for c in typed["CODGEO"]])
        dropped = int(double.sum())
        typed = typed.filter(~double)
        if dropped:
            notes.append(
                f"{dropped} lignes d'arrondissements municipaux écartées : la ligne de leur ville "
                "(Paris, Marseille, Lyon) est présente (pas de double compte)."
            )
    if geo_vintage is None:
        geo_vintage, why = _geo_vintage(found, typed["CODGEO"].to_list(), lvl, path)
        if why:
            notes.append(why)
    if lvl in ("COM", "ARM"):
        notes.append(
            "commune absente = secret (l'INSEE omet les communes de très peu de ménages fiscaux)"
            if layout == "disp"
            else "commune absente = non couverte (hors champ : Guadeloupe, Guyane, Mayotte) ; "
            "secret signalé par « s »"
        )
    perimeter = ""
    if lvl == "FR" and _metropolitan(path, raw):
        notes.append("France = France métropolitaine (hors DOM) dans ce fichier.")
        perimeter = "périmètre : France métropolitaine (hors DOM), tel que publié par l'INSEE"
    obs = melt_values(
        typed,
        level="COM" if lvl == "ARM" else lvl,
        code="CODGEO",
        year=found,
        variables=columns,
    )
    return Batch(
        millesime=found,
        part=lvl,
        geo_vintage=geo_vintage,
        layout=layout,
        tables={"observations": obs},
        row_count=typed.height,
        notes=notes,
        perimeter=perimeter,
    )


SOURCE = SourceInfo(
    name="filosofi",
    label="Revenus, pauvreté et niveau de vie (Filosofi)",
    producer="INSEE",
    url="https://www.insee.fr/fr/statistiques/7756729",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Revenu disponible médian par unité de consommation, déciles, taux de pauvreté, "
        "ménages fiscaux, aux niveaux commune, EPCI, département, région et France. "
        "Valeurs publiées par l'INSEE à chaque niveau (une médiane ne s'additionne pas)."
    ),
    read=read,
    published_levels=("EPCI", "DEP", "REG", "FR"),
)
