"""`observatoire publications fiches`: one tagged PDF per commune, read back with pypdf;
resumable, and a failing fiche does not stop the others."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from observatoire.settings import Settings
from observatoire.territories import Territory

LENS_EPCI = "EPCI:246200364"
# The label of vacance_longue_duree_part (LOVAC, diffusion restreinte).
LOVAC = "vacants depuis plus de 2 ans"
# The fiche of a commune, key figures to sources (15 pages before it was made denser).
MAX_PAGES = 7


def _run(web: Settings, out: Path, *territories: str) -> tuple[int, str]:
    from observatoire.cli import main

    result = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(web.data_dir),
            "publications",
            "fiches",
            *territories,
            "--out",
            str(out),
        ],
    )
    return result.exit_code, result.output


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    # Collapse line breaks only: \s would also eat the narrow no-break space of "32 920".
    return re.sub(r"[ \n]+", " ", " ".join(page.extract_text() for page in reader.pages))


def _elements(node: Any) -> Iterator[Any]:
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            yield from _elements(child)
    elif hasattr(node, "get"):
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if kids is not None and not isinstance(kids, int):
            yield from _elements(kids)


def _structure(root: Any) -> set[str]:
    return {str(e["/S"]) for e in _elements(root)}


def _figure_alts(root: Any) -> list[str]:
    figures = [e for e in _elements(root) if e["/S"] == "/Figure"]
    assert figures and all("/Alt" in e for e in figures)
    return [str(e["/Alt"]) for e in figures]


def test_the_epci_batch_writes_one_short_tagged_fiche_per_commune(
    web: Settings, tmp_path: Path, django_db_blocker: Any
) -> None:
    # One test for the 37 fiches of the CA (about a minute): a fixture shared by several
    # tests would be written again on each xdist worker that runs one of them.
    from observatoire import figures

    out = tmp_path / "fiches"
    # The command reads only the cube, but Django's start-up checks reach the database.
    with django_db_blocker.unblock():
        code, output = _run(web, out, LENS_EPCI)
    assert code == 0, output
    communes = figures.communes_of(Territory.parse(LENS_EPCI))
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert len(names) == len(communes) + 1
    assert "62498-lens.pdf" in names and "246200364-ca-de-lens-lievin.pdf" in names
    assert not list(out.glob("*.part"))
    assert f"{len(names)} fiches écrites, 0 déjà faites" in output

    # Lens: the cube's figures, public diffusion only, and the tags of an accessible PDF.
    path = out / "62498-lens.pdf"
    text = _text(path)
    population = figures.value("population_municipale", "COM:62498")
    vacancy = figures.value("taux_vacance", "COM:62498")
    assert population.value is not None and vacancy.value is not None
    assert population.formatted() in text
    assert vacancy.formatted() in text
    assert "Chiffres clés" in text and "Sources et millésimes" in text
    assert "DIFFUSION RESTREINTE" not in text and LOVAC not in text
    pdf = PdfReader(io.BytesIO(path.read_bytes()))
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    assert root["/MarkInfo"]["/Marked"]
    assert pdf.metadata is not None and pdf.metadata.title == "Fiche territoire — Lens (COM:62498)"
    tags = _structure(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH", "/Figure"} <= tags
    assert _figure_alts(root["/StructTreeRoot"])  # every chart has its alternative text

    # Every theme, key figure and chart table on few pages (the Pas-de-Calais batch lays
    # out 887 of them, bench/fiches.py): positions against the référents, the summary, each
    # theme with its chart's data table.
    assert len(pdf.pages) <= MAX_PAGES
    assert "En bref" in text and "par rapport à la valeur du Pas-de-Calais" in text
    assert "Données du graphique" in text


def test_rerun_keeps_finished_fiches_and_reports_a_failure(
    web: Settings, tmp_path: Path, django_db_blocker: Any
) -> None:
    out = tmp_path / "fiches"
    lens = out / "62498-lens.pdf"
    liévin = out / "62510-lievin.pdf"
    with django_db_blocker.unblock():
        code, output = _run(web, out, "COM:62498", "COM:62510")
        assert code == 0, output
        before = lens.stat().st_mtime_ns
        liévin.unlink()
        # The fiche of Liévin cannot be written (a directory in the way): it fails alone.
        (out / "62510-lievin.pdf.part").mkdir()
        code, output = _run(web, out, "COM:62498", "COM:62510")
        assert code == 1
        assert "0 fiches écrites" in output and "1 en échec" in output
        assert "Échec COM:62510" in output
        assert lens.stat().st_mtime_ns == before
        assert not liévin.exists()
        (out / "62510-lievin.pdf.part").rmdir()
        code, output = _run(web, out, "COM:62498", "COM:62510")
    assert code == 0, output
    assert "1 fiches écrites" in output and liévin.exists()


def test_unknown_territory_is_a_french_message(web: Settings, tmp_path: Path) -> None:
    code, output = _run(web, tmp_path, "EPCI:999999999")
    assert code == 2
    assert "Traceback" not in output and "999999999" in output


def test_jobs_spread_the_batch_over_processes(
    web: Settings, tmp_path: Path, django_db_blocker: Any
) -> None:
    out = tmp_path / "fiches"
    # Liévin's fiche cannot be written (a directory in the way): reported, the others go on.
    (out / "62510-lievin.pdf.part").mkdir(parents=True)
    with django_db_blocker.unblock():
        code, output = _run(web, out, "GRP:call-communes-anru", "--jobs", "2")
    assert code == 1
    assert "5 fiches écrites" in output and "1 en échec" in output and "Échec COM:62510" in output
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert len(names) == 5 and "62498-lens.pdf" in names
    assert "Lens" in _text(out / "62498-lens.pdf")
