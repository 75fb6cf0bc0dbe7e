"""The shared machinery to read a national source's file strictly.

A source module declares its official columns (`Field`) and a `read()` that turns one
producer file into a `Batch`: tidy tables the warehouse stores as they are (both in
observatoire.sources.schema, re-exported here). Reading never stops at the first problem:
every problem found is collected as a `Problem` (file, line, column, value, French
message) and raised together in one `SourceError`.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, cast

import pandera.polars as pa
import polars as pl

from observatoire.problems import Problem
from observatoire.sources.schema import (
    LINE,
    OBSERVATION_COLUMNS,
    Batch,
    Field,
    Kind,
    SourceError,
    SourceInfo,
    commune_observations,
    melt_values,
    observations,
)

__all__ = [
    "GZIP_ERRORS",
    "LINE",
    "OBSERVATION_COLUMNS",
    "Batch",
    "Field",
    "Kind",
    "Problem",
    "SourceError",
    "SourceInfo",
    "check_columns",
    "check_unique",
    "commune_observations",
    "csv_problem",
    "decode",
    "detect_layout",
    "first_line",
    "gzip_problem",
    "header_of",
    "melt_values",
    "observations",
    "open_bytes",
    "parse",
    "read_rows",
    "require_millesime",
    "validate",
]

# --------------------------------------------------------------------------- reading

# A corrupt gzip member raises zlib.error (not an OSError) from the deflate stream.
GZIP_ERRORS = (OSError, EOFError, zlib.error)
_SEPARATORS = {
    ",": "une virgule",
    ";": "un point-virgule",
    "\t": "une tabulation",
    "|": "une barre verticale",
}


def gzip_problem(file: str) -> Problem:
    return Problem(file, "archive gzip illisible (fichier corrompu ou tronqué).")


def csv_problem(file: str, line: int, exc: csv.Error) -> Problem:
    """A record the csv module cannot split, located where it starts."""
    if "field limit" in str(exc):
        limit = f"{csv.field_size_limit():,}".replace(",", "\u202f")
        why = f"champ de plus de {limit} caractères (guillemet jamais refermé ?)."
    else:
        why = "ligne illisible : guillemet ou fin de ligne isolée au milieu d'un champ."
    return Problem(file, why, line=line)


def open_bytes(path: Path) -> BinaryIO:
    """The file's bytes, decompressed on the fly when it is gzipped (.gz)."""
    if path.suffix == ".gz":
        return cast(BinaryIO, gzip.open(path, "rb"))
    return path.open("rb")


def first_line(path: Path) -> bytes:
    """The first line (at most 64 KiB), b"" when the file cannot be read: the reader
    then reports it with its location."""
    try:
        with open_bytes(path) as fh:
            return fh.readline(1 << 16)
    except GZIP_ERRORS:
        return b""


def decode(path: Path, encodings: Sequence[str] = ("utf-8",)) -> str:
    """Decode a whole file trying the producer's encodings in order; strip a UTF-8 BOM."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        # The demo ships producer files gzipped, byte for byte otherwise.
        try:
            data = gzip.decompress(data)
        except GZIP_ERRORS:
            raise SourceError([gzip_problem(path.name)]) from None
    if not data.strip():
        raise SourceError([Problem(path.name, "le fichier est vide.")])
    errors: list[Problem] = []
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            errors.append(
                Problem(
                    path.name,
                    f"encodage invalide : l'octet 0x{data[exc.start]:02X} n'est pas du {enc} "
                    f"(encodage attendu : {' ou '.join(encodings)}).",
                    line=line,
                )
            )
            continue
        return text.removeprefix("\ufeff")
    raise SourceError(errors[:1])


def read_rows(
    path: Path,
    *,
    sep: str = ";",
    encodings: Sequence[str] = ("utf-8",),
    header_line: int = 1,
    keep: Collection[str] | None = None,
) -> pl.DataFrame:
    """Read a delimited file as text, one column per header name, plus `_line`.

    `header_line` is the line holding the variable codes (2 for Sitadel, whose first line
    holds long French labels). Quoted fields may span lines; `_line` is where the record
    starts. Short/long rows are reported, not silently padded. `keep`, if given, limits
    the frame to those columns (every record's field count is still checked): a national
    Sitadel file has 100 columns of which a reader uses a dozen.
    """
    text = decode(path, encodings)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] | None = None
    kept: list[int] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
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
        if header is None:
            if reader.line_num >= header_line:
                header = [h.strip() for h in record]
                kept = [i for i, h in enumerate(header) if keep is None or h in keep]
                _check_separator(header, sep, path.name, reader.line_num)
            start = reader.line_num + 1
            continue
        if not record or (len(record) == 1 and not record[0].strip()):
            start = reader.line_num + 1
            continue
        if len(record) != len(header):
            problems.append(
                Problem(
                    path.name,
                    f"{len(record)} champs au lieu de {len(header)} (ligne tronquée "
                    "ou séparateur incorrect).",
                    line=start,
                )
            )
        else:
            rows.append(record if keep is None else [record[i] for i in kept])
            lines.append(start)
        start = reader.line_num + 1
    if header is None or not any(header):
        raise SourceError([Problem(path.name, "le fichier ne contient pas de ligne d'en-tête.")])
    if not rows and not problems:
        raise SourceError([Problem(path.name, "le fichier ne contient aucune ligne de données.")])
    if problems:
        raise SourceError(problems)
    names = [header[i] for i in kept]
    # Only the columns read must be unique: the ONPV QPV files end with 157 unnamed ones.
    dupes = {h for h in names if names.count(h) > 1}
    if dupes:
        raise SourceError(
            [
                Problem(path.name, "colonne présente deux fois dans l'en-tête.", column=d)
                for d in dupes
            ]
        )
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    # _line in the same constructor: a frame of no kept column still has one row per record.
    return pl.DataFrame(
        [
            *(pl.Series(h, col, dtype=pl.Utf8) for h, col in zip(names, columns, strict=True)),
            pl.Series(LINE, lines, dtype=pl.Int64),
        ]
    )


def _check_separator(header: list[str], sep: str, file: str, line: int) -> None:
    """A header of one column holding another separator: the file is not split by `sep`."""
    if len(header) != 1:  # an empty first line gives no field at all
        return
    found = [name for s, name in _SEPARATORS.items() if s != sep and s in header[0]]
    if found:
        raise SourceError(
            [
                Problem(
                    file,
                    f"séparateur inattendu : les colonnes doivent être séparées par "
                    f"« {sep} », l'en-tête contient {found[0]}.",
                    line=line,
                )
            ]
        )


def header_of(frame: pl.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != LINE]


def check_columns(frame: pl.DataFrame, fields: Iterable[Field], file: str) -> None:
    """Every required official column must be present (all reported at once)."""
    present = set(frame.columns)
    missing = [f.name for f in fields if f.required and f.name not in present]
    if missing:
        raise SourceError(
            [
                Problem(file, "colonne obligatoire absente de l'en-tête.", column=name)
                for name in missing
            ]
        )


_NUMBER_JUNK = r"[\s\u00a0\u202f]"


def _clean_number(col: pl.Expr) -> pl.Expr:
    return col.str.replace_all(_NUMBER_JUNK, "").str.replace(",", ".", literal=True)


def parse(frame: pl.DataFrame, fields: Sequence[Field], file: str) -> pl.DataFrame:
    """Type every declared column, collecting one Problem per unparsable value.

    Undeclared columns are dropped. For a field with secret markers, a boolean
    `<name>__secret` column tells secret from missing.
    """
    check_columns(frame, fields, file)
    problems: list[Problem] = []
    out: list[pl.Series] = [frame[LINE]]
    for f in fields:
        if f.name not in frame.columns:
            continue
        raw = frame[f.name].str.strip_chars()
        is_missing = raw.is_in(list(f.missing)) | raw.is_null()
        is_secret = raw.is_in(list(f.secret)) if f.secret else pl.Series([False] * len(raw))
        usable = raw.zip_with(
            ~(is_missing | is_secret), pl.Series([None] * len(raw), dtype=pl.Utf8)
        )
        typed = _convert(usable, f)
        bad = usable.is_not_null() & typed.is_null()
        if f.kind in ("int", "float"):
            # NaN sorts above every number in polars: it is never within the limit.
            outside = typed.is_not_null() & ~(typed.cast(pl.Float64).abs() <= f.bounds.limit)
            for line, value in zip(frame[LINE].filter(outside), raw.filter(outside), strict=True):
                problems.append(
                    Problem(file, f"{f.bounds.describe()} attendu.", line, f.name, value)
                )
        if not f.nullable:
            empty = usable.is_null() & ~is_secret
            for line, value in zip(frame[LINE].filter(empty), raw.filter(empty), strict=True):
                problems.append(Problem(file, "valeur obligatoire manquante.", line, f.name, value))
        if bad.any():
            expected = _EXPECTED[f.kind]
            for line, value in zip(frame[LINE].filter(bad), raw.filter(bad), strict=True):
                problems.append(Problem(file, f"{expected} attendu.", line, f.name, value))
        out.append(typed.alias(f.name))
        if f.secret:
            out.append(is_secret.alias(f"{f.name}__secret"))
    if problems:
        raise SourceError(problems)
    return pl.DataFrame(out)


_EXPECTED = {
    "commune": "code commune INSEE (5 caractères, ex. 62498 ou 2A004)",
    "code": "code",
    "text": "texte",
    "int": "nombre entier",
    "float": "nombre",
    "date": "date AAAA-MM-JJ",
    "bool": "booléen (true/false)",
}


def _convert(s: pl.Series, f: Field) -> pl.Series:
    frame = pl.DataFrame({"v": s})
    v = pl.col("v")
    if f.kind == "commune":
        # Codes lose their leading zero when a file went through a spreadsheet
        # (INSEE base-cc-logement subset, LOVAC-derived, table de passage).
        padded = pl.when(v.str.len_chars() == 4).then(pl.lit("0") + v).otherwise(v)
        expr = padded.str.to_uppercase()
        expr = pl.when(expr.str.contains(r"^(\d{5}|2[AB]\d{3})$")).then(expr)
    elif f.kind == "int":
        cleaned = _clean_number(v)
        as_float = cleaned.cast(pl.Float64, strict=False)
        expr = pl.when(as_float == as_float.round(0)).then(as_float.cast(pl.Int64, strict=False))
    elif f.kind == "float":
        expr = _clean_number(v).cast(pl.Float64, strict=False)
    elif f.kind == "date":
        expr = v.str.to_date("%Y-%m-%d", strict=False)
    elif f.kind == "bool":
        low = v.str.to_lowercase()
        expr = (
            pl.when(low.is_in(["true", "1", "oui", "vrai"]))
            .then(True)
            .when(low.is_in(["false", "0", "non", "faux"]))
            .then(False)
        )
    else:
        expr = v
    return frame.select(expr.alias("v"))["v"]


def validate(frame: pl.DataFrame, schema: pa.DataFrameSchema, file: str) -> pl.DataFrame:
    """Run pandera checks (ranges, uniqueness, patterns) and report failing lines."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems: list[Problem] = []
        for case in exc.failure_cases.iter_rows(named=True):
            index = case.get("index")
            line = int(frame[LINE][int(index)]) if index is not None else None
            column = case.get("column")
            value = case.get("failure_case")
            problems.append(
                Problem(
                    file,
                    f"contrôle non respecté ({case.get('check')}).",
                    line,
                    str(column) if column is not None else None,
                    None if value is None else str(value),
                )
            )
        raise SourceError(problems) from None


def check_unique(frame: pl.DataFrame, keys: Sequence[str], file: str) -> None:
    """A key present twice is reported with both lines."""
    dup = frame.filter(pl.struct(list(keys)).is_duplicated())
    if dup.height:
        problems = [
            Problem(
                file,
                f"doublon de clé ({', '.join(keys)}) : ce territoire apparaît plusieurs fois.",
                int(row[LINE]),
                keys[0],
                " / ".join(str(row[k]) for k in keys),
            )
            for row in dup.iter_rows(named=True)
        ]
        raise SourceError(problems)


def detect_layout(frame: pl.DataFrame, layouts: dict[str, Sequence[str]], file: str) -> str:
    """Pick the first layout whose signature columns are all present."""
    present = set(frame.columns)
    for name, signature in layouts.items():
        if set(signature) <= present:
            return name
    expected = " ; ".join(f"{n} ({', '.join(sig)})" for n, sig in layouts.items())
    raise SourceError(
        [
            Problem(
                file,
                "format de fichier non reconnu : colonnes attendues selon le format : "
                f"{expected}. En-tête lu : {', '.join(header_of(frame)[:12])}.",
                line=1,
            )
        ]
    )


def require_millesime(millesime: int | None, guessed: int | None, file: str) -> int:
    if millesime is not None:
        return millesime
    if guessed is not None:
        return guessed
    raise SourceError(
        [Problem(file, "millésime introuvable dans le fichier : précisez --millesime ANNÉE.")]
    )


def departement_of(commune: str) -> str:
    """The département of a commune code: three characters in the DROM (971...976)."""
    return commune[:3] if commune.startswith("97") else commune[:2]


def departements_part(departements: Iterable[str]) -> str:
    """The warehouse part of a file covering these départements: "FR" when it covers
    (nearly) all of them, else "DEP-62-59..." so that each département's slice replaces
    only its own."""
    deps = sorted(set(departements))
    return "FR" if len(deps) >= 90 else "DEP-" + "-".join(deps)


def communes_part(communes: Iterable[str]) -> str:
    """The warehouse part of a file of communes (see `departements_part`)."""
    return departements_part(departement_of(c) for c in communes)
