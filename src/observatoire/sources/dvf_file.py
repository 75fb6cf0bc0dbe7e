"""The DVF géolocalisées file as a user gives it: its 40 columns, the cheap check of the
header line before the scan, and the slow line-by-line pass that locates the problems
once the scan has failed (see observatoire.sources.dvf)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from observatoire.sources.base import (
    GZIP_ERRORS,
    Problem,
    SourceError,
    csv_problem,
    gzip_problem,
    open_bytes,
)
from observatoire.sources.schema import PRICE, SURFACE

COLUMNS = (
    "id_mutation", "date_mutation", "numero_disposition", "nature_mutation", "valeur_fonciere",
    "adresse_numero", "adresse_suffixe", "adresse_nom_voie", "adresse_code_voie", "code_postal",
    "code_commune", "nom_commune", "code_departement", "ancien_code_commune",
    "ancien_nom_commune", "id_parcelle", "ancien_id_parcelle", "numero_volume", "lot1_numero",
    "lot1_surface_carrez", "lot2_numero", "lot2_surface_carrez", "lot3_numero",
    "lot3_surface_carrez", "lot4_numero", "lot4_surface_carrez", "lot5_numero",
    "lot5_surface_carrez", "nombre_lots", "code_type_local", "type_local",
    "surface_reelle_bati", "nombre_pieces_principales", "code_nature_culture", "nature_culture",
    "code_nature_culture_speciale", "nature_culture_speciale", "surface_terrain", "longitude",
    "latitude",
)  # fmt: skip
"""The 40 official columns, in file order (only REQUIRED ones must be present)."""

REQUIRED = (
    "id_mutation", "date_mutation", "nature_mutation", "valeur_fonciere", "code_commune",
    "code_type_local", "surface_reelle_bati",
)  # fmt: skip

# column -> (SQL condition true when the raw text value is invalid, French expectation).
# Empty fields are read as NULL. The same rules are applied in Python by _bad_value().
CHECKS = {
    "id_mutation": ("id_mutation IS NULL", "identifiant de mutation obligatoire"),
    "date_mutation": (
        "TRY_CAST(date_mutation AS DATE) IS NULL",
        "date AAAA-MM-JJ obligatoire",
    ),
    "valeur_fonciere": (
        f"valeur_fonciere IS NOT NULL AND {PRICE.sql('valeur_fonciere')}",
        f"{PRICE.describe()} attendu (point décimal)",
    ),
    "surface_reelle_bati": (
        f"surface_reelle_bati IS NOT NULL AND {SURFACE.sql('surface_reelle_bati')}",
        f"{SURFACE.describe()} attendu (point décimal)",
    ),
    "code_type_local": (
        "code_type_local IS NOT NULL AND code_type_local NOT IN ('1', '2', '3', '4')",
        "code type de local 1, 2, 3 ou 4 attendu",
    ),
    "code_commune": (
        "code_commune IS NULL OR NOT regexp_full_match(code_commune, '[0-9]{5}|2[AB][0-9]{3}')",
        "code commune INSEE (5 caractères, ex. 01173 ou 2A004) obligatoire",
    ),
}
_BOUNDS = {"valeur_fonciere": PRICE, "surface_reelle_bati": SURFACE}
_COMMUNE = re.compile(r"\d{5}|2[AB]\d{3}")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# --------------------------------------------------------------------------- header


def read_header(path: Path) -> list[str]:
    """Check the header line cheaply before the scan (empty file, encoding, separator,
    required columns), so that these common mistakes get a precise message."""
    if not path.is_file():
        raise SourceError([Problem(path.name, f"fichier introuvable : {path}.")])
    try:
        with open_bytes(path) as fh:
            first = fh.readline()
            data = fh.readline()
            while data and not data.strip():
                data = fh.readline()
    except GZIP_ERRORS:
        raise SourceError([gzip_problem(path.name)]) from None
    if not first.strip() and not data:
        raise SourceError([Problem(path.name, "le fichier est vide.")])
    try:
        text = first.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise SourceError([_encoding_problem(path.name, 1, first, exc)]) from None
    try:
        header = next(csv.reader([text]))
    except csv.Error as exc:
        raise SourceError([csv_problem(path.name, 1, exc)]) from None
    if len(header) == 1 and ("|" in text or ";" in text):
        raise SourceError(
            [
                Problem(
                    path.name,
                    "séparateur inattendu : DVF géolocalisées (Etalab) est séparé par des "
                    "virgules ; le fichier brut DGFiP (séparateur « | ») n'est pas accepté.",
                    line=1,
                )
            ]
        )
    missing = [c for c in REQUIRED if c not in header]
    dupes = sorted({h for h in header if header.count(h) > 1})
    problems = [
        Problem(path.name, "colonne obligatoire absente de l'en-tête.", line=1, column=c)
        for c in missing
    ] + [
        Problem(path.name, "colonne présente deux fois dans l'en-tête.", line=1, column=d)
        for d in dupes
    ]
    if problems:
        raise SourceError(problems)
    if not data:
        raise SourceError([Problem(path.name, "le fichier ne contient aucune ligne de données.")])
    return header


def _encoding_problem(file: str, line: int, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    return Problem(
        file,
        f"encodage invalide : l'octet 0x{raw[exc.start]:02X} n'est pas de l'UTF-8 "
        "(DVF géolocalisées est publié en UTF-8 ; réenregistrez le fichier en UTF-8).",
        line=line,
    )


# --------------------------------------------------------------------------- slow pass


def locate_problems(path: Path, header: list[str], limit: int) -> list[Problem]:
    """Second pass, only after a failed scan: the first `limit` problems with their
    physical line (records are where they start, as in base.read_rows)."""
    problems: list[Problem] = []
    index = {name: header.index(name) for name in CHECKS}
    nature, local = header.index("nature_mutation"), header.index("code_type_local")
    try:
        with open_bytes(path) as fh:
            reader = csv.reader(_decoded_lines(fh, path.name, problems))
            next(reader, None)
            start = reader.line_num + 1
            while len(problems) < limit:
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    problems.append(csv_problem(path.name, start, exc))
                    start = reader.line_num + 1
                    continue
                if len(record) != len(header) and any(field.strip() for field in record):
                    problems.append(
                        Problem(
                            path.name,
                            f"{len(record)} champs au lieu de {len(header)} (ligne tronquée "
                            "ou séparateur incorrect).",
                            line=start,
                        )
                    )
                # Same rows as dvf._KEPT: the values of the other rows are not used.
                elif record and record[nature] == "Vente" and record[local] not in ("", "3"):
                    problems.extend(
                        Problem(path.name, f"{CHECKS[column][1]}.", start, column, record[i])
                        for column, i in index.items()
                        if _bad_value(column, record[i])
                    )
                start = reader.line_num + 1
    except GZIP_ERRORS:
        problems.append(gzip_problem(path.name))
    return problems[:limit]


def _decoded_lines(fh: BinaryIO, file: str, problems: list[Problem]) -> Iterator[str]:
    for number, raw in enumerate(fh, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(_encoding_problem(file, number, raw, exc))
            line = raw.decode("utf-8", errors="replace")
        yield line.removeprefix("\ufeff") if number == 1 else line


def _bad_value(column: str, value: str) -> bool:
    """The Python twin of the SQL conditions in CHECKS (empty = NULL)."""
    empty = value == ""
    if column == "id_mutation":
        return empty
    if column == "date_mutation":
        m = _DATE.fullmatch(value)
        if m is None:
            return True
        try:
            date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return True
        return False
    if column in ("valeur_fonciere", "surface_reelle_bati"):
        return not empty and _BOUNDS[column].refuses(value)
    if column == "code_type_local":
        return not empty and value not in ("1", "2", "3", "4")
    if column == "code_commune":
        return _COMMUNE.fullmatch(value) is None
    return False
