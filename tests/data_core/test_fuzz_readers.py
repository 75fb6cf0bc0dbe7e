"""Attacks on the readers, through the warehouse import path (`observatoire import`).

Whatever the bytes, an import ends in one of two ways: the file is stored and every
number stored is finite, or it is refused with a `SourceError` whose problems name the
file in French, and the warehouse is byte-identical. Anything else would reach the user
as "Erreur interne".

The targeted tests replay the attacks of issue #11 on the real fixtures; the fuzz loop
mutates the same fixtures with a seeded generator (deterministic, a bounded number of
files per reader).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import random
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from observatoire.settings import Settings
from observatoire.sources import SourceError
from observatoire.warehouse.imports import import_file

FIXTURES = Path(__file__).parent.parent / "fixtures"

# source -> (real fixture, separator, header line, a numeric column read by the reader)
SEEDS = {
    "insee_rp_logement": (
        "insee_rp_logement/base-cc-logement-2021-extrait.csv", ";", 1, "P21_LOG"
    ),
    "filosofi": ("filosofi/cc_filosofi_2021_COM-extrait.csv", ";", 1, "NBMENFISC21"),
    "dvf": ("dvf/geo-dvf-2024-dep01-head.csv", ",", 1, "valeur_fonciere"),
    "dvf_communes": ("dvf_communes/dvf2023.csv", ",", 1, "Prixm2Moyen"),
    "lovac": ("lovac/tauxvacance_communes_2021-extrait.csv", ";", 1, "Nb_log_pp_2022"),
    "sitadel": (
        "sitadel/sitadel-logements-commune31555-2026-01-extrait.csv", ";", 2, "NB_LGT_TOT_CREES"
    ),
    "rpls": ("rpls/sdes-resultats-rpls-2024-commune-extrait.csv", ",", 1, "nb_ls"),
    "cartofriches": (
        "cartofriches/friches_standard_test-extrait.csv", ";", 1, "unite_fonciere_surface"
    ),
    "populations_legales": (
        "populations_legales/donnees_communes_millesime2023-extrait.csv", ";", 1, "PMUN"
    ),
    "sru": (
        "sru/communes-et-inventaire-sru-2025-extrait.csv", ";", 1, "Nombre_lls_ Inventaire_au_01_01_2024"
    ),
    # Issue #13 §1: files written from the producers' documented layouts (fixture READMEs).
    "dpe": ("dpe/dpe-existants-dep62-documente.csv", ",", 1, "Etiquette_DPE"),
    "rnic": (
        "rnic/rnc-data-gouv-with-qpv-2025-documente.csv", ",", 1, "nombre_de_lots_a_usage_d_habitation"
    ),
    "sne": ("sne/sne-demandes-attributions-communes-2024.csv", ";", 1, "Demandes en cours"),
    "pppi": ("pppi/pppi-communes-2021-documente.csv", ";", 1, "PPPI"),
    "populations_series": (
        "populations_series/populations-municipales-2013-2021-extrait.csv", ",", 1, "p21_pop"
    ),
    "surfaces_communes": (
        "surfaces_communes/surfaces-communes-cog2026-extrait.csv", ";", 1, "surface_km2"
    ),
    "zonage_abc": ("zonage_abc/zonage-abc-2019-extrait.csv", ",", 1, "zonage_abc"),
    "zone_tendue": ("zone_tendue/tlv_cities-extrait.csv", ";", 1, "CODE INSEE"),
    "taxe_vacance": ("taxe_vacance/taxe-extrait.csv", ";", 1, "taux"),
    "anct_programmes": ("anct_programmes/ngeo-anct-cog2023-extrait.csv", ",", 1, "insee_com"),
    "qpv": ("qpv/onpv-qpv2015-demo-2022-extrait.csv", ";", 1, "POP_MUN"),
    # A second layout of a source: key "<source>:<layout>".
    "filosofi:disp2014": ("filosofi/FILO2014_DISP_COM-extrait.csv", ";", 1, "D114"),
    "carte_loyers": (
        "carte_loyers/indicateurs-loyers-appartements-2018-extrait.csv", ";", 1, "loypredm2"
    ),
    "oll": ("oll/Base_OP_2021_Nationale-extrait.csv", ";", 1, "loyer_median"),
    # Written from the documented content (tests/fixtures/copro_fragiles/README.md).
    "copro_fragiles": (
        "copro_fragiles/copro-fragiles-communes-2013-documente.csv", ";", 1, "NB_COPRO_D"
    ),
}  # fmt: skip
READERS = list(SEEDS)
NON_FINITE = ["NaN", "nan", "inf", "-inf", "Infinity", "-Infinity"]
HUGE = ["1e300", "9" * 40, "-1e308", "1e18"]


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".staging" not in p.parts
    }


def stored_non_finite(path: Path) -> list[str]:
    """`table.column` of every DOUBLE column of a stored slice holding a NaN or infinity."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type IN ('DOUBLE', 'FLOAT')"
        ).fetchall()
        found = []
        for table, column in columns:
            row = con.execute(
                f'SELECT count(*) FROM "{table}" WHERE NOT isfinite("{column}")'
            ).fetchone()
            if row and row[0]:
                found.append(f"{table}.{column}")
        return found
    finally:
        con.close()


def attempt(settings: Settings, source: str, path: Path) -> SourceError | None:
    """Import `path`; None if stored (checked finite), the refusal otherwise (checked
    located in French and leaving the warehouse as it was)."""
    before = snapshot(settings.warehouse_dir)
    try:
        result = import_file(settings, source.split(":")[0], path)
    except SourceError as exc:
        assert exc.problems, source
        for problem in exc.problems:
            assert problem.file == path.name and problem.message, problem
            assert path.name in str(problem)
        assert "rien n'a été importé" in exc.render()
        assert snapshot(settings.warehouse_dir) == before
        return exc
    assert stored_non_finite(result.path) == []
    return None


@pytest.fixture
def loaded(settings: Settings, source: str) -> Settings:
    """A warehouse already holding the seed, so that a refusal has something to keep."""
    import_file(settings, source.split(":")[0], FIXTURES / SEEDS[source][0])
    return settings


def _seed(source: str) -> tuple[bytes, str, int, str]:
    fixture, sep, header_line, column = SEEDS[source]
    return (FIXTURES / fixture).read_bytes(), sep, header_line, column


def _with_value(source: str, value: str) -> bytes:
    """The seed with `value` in its numeric column, on the first row the reader uses
    (for DVF: the dwelling sale of Gex, line 8)."""
    raw, sep, header_line, column = _seed(source)
    lines = raw.decode("latin-1").split("\n")  # byte for byte, whatever the encoding
    header = next(csv.reader([lines[header_line - 1]], delimiter=sep))
    index = header.index(column)
    for i in range(header_line, len(lines)):
        record = next(csv.reader([lines[i]], delimiter=sep), [])
        if len(record) != len(header) or not record[index]:
            continue
        if source == "dvf" and record[header.index("code_type_local")] != "2":
            continue
        record[index] = value
        out = io.StringIO()
        csv.writer(out, delimiter=sep, lineterminator="").writerow(record)
        lines[i] = out.getvalue()
        return "\n".join(lines).encode("latin-1", errors="replace")
    raise AssertionError(f"no filled {column} in {source}")


def _write(tmp_path: Path, source: str, data: bytes, suffix: str = "") -> Path:
    path = tmp_path / "in" / (Path(SEEDS[source][0]).name + suffix)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- issue #11.3


@pytest.mark.parametrize("source", READERS)
def test_non_finite_and_huge_numbers_are_refused_with_their_line(
    loaded: Settings, tmp_path: Path, source: str
) -> None:
    column = SEEDS[source][3]
    for value in NON_FINITE + HUGE:
        path = _write(tmp_path, source, _with_value(source, value))
        refusal = attempt(loaded, source, path)
        if source == "cartofriches" and value == "NaN":
            # "NaN" is a documented empty marker of the CNIG friches standard.
            assert refusal is None
            continue
        assert refusal is not None, value
        located = [p for p in refusal.problems if p.column == column and p.value == value]
        assert located and located[0].line is not None, refusal.render()


def test_dvf_sale_with_nan_price_is_refused_not_stored_as_nan(
    settings: Settings, tmp_path: Path
) -> None:
    path = _write(tmp_path, "dvf", _with_value("dvf", "NaN"))
    with pytest.raises(SourceError) as exc:
        import_file(settings, "dvf", path)
    [problem] = [p for p in exc.value.problems if p.line is not None]
    assert (problem.line, problem.column, problem.value) == (8, "valeur_fonciere", "NaN")
    assert "nombre fini" in problem.message


def test_dvf_surface_below_one_m2_is_not_a_priced_sale(settings: Settings, tmp_path: Path) -> None:
    """1e-300 m² passes every check but would give an infinite price per m²."""
    raw, *_ = _seed("dvf")
    lines = raw.decode("utf-8").split("\n")
    header = next(csv.reader([lines[0]]))
    record = next(csv.reader([lines[7]]))
    record[header.index("surface_reelle_bati")] = "1e-300"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(record)
    lines[7] = out.getvalue()
    path = _write(tmp_path, "dvf", "\n".join(lines).encode())
    with pytest.raises(SourceError, match="aucune vente de logement"):
        import_file(settings, "dvf", path)


# --------------------------------------------------------------------------- issue #11.7


@pytest.mark.parametrize("source", READERS)
def test_corrupt_gzip_is_a_located_refusal(loaded: Settings, tmp_path: Path, source: str) -> None:
    raw, *_ = _seed(source)
    packed = bytearray(gzip.compress(raw))
    packed[len(packed) // 2] ^= 0xFF  # inside the deflate stream: zlib.error
    refusal = attempt(loaded, source, _write(tmp_path, source, bytes(packed), ".gz"))
    assert refusal is not None


@pytest.mark.parametrize("source", READERS)
def test_field_over_the_csv_limit_is_a_located_refusal(
    loaded: Settings, tmp_path: Path, source: str
) -> None:
    huge = "x" * 140_000
    refusal = attempt(loaded, source, _write(tmp_path, source, _with_value(source, huge)))
    assert refusal is not None
    assert any(p.line is not None for p in refusal.problems), refusal.render()


@pytest.mark.parametrize("source", READERS)
def test_wrong_separator_is_named(loaded: Settings, tmp_path: Path, source: str) -> None:
    raw, sep, *_ = _seed(source)
    for wrong in ("\t", "|"):
        path = _write(tmp_path, source, raw.replace(sep.encode(), wrong.encode()))
        refusal = attempt(loaded, source, path)
        assert refusal is not None
        if source not in ("dvf", "rpls"):  # both sniff their separator from the header
            assert "séparateur inattendu" in refusal.render()


@pytest.mark.parametrize("source", ["dvf"])
def test_bare_cr_inside_a_dvf_field_is_located(
    loaded: Settings, tmp_path: Path, source: str
) -> None:
    raw, *_ = _seed("dvf")
    lines = raw.split(b"\n")
    lines[40] = lines[40].replace(b",", b",\rX", 1)
    refusal = attempt(loaded, "dvf", _write(tmp_path, "dvf", b"\n".join(lines)))
    assert refusal is not None
    assert [p.line for p in refusal.problems if p.line is not None][:1] == [41]


# --------------------------------------------------------------------------- fuzz

NASTY = [*NON_FINITE, *HUGE, "1e-320", "0x10", "1_000", "-0", "", "NA", "s", "\u00a0", '"']


def _mutations(raw: bytes, sep: bytes) -> list[Callable[[random.Random], tuple[bytes, str]]]:
    lines = raw.split(b"\n")

    def number(rng: random.Random) -> tuple[bytes, str]:
        i = rng.randrange(1, len(lines))
        fields = lines[i].split(sep)
        fields[rng.randrange(len(fields))] = rng.choice(NASTY).encode()
        return b"\n".join([*lines[:i], sep.join(fields), *lines[i + 1 :]]), ""

    def flip(rng: random.Random) -> tuple[bytes, str]:
        data = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data), ""

    def splice(rng: random.Random) -> tuple[bytes, str]:
        at = rng.randrange(len(raw))
        junk = rng.choice([sep, b'"', b"\r", b"\x00", b"\xff\xfe", b"\n", b"x" * 140_000])
        return raw[:at] + junk + raw[at:], ""

    def cut(rng: random.Random) -> tuple[bytes, str]:
        at = rng.randrange(len(raw))
        return rng.choice([raw[:at], raw[at:], raw[:at] + raw[at + rng.randint(1, 50) :]]), ""

    def lines_shuffle(rng: random.Random) -> tuple[bytes, str]:
        kept = lines[:]
        i = rng.randrange(len(kept))
        rng.choice([lambda: kept.insert(i, kept[i]), lambda: kept.pop(i)])()
        return b"\n".join(kept), ""

    def separator(rng: random.Random) -> tuple[bytes, str]:
        return raw.replace(sep, rng.choice([b"\t", b"|", b";" if sep == b"," else b","])), ""

    def gz(rng: random.Random) -> tuple[bytes, str]:
        packed = bytearray(gzip.compress(raw))
        if rng.random() < 0.8:
            packed[rng.randrange(10, len(packed))] ^= 1 << rng.randrange(8)
        return bytes(packed[: rng.randint(len(packed) // 2, len(packed))]), ".gz"

    return [number, number, number, flip, splice, cut, lines_shuffle, separator, gz]


@pytest.mark.parametrize("source", READERS)
def test_fuzzed_files_are_stored_finite_or_refused_in_french(
    loaded: Settings, tmp_path: Path, source: str
) -> None:
    raw, sep, *_ = _seed(source)
    rng = random.Random(f"observatoire-{source}")
    mutations = _mutations(raw, sep.encode())
    for n in range(20):
        data, suffix = rng.choice(mutations)(rng)
        path = _write(tmp_path, source, data, suffix)
        try:
            attempt(loaded, source, path)
        except Exception as exc:
            raise AssertionError(f"{source} mutation {n}: {type(exc).__name__}: {exc}") from exc
        path.unlink()


# --------------------------------------------------------------------------- issue #13 §1

# FINESS extracts have no header line (records of several kinds, the first line gives the
# extraction date), so `_with_value` cannot place a value by column name: their seed is
# fuzzed here, with the équipements file of the same extraction next to it.
FINESS = FIXTURES / "finess" / "etalab-cs1100507-stock-20260512-0339.csv"
FINESS_EQUIP = FINESS.with_name("etalab-cs1100505-stock-20260512-0339.csv")


def _finess_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "finess-in"
    folder.mkdir(exist_ok=True)
    (folder / FINESS_EQUIP.name).write_bytes(FINESS_EQUIP.read_bytes())
    return folder


def test_finess_non_finite_coordinates_and_places_are_refused(
    settings: Settings, tmp_path: Path
) -> None:
    import_file(settings, "finess", FINESS)
    folder = _finess_dir(tmp_path)
    for value in NON_FINITE + HUGE:
        path = folder / FINESS.name
        path.write_text(
            FINESS.read_text(encoding="utf-8").replace(";686253.1;", f";{value};", 1),
            encoding="utf-8",
        )
        refusal = attempt(settings, "finess", path)
        assert refusal is not None, value
        assert [(p.line, p.column) for p in refusal.problems] == [(7, "coordxet")], value
    path.write_bytes(FINESS.read_bytes())
    for value in NON_FINITE + HUGE:
        (folder / FINESS_EQUIP.name).write_text(
            FINESS_EQUIP.read_text(encoding="utf-8").replace(";S;45;", f";S;{value};", 1),
            encoding="utf-8",
        )
        with pytest.raises(SourceError) as err:
            import_file(settings, "finess", path)
        assert [(p.file, p.line, p.column) for p in err.value.problems] == [
            (FINESS_EQUIP.name, 7, "capinstot")
        ], value


def test_fuzzed_finess_extracts_are_stored_finite_or_refused_in_french(
    settings: Settings, tmp_path: Path
) -> None:
    import_file(settings, "finess", FINESS)
    folder = _finess_dir(tmp_path)
    raw = FINESS.read_bytes()
    rng = random.Random("observatoire-finess")
    mutations = _mutations(raw, b";")
    for n in range(20):
        data, suffix = rng.choice(mutations)(rng)
        path = folder / (FINESS.name + suffix)
        path.write_bytes(data)
        try:
            attempt(settings, "finess", path)
        except Exception as exc:
            raise AssertionError(f"finess mutation {n}: {type(exc).__name__}: {exc}") from exc
        path.unlink()


def test_empty_first_line_is_a_located_refusal(settings: Settings, tmp_path: Path) -> None:
    # Found by the fuzz loop on the FILO2014 seed: a blank line instead of the header
    # (CRLF file) ended in IndexError, i.e. "Erreur interne".
    raw = (FIXTURES / "filosofi/FILO2014_DISP_COM-extrait.csv").read_bytes()
    path = tmp_path / "FILO2014_DISP_COM.csv"
    path.write_bytes(b"\r\n" + raw.split(b"\r\n", 1)[1])
    exc = attempt(settings, "filosofi", path)
    assert exc is not None and exc.problems[0].file == path.name
