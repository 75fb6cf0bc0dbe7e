"""User groupings of communes (SCOT, secteurs PLH, secteurs PDH...): a CSV file, one line per
commune of each grouping.

File format, as users write it (often an Excel export):
- separator ";", encoding UTF-8 (with or without BOM) or Windows-1252/Latin-1 (Excel's
  "CSV (séparateur : point-virgule)"), or UTF-16 with BOM (Excel's "Texte Unicode");
- columns `regroupement` (identifier: lowercase letters without accents, digits, hyphens,
  e.g. `secteur-nord`), `libelle` (its name), `type` (SCOT, secteur PLH, secteur PDH, PLH,
  autre...), `code_commune` (INSEE code of the COG 2026), optional `nom_commune` (ignored,
  for readability). Column names are matched without case nor accents ("Libellé" works),
  other columns are ignored;
- Excel drops the leading zero of codes such as 01001: 4-digit codes get it back.

Every problem of the file (file, line, column, value) is reported at once in a
`GroupingError`, in French. A grouping can overlap another one (a SCOT and its secteurs),
but lists a commune once, and has one libellé and one type.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from observatoire.problems import Problem, render
from observatoire.tabular import Column, commune_code, decode, header_key, match_header
from observatoire.territories.model import Level, Territory
from observatoire.territories.referential import COG_YEAR, Grouping, fold, national
from observatoire.territories.vintages import successors

COLUMNS = ("regroupement", "libelle", "type", "code_commune")
SPECS = tuple(Column(name, True) for name in COLUMNS)
OPTIONAL = ("nom_commune",)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 63  # Territory GRP codes


class GroupingError(ValueError):
    """A groupings file (or list) with problems: nothing has been saved."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        return render(self.problems, "dans les regroupements", "rien n'a été enregistré")


# --------------------------------------------------------------------------- reading


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GroupingError([Problem(path.name, f"fichier illisible ({exc.strerror}).")]) from None
    text = decode(data)
    if not text.strip():
        raise GroupingError([Problem(path.name, "le fichier est vide.")])
    if "\x00" in text:
        raise GroupingError(
            [
                Problem(
                    path.name,
                    "encodage non reconnu : enregistrez le fichier en CSV UTF-8 "
                    "(séparateur point-virgule).",
                )
            ]
        )
    return text


def suggest_slug(text: str) -> str:
    """A valid identifier close to `text` ("Secteur Nord" -> "secteur-nord")."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    return "-".join(words)[:SLUG_MAX].strip("-") or "mon-regroupement"


def _unknown_commune(code: str) -> str:
    ref = national()
    if code in ref.arrondissements:
        city = ref.arrondissements[code]
        return (
            "arrondissement municipal : indiquez la commune "
            f"{city} ({ref.names[Territory(Level.COM, city)]})."
        )
    now = successors(code) if re.fullmatch(r"\d{5}|2[AB]\d{3}", code) else []
    if now:
        names = ", ".join(f"{c} ({ref.names[Territory(Level.COM, c)]})" for c in now)
        return (
            f"ce code n'est plus celui d'une commune au COG {COG_YEAR} "
            f"(fusion ou changement de code) : commune actuelle {names}."
        )
    return f"code commune inconnu du COG {COG_YEAR}."


def load_groupings(path: Path) -> list[Grouping]:
    """Read a groupings file; raise GroupingError listing every problem."""
    path = Path(path)
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    problems: list[Problem] = []

    def problem(
        message: str, line: int | None = None, column: str | None = None, value: str | None = None
    ) -> None:
        problems.append(Problem(path.name, message, line, column, value))

    header = next(reader)
    matched = match_header(header, SPECS)
    if len(header) == 1 and any(sep in header[0] for sep in (",", "\t")):
        sep = "," if "," in header[0] else "tabulation"
        problem(f"séparateur « ; » attendu, le fichier semble séparé par « {sep} ».", 1)
        raise GroupingError(problems)
    missing = matched.missing
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip()) or "aucune"
        problem(
            f"colonne(s) manquante(s) : {', '.join(missing)} (colonnes trouvées : {found}). "
            f"Colonnes attendues : {', '.join(COLUMNS)} et, facultative, {OPTIONAL[0]}.",
            1,
        )
        raise GroupingError(problems)
    repeated = {header_key(written) for _, written in matched.repeated}
    for name in COLUMNS:
        if name in repeated:
            problem("colonne présente plusieurs fois.", 1, name)
    if problems:
        raise GroupingError(problems)
    index = matched.positions
    current = national().commune_dep

    order: list[str] = []
    first: dict[str, tuple[int, str, str]] = {}  # slug -> (line, libellé, type)
    members: dict[str, dict[str, int]] = {}  # slug -> commune -> line
    rows = 0
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue  # blank line, or ";;;" left by Excel
        rows += 1
        extra = [f for f in fields[len(header) :] if f.strip()]
        if extra:
            problem(
                f"{len(fields)} valeurs au lieu de {len(header)} : un « ; » en trop ?",
                line,
                None,
                extra[0],
            )

        def get(name: str, fields: list[str] = fields) -> str:
            i = index[name]
            return fields[i].strip().replace("\u00a0", " ") if i < len(fields) else ""

        slug, label, kind, raw_code = (get(c) for c in COLUMNS)
        label, kind = " ".join(label.split()), " ".join(kind.split())
        slug_ok = bool(SLUG.match(slug)) and len(slug) <= SLUG_MAX
        if not slug:
            problem("identifiant du regroupement manquant.", line, "regroupement")
        elif not slug_ok:
            problem(
                "identifiant invalide : lettres minuscules sans accent, chiffres et tirets "
                f"seulement, {SLUG_MAX} caractères au plus (par exemple « {suggest_slug(slug)} »).",
                line,
                "regroupement",
                slug,
            )
        if not label:
            problem("libellé du regroupement manquant.", line, "libelle")
        if not kind:
            problem("type manquant (SCOT, secteur PLH, secteur PDH, PLH, autre...).", line, "type")
        code = commune_code(raw_code)
        code_ok = code in current
        if not raw_code:
            problem("code commune manquant.", line, "code_commune")
        elif not code_ok:
            problem(_unknown_commune(code), line, "code_commune", raw_code)
        if not slug_ok:
            continue
        if slug not in first:
            first[slug] = (line, label, kind)
            members[slug] = {}
            order.append(slug)
        else:
            first_line, first_label, first_kind = first[slug]
            if label and first_label and label != first_label:
                problem(
                    f"libellé différent pour le même regroupement « {slug} » : "
                    f"« {first_label} » à la ligne {first_line}.",
                    line,
                    "libelle",
                    label,
                )
            if kind and first_kind and kind != first_kind:
                problem(
                    f"type différent pour le même regroupement « {slug} » : "
                    f"« {first_kind} » à la ligne {first_line}.",
                    line,
                    "type",
                    kind,
                )
        if code_ok:
            if code in members[slug]:
                problem(
                    f"commune déjà listée dans le regroupement « {slug} » "
                    f"(ligne {members[slug][code]}).",
                    line,
                    "code_commune",
                    raw_code,
                )
            else:
                members[slug][code] = line
    if not rows and not problems:
        problem("aucun regroupement : le fichier ne contient que la ligne d'en-tête.")
    if problems:
        raise GroupingError(problems)
    return [
        Grouping(slug=s, name=first[s][1], kind=first[s][2], communes=tuple(members[s]))
        for s in order
    ]


# --------------------------------------------------------------------------- writing


def check_groupings(groupings: Iterable[Grouping], file: str = "regroupements") -> None:
    """The rules of `load_groupings`, for groupings built in code."""
    problems: list[Problem] = []
    seen: set[str] = set()
    current = national().commune_dep
    items = list(groupings)
    if not items:
        problems.append(Problem(file, "aucun regroupement à enregistrer."))
    for g in items:
        if not (SLUG.match(g.slug) and len(g.slug) <= SLUG_MAX):
            problems.append(
                Problem(file, "identifiant invalide.", column="regroupement", value=g.slug)
            )
        if g.slug in seen:
            problems.append(
                Problem(
                    file, "regroupement présent deux fois.", column="regroupement", value=g.slug
                )
            )
        seen.add(g.slug)
        if not g.name.strip():
            problems.append(Problem(file, f"libellé manquant pour « {g.slug} ».", column="libelle"))
        if not g.kind.strip():
            problems.append(Problem(file, f"type manquant pour « {g.slug} ».", column="type"))
        if not g.communes:
            problems.append(
                Problem(file, f"aucune commune dans « {g.slug} ».", column="code_commune")
            )
        if len(set(g.communes)) != len(g.communes):
            problems.append(
                Problem(file, f"commune listée deux fois dans « {g.slug} ».", column="code_commune")
            )
        for code in g.communes:
            if code not in current:
                problems.append(
                    Problem(file, _unknown_commune(code), column="code_commune", value=code)
                )
    if problems:
        raise GroupingError(problems)


def save_groupings(groupings: Iterable[Grouping], path: Path) -> None:
    """Write the canonical file (UTF-8, ";", communes named), atomically: a reader never
    sees half a file, and a failure leaves the previous file in place."""
    path = Path(path)
    items = list(groupings)
    check_groupings(items, path.name)
    names = national().names
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=";", lineterminator="\n")
            writer.writerow([*COLUMNS, *OPTIONAL])
            for g in items:
                for code in g.communes:
                    writer.writerow(
                        [g.slug, g.name, g.kind, code, names[Territory(Level.COM, code)]]
                    )
        os.chmod(tmp, _file_mode(path))  # mkstemp makes it private (0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
