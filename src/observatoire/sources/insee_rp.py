"""INSEE census, housing: "base communale chiffres clés logement" (base-cc-logement-AAAA).

Two layouts are accepted:
- the full official file: CODGEO then the P21_*, C21_*, P15_*, P10_* groups (~240 columns);
  every census year present in the file (2010, 2015, 2021...) becomes a year of data;
- the 12-column subset (CODGEO, P21_LOG ... P10_RP_MIDUR) seen in circulation.
Quirks: separator ";", decimal point (comma tolerated), weighted non-integer counts;
CODGEO may have lost its leading zero (subset file: 1001 for 01001). The RP of year N is
published on the geography of 1 January N+2 or N+3, depending on the release: the
base-cc-logement-2021 in circulation holds none of the 13 communes merged on 1 January
2024 and all 64 merged on 1 January 2025, so it is on the COG 2024. The geography is read
from the codes (territories.geography.best_geography), not assumed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from observatoire.sources.base import (
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
from observatoire.sources.schema import DWELLINGS, PEOPLE, ROW_GEO_VINTAGE
from observatoire.territories import geography

# Variables kept, by their official name without the year prefix (P21_LOGVAC -> LOGVAC).
VARIABLES = {
    "LOG": "Logements",
    "RP": "Résidences principales",
    "RSECOCC": "Résidences secondaires et logements occasionnels",
    "LOGVAC": "Logements vacants",
    "MAISON": "Maisons",
    "APPART": "Appartements",
    "RP_PROP": "Résidences principales occupées par des propriétaires",
    "RP_LOC": "Résidences principales occupées par des locataires",
    "RP_LOCHLMV": "Résidences principales louées HLM vides",
    "MEN": "Ménages",
}

_PREFIX = re.compile(r"^P(\d{2})_(.+)$")


def _census_years(columns: list[str]) -> dict[int, dict[str, str]]:
    """{2021: {"P21_LOG": "LOG", ...}, 2015: {...}} for the kept variables present."""
    years: dict[int, dict[str, str]] = {}
    for col in columns:
        m = _PREFIX.match(col)
        if m and m.group(2) in VARIABLES:
            years.setdefault(2000 + int(m.group(1)), {})[col] = m.group(2)
    return years


def read(path: Path, millesime: int | None = None, **_: object) -> Batch:
    raw = read_rows(path, sep=";", encodings=("utf-8", "latin-1"))
    layout = detect_layout(
        raw,
        {
            "officiel": ("CODGEO", "P21_LOG", "P21_RP_PROP", "P21_NBPI_RP"),
            "extrait": ("CODGEO", "P21_LOG"),
        },
        path.name,
    )
    years = _census_years(raw.columns)
    if not years:
        raise SourceError([Problem(path.name, "aucune colonne P<AA>_LOG trouvée.", line=1)])
    latest = max(years)
    millesime = millesime or latest
    if millesime != latest:
        raise SourceError(
            [
                Problem(
                    path.name,
                    f"le millésime demandé ({millesime}) ne correspond pas aux colonnes du "
                    f"fichier (P{latest % 100:02d}_*).",
                    line=1,
                )
            ]
        )
    # Older groups (P10_* in the subset) may be entirely empty: keep only filled years.
    required_latest = [f"P{latest % 100:02d}_{v}" for v in ("LOG", "RP", "LOGVAC")]
    fields = [Field("CODGEO", "commune", nullable=False)]
    present = {col for cols in years.values() for col in cols}
    fields += [
        Field(col, "float", bounds=PEOPLE if col.endswith("_MEN") else DWELLINGS)
        for col in sorted(present | set(required_latest))
    ]
    typed = parse(raw, fields, path.name)
    check_unique(typed, ["CODGEO"], path.name)
    schema = pa.DataFrameSchema(
        {
            col: pa.Column(float, pa.Check.ge(0), nullable=True)
            for cols in years.values()
            for col in cols
        }
    )
    typed = validate(typed, schema, path.name)
    parts = []
    for year, cols in sorted(years.items()):
        if typed.select(pl.col(list(cols)).is_not_null().any()).row(0) == (False,) * len(cols):
            continue
        parts.append(melt_values(typed, level="COM", code="CODGEO", year=year, variables=cols))
    obs = pl.concat(parts)
    geo = geography.best_geography(obs["code"].unique().to_list(), (millesime + 2, millesime + 3))
    obs = _restored_left_in_their_origin(obs, geo)
    return Batch(
        millesime=millesime,
        part="COM",
        geo_vintage=geo,
        layout=layout,
        tables={"observations": obs},
        row_count=typed.height,
    )


def _restored_left_in_their_origin(obs: pl.DataFrame, geo: int) -> pl.DataFrame:
    """INSEE leaves blank the communes created or restored on 1 January of the file's
    geography: their dwellings are still counted in the commune they came from (RP 2021 on
    the COG 2024: 60694 Villotran in 60054, 85165 L'Oie and 85212 Sainte-Florence in
    85084). The origin's rows are on the previous geography: harmonisation then apportions
    them by population, marked estimated, as for any restoration (territories.vintages)."""
    created = geography.created_on(geo)
    blank = (
        obs.filter(pl.col("code").is_in(list(created)))
        .group_by("code")
        .agg(pl.col("value").is_null().all().alias("blank"))
        .filter("blank")["code"]
        .to_list()
    )
    if not blank:
        return obs
    origins = {created[c] for c in blank}
    return obs.filter(~pl.col("code").is_in(blank)).with_columns(
        pl.when(pl.col("code").is_in(list(origins)))
        .then(pl.lit(geo - 1))
        .otherwise(None)
        .cast(pl.Int32)
        .alias(ROW_GEO_VINTAGE)
    )


SOURCE = SourceInfo(
    name="insee_rp_logement",
    label="Recensement de la population, logement (base communale chiffres clés)",
    producer="INSEE",
    url="https://www.insee.fr/fr/statistiques/7632446",
    licence="Licence Ouverte / Etalab 2.0",
    description=(
        "Parc de logements par catégorie (résidences principales, secondaires, vacants) et "
        "par type (maisons, appartements), par commune. Géographie au 1er janvier N+2."
    ),
    read=read,
)
