"""« Les 5 minutes de l'observatoire » (issue #15 §4) for the CA de Lens-Liévin: 5 to 8
slides read back from the PPTX (python-pptx) and the PDF (pypdf), the changes since the
last open data release, and the animateurs' pages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from observatoire.settings import Settings
from observatoire.territories import Territory

LENS_EPCI = "EPCI:246200364"
CALL = Territory.parse(LENS_EPCI)


def _run(web: Settings, out: Path, *args: str) -> tuple[int, str]:
    from observatoire.cli import main

    result = CliRunner().invoke(
        main,
        ["--data-dir", str(web.data_dir), "publications", "cinq-minutes", *args, "--out", str(out)],
    )
    return result.exit_code, " ".join(result.output.split())


def _slides_text(content: bytes) -> list[list[str]]:
    from pptx import Presentation

    return [
        [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        for slide in Presentation(io.BytesIO(content)).slides
    ]


def test_pptx_deck_has_key_figures_a_chart_per_theme_and_plans(
    web: Settings, tmp_path: Path
) -> None:
    from pptx import Presentation

    from observatoire import figures

    code, output = _run(web, tmp_path, LENS_EPCI, "--themes", "Vacance,parc social")
    assert code == 0, output
    (path,) = tmp_path.glob("cinq-minutes-246200364-ca-de-lens-lievin-*.pptx")
    slides = _slides_text(path.read_bytes())
    assert 5 <= len(slides) <= 8
    titles = [s[0] for s in slides]
    assert titles == [
        "Les 5 minutes de l'observatoire — CA de Lens - Liévin",
        "Chiffres clés",
        "Vacance",
        "Parc social",
        "Avancement des plans",
        "Ce qui a changé",
    ]
    key = "\n".join(slides[1])
    assert figures.value("population_municipale", LENS_EPCI).formatted() in key
    vacancy = "\n".join(slides[2])
    assert figures.value("taux_vacance", LENS_EPCI).formatted() in vacancy
    # The chosen themes' charts (Vacance has a single year: no evolution to draw), each
    # with its alternative text.
    deck = Presentation(str(path))
    pictures = [
        shape._element.nvPicPr.cNvPr.get("descr")
        for slide in deck.slides
        for shape in slide.shapes
        if shape.shape_type == 13  # MSO_SHAPE_TYPE.PICTURE
    ]
    assert pictures and all(pictures)
    # No release written in the demo data dir: said so, not an error.
    assert "Pas encore deux publications" in "\n".join(slides[5])


def test_pdf_deck_has_one_landscape_page_per_slide(web: Settings, tmp_path: Path) -> None:
    code, output = _run(web, tmp_path, LENS_EPCI, "--themes", "Vacance", "--format", "pdf")
    assert code == 0, output
    (path,) = tmp_path.glob("cinq-minutes-*.pdf")
    pdf = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(pdf.pages) == 5
    assert all(p.mediabox.width > p.mediabox.height for p in pdf.pages)
    assert pdf.trailer["/Root"]["/Lang"] == "fr"
    assert "Chiffres clés" in pdf.pages[1].extract_text()


def _release(folder: Path, built_at: str, vacancy: str) -> None:
    """A release as `releases.writer` lays it out (datapackage.json and donnees.csv), with
    one value of the CA: enough for `releases.changes`."""
    from observatoire.releases import writer
    from observatoire.releases.rows import COLUMNS

    path = folder / writer.folder_name(CALL, built_at)
    path.mkdir(parents=True)
    package = {"title": "Observatoire", "created": built_at}
    (path / writer.SCHEMA_NAME).write_text(json.dumps(package), encoding="utf-8")
    row = dict.fromkeys(COLUMNS, "")
    row |= {
        "code": "246200364",
        "nom": "CA de Lens - Liévin",
        "niveau": "EPCI",
        "indicateur": "taux_vacance",
        "annee": "2021",
        "valeur": vacancy,
        "unite": "%",
        "source": "INSEE RP",
        "millesime": "2021",
    }
    with (path / writer.CSV_NAME).open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerow(row)


def test_changes_since_the_last_release_are_on_the_last_slide(
    web: Settings, tmp_path: Path
) -> None:
    from observatoire.publications.deck.slides import slides

    _release(tmp_path, "2026-01-10T08:00:00+00:00", "8.9")
    _release(tmp_path, "2026-06-10T08:00:00+00:00", "9.4")
    last = slides(CALL, ["Vacance"], tmp_path)[-1]
    assert last.title == "Ce qui a changé"
    assert last.lines[0] == "Depuis la publication du 2026-01-10 (publication du 2026-06-10) :"
    assert "Taux de vacance (2021) : 8,9 → 9,4 %" in last.lines


def test_unknown_theme_is_a_french_message(web: Settings, tmp_path: Path) -> None:
    code, output = _run(web, tmp_path, LENS_EPCI, "--themes", "Vacance,Météo")
    assert code != 0
    assert "Thème « Météo » inconnu" in output and "Traceback" not in output


def _animateur(web: Settings, scope: str) -> Any:
    from django.contrib.auth import get_user_model

    from observatoire.accounts.models import Organisation, Profile

    org, _ = Organisation.objects.get_or_create(name=f"Org {scope}", defaults={"kind": "epci"})
    user = get_user_model().objects.create(username=f"anim-{scope}")
    Profile.objects.create(user=user, organisation=org, role="animateur", territories=[scope])
    return user


def test_pages_are_for_animateurs_in_scope(web: Settings) -> None:
    from django.test import Client

    from observatoire import figures

    outside, inside = Client(), Client()
    outside.force_login(_animateur(web, "DEP:46"))
    inside.force_login(_animateur(web, "EPCI:246200364"))
    for path in (
        "/publications/rapports/EPCI:246200364/",
        "/publications/cinq-minutes/EPCI:246200364/",
    ):
        assert outside.get(path).status_code == 403
        assert outside.post(path, {"format": "pdf"}).status_code == 403
        assert inside.get(path).status_code == 200
    response = inside.post(
        "/publications/cinq-minutes/EPCI:246200364/", {"themes": ["Vacance"], "format": "pptx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.pptx"')
    text = "\n".join(line for slide in _slides_text(response.content) for line in slide)
    assert figures.value("taux_vacance", LENS_EPCI).formatted() in text
