"""The annual report as an editable Word document (python-docx), for teams that finish
the layout themselves: real Word headings (Titre 1, 2, 3), real Word tables, the charts as
PNG images with their alternative text. The same payload and lines as the PDF."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Cm

from observatoire.publications.charts import png
from observatoire.publications.report.content import EDITIONS, ELUS_EDITION
from observatoire.publications.report.plans import BUDGET_HEADER, COMMUNES_HEADER, plan_lines

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _picture(doc: Any, svg_uri: str, alt: str, title: str) -> None:
    shape = doc.add_picture(io.BytesIO(png(svg_uri)), width=Cm(15))
    # Word reads the alternative text from the drawing's docPr (descr, title).
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", title)


def report_docx(r: dict[str, Any], edition: str) -> bytes:
    doc = Document()
    props = doc.core_properties
    props.title = f"Observatoire annuel du logement {r['year']} — {r['name']}"
    props.author = "Observatoire de l'habitat"
    props.language = "fr-FR"
    doc.add_heading(props.title, level=0)
    doc.add_paragraph(
        f"{r['level']} — code {r['territory']}. {EDITIONS[edition].capitalize()}, établie le "
        f"{r['generated_on']}"
        + (f", comparée à {', '.join(r['referents'])}." if r["referents"] else ".")
    )
    doc.add_heading("Chiffres clés", level=1)
    if r["summary"]:
        doc.add_heading("En bref", level=2)
        for s in r["summary"]:
            doc.add_paragraph(s)
    for k in r["key_figures"]:
        doc.add_heading(k["label"], level=3)
        when = f"{k['year'] or ''}" + (f" (millésime {k['millesime']})" if k["millesime"] else "")
        doc.add_paragraph(f"{k['text']} — {when}".rstrip(" —"))
        for p in k["positions"]:
            doc.add_paragraph(p, style="List Bullet")
    for s in r["sections"]:
        doc.add_heading(s["theme"], level=1)
        if s["chart"]:
            c = s["chart"]
            _picture(doc, c["svg_uri"], c["description"], c["title"])
            doc.add_paragraph(f"{c['title']} : évolution.", style="Caption")
        _table(
            doc,
            ["Indicateur", "Année", r["name"], *r["referents"]],
            [
                [
                    row["label"],
                    str(row["value"]["year"] or ""),
                    row["value"]["text"],
                    *row["referents"],
                ]
                for row in s["rows"]
            ],
        )
    if edition == ELUS_EDITION:
        doc.add_heading("Avancement des plans", level=1)
        if not r["plans"]:
            doc.add_paragraph(f"Aucun plan suivi sur ce territoire en {r['year']}.")
        for b in r["plans"]:
            p = plan_lines(b)
            doc.add_heading(p.title, level=2)
            doc.add_paragraph(
                p.heading + (" — contient des données de démonstration" if p.demo else "")
            )
            for line in p.progress:
                doc.add_paragraph(line)
            doc.add_heading("Consommation du budget", level=3)
            _table(doc, BUDGET_HEADER, p.budget)
            if p.communes:
                doc.add_heading("Objectifs et réalisations par commune", level=3)
                _table(doc, COMMUNES_HEADER, p.communes)
    doc.add_heading("Sources et millésimes", level=1)
    for name, millesime in r["sources"]:
        text = f"{name}, millésime {millesime}" if millesime else name
        doc.add_paragraph(text, style="List Bullet")
    doc.add_paragraph("Diffusion publique seulement.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
