"""The deck as PowerPoint (python-pptx): one slide per Slide, a title placeholder, the
lines as bullets and the chart as a PNG picture carrying its alternative text."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.util import Cm, Pt

from observatoire.publications.charts import png
from observatoire.publications.deck.slides import Slide

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TITLE_ONLY = 5  # the default template's "Title Only" layout


def deck_pptx(deck: list[Slide], title: str) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Cm(33.867), Cm(19.05)  # 16:9
    prs.core_properties.title = title
    prs.core_properties.author = "Observatoire de l'habitat"
    prs.core_properties.language = "fr-FR"
    for s in deck:
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        slide.shapes.title.text = s.title
        text_width = Cm(13) if s.chart else Cm(31)
        box = slide.shapes.add_textbox(Cm(1.4), Cm(4), text_width, Cm(14))
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(s.lines):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.text = line
            p.font.size = Pt(16 if len(s.lines) <= 6 else 13)
        if s.chart:
            picture = slide.shapes.add_picture(
                io.BytesIO(png(s.chart["svg_uri"])), Cm(15), Cm(4), width=Cm(17.5)
            )
            # PowerPoint reads the alternative text from the picture's cNvPr descr.
            c_nv_pr = picture._element.nvPicPr.cNvPr
            c_nv_pr.set("descr", s.chart["description"])
            c_nv_pr.set("title", s.chart["title"])
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
