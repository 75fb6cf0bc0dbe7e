"""`observatoire publications rapport` (issue #15 §3): the annual report of the CA de
Lens-Liévin, public and élus editions, read back from the PDF (pypdf) and the DOCX
(python-docx); frozen once per year, so it regenerates identically after the data change."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from observatoire.settings import Settings
from observatoire.territories import Territory

LENS_EPCI = "EPCI:246200364"
CALL = Territory.parse(LENS_EPCI)
# The CALL PLH 2014-2020 (demo plan workbook) runs in 2020.
YEAR = 2020
LOVAC = "vacants depuis plus de 2 ans"  # diffusion restreinte: never in a report


def _run(web: Settings, out: Path, *args: str) -> tuple[int, str]:
    from observatoire.cli import main

    result = CliRunner().invoke(
        main, ["--data-dir", str(web.data_dir), "publications", "rapport", *args, "--out", str(out)]
    )
    # Rich wraps long messages: compare words, not line breaks.
    return result.exit_code, " ".join(result.output.split())


def _report(web: Settings, out: Path, edition: str, fmt: str) -> Path:
    code, output = _run(
        web, out, LENS_EPCI, "--edition", edition, "--year", str(YEAR), "--format", fmt
    )
    assert code == 0, output
    (path,) = out.glob(f"*-{edition}.{fmt}")
    assert path.name == f"observatoire-annuel-{YEAR}-246200364-ca-de-lens-lievin-{edition}.{fmt}"
    return path


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"[ \n]+", " ", " ".join(page.extract_text() for page in reader.pages))


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _call_plan() -> Any:
    from observatoire.plans.models import Plan

    return Plan.objects.get(territory=CALL, start_year=2014)


def _lens_cumul(plan: Any) -> dict[str, Any]:
    from observatoire.plans.reports import bilan_payload

    production = bilan_payload(plan, YEAR)["production"]
    assert production is not None
    (lens,) = [c for c in production["communes"] if c["id"] == "COM:62498"]
    cumul: dict[str, Any] = lens["cumul"]
    return cumul


def test_elus_pdf_has_the_cube_figures_plan_progress_and_tags(
    web: Settings, tmp_path: Path
) -> None:
    from observatoire import figures
    from observatoire.figures import french_number

    path = _report(web, tmp_path, "elus", "pdf")
    text = _pdf_text(path)
    population = figures.value("population_municipale", LENS_EPCI)
    assert population.value is not None and population.formatted() in text
    assert f"Observatoire annuel du logement {YEAR} — CA de Lens - Liévin" in text
    assert "Chiffres clés" in text and "Sources et millésimes" in text
    # Plan progress through the PLAN_PROGRESS port: the plan, its budget and communes.
    plan = _call_plan()
    assert "Avancement des plans" in text and plan.title in text
    assert "Consommation du budget" in text and "Objectifs et réalisations par commune" in text
    cumul = _lens_cumul(plan)
    assert cumul["objective"] is not None
    assert f"Lens {french_number(cumul['objective'], 0)}" in text
    assert LOVAC not in text

    pdf = PdfReader(io.BytesIO(path.read_bytes()))
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "fr" and "/StructTreeRoot" in root
    assert pdf.metadata is not None
    assert pdf.metadata.title == (
        f"Observatoire annuel du logement {YEAR} — CA de Lens - Liévin (édition élus)"
    )


def test_public_edition_has_no_plan_and_public_figures_only(web: Settings, tmp_path: Path) -> None:
    from observatoire import figures

    text = _pdf_text(_report(web, tmp_path, "public", "pdf"))
    vacancy = figures.value("taux_vacance", LENS_EPCI)
    assert vacancy.value is not None and vacancy.formatted() in text
    assert "Avancement des plans" not in text and _call_plan().title not in text
    assert LOVAC not in text


def test_docx_has_word_headings_tables_and_charts_with_alt_text(
    web: Settings, tmp_path: Path
) -> None:
    from docx import Document

    from observatoire import figures

    path = _report(web, tmp_path, "elus", "docx")
    doc = Document(str(path))
    headings = {
        p.text: p.style.name
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    }
    assert headings["Chiffres clés"] == "Heading 1"
    assert headings["Avancement des plans"] == "Heading 1"
    assert headings["Vacance"] == "Heading 1"
    assert len(doc.tables) >= 5
    alts = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert alts and all(alts)
    text = _docx_text(path)
    assert figures.value("population_municipale", LENS_EPCI).formatted() in text
    assert "Lens" in text and LOVAC not in text


def test_report_is_frozen_and_regenerates_identically_after_the_data_change(
    web: Settings, tmp_path: Path
) -> None:
    from observatoire.plans.models import Objective
    from observatoire.publications.report import files

    first = _pdf_text(_report(web, tmp_path / "1", "elus", "pdf"))
    plan = _call_plan()
    before = _lens_cumul(plan)["objective"]
    # The plan changes after the report was made: a new title, a larger objective for Lens.
    plan.title = "Titre changé après le rapport"
    plan.save()
    objective = Objective.objects.filter(
        plan=plan, territory="COM:62498", year=YEAR, product="total"
    ).first()
    assert objective is not None
    objective.value += 1000
    objective.save()
    assert _lens_cumul(plan)["objective"] == before + 1000

    again = _pdf_text(_report(web, tmp_path / "2", "elus", "pdf"))
    assert again == first
    # A new photograph (--refresh) does see the change: the freeze is what kept it out.
    refreshed = files.report_file(CALL, YEAR, "elus", "pdf", refresh=True)
    (tmp_path / "r.pdf").write_bytes(refreshed.content)
    assert "Titre changé après le rapport" in _pdf_text(tmp_path / "r.pdf")


def test_altered_snapshot_is_refused_in_french(web: Settings, tmp_path: Path) -> None:
    from observatoire.publications.models import ReportSnapshot

    _report(web, tmp_path, "public", "pdf")
    snap = ReportSnapshot.objects.get(territory=CALL, year=YEAR)
    snap.payload["name"] = "Autre nom"
    snap.save()
    code, output = _run(web, tmp_path, LENS_EPCI, "--year", str(YEAR))
    assert code != 0
    assert "modifié depuis sa génération" in output and "Traceback" not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["COM:62498"], "pour un EPCI ou un département, pas pour « COM:62498 »"),
        (["EPCI:999999999"], "999999999"),
        ([LENS_EPCI, "--year", "1850"], "Année « 1850 » hors de"),
    ],
)
def test_bad_requests_are_french_messages(
    web: Settings, tmp_path: Path, args: list[str], message: str
) -> None:
    code, output = _run(web, tmp_path, *args)
    assert code != 0
    assert message in output and "Traceback" not in output
