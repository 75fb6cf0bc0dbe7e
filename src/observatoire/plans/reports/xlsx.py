"""The bilan annuel as a workbook (xlsxwriter), one sheet per part of the bilan, written
from the same payload as the page and the PDF. Figures stay numbers (sums possible);
demonstration figures are marked on their line and above the table."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from observatoire.plans.reports.payloads import Amounts, BilanPayload, Figures
from observatoire.tabular import xlsx_book

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEMO_NOTE = (
    "Données de démonstration : les lignes marquées « démonstration » ne sont pas les "
    "chiffres du plan."
)


class _Book:
    def __init__(self, buffer: io.BytesIO, payload: BilanPayload) -> None:
        self.book = xlsx_book(buffer)
        # Stable document properties: the same payload gives the same file.
        created = datetime.combine(date.fromisoformat(payload["generated_on"]), datetime.min.time())
        self.book.set_properties(
            {
                "title": f"Bilan annuel {payload['year']} — {payload['plan']['title']}",
                "author": "Observatoire de l'habitat",
                "created": created,
            }
        )
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.bold = self.book.add_format({"bold": True})
        self.head = self.book.add_format(
            {"bold": True, "bg_color": "#E3E3FD", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = self.book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        self.int = self.book.add_format({"border": 1, "num_format": "#,##0"})
        self.eur = self.book.add_format({"border": 1, "num_format": '#,##0.00" €"'})
        self.pct = self.book.add_format({"border": 1, "num_format": "0.0%"})
        self.demo = self.book.add_format({"bold": True, "font_color": "#B34000"})

    def sheet(
        self,
        name: str,
        title: str,
        columns: list[tuple[str, str, int]],
        rows: list[list[Any]],
        demo: bool = False,
    ) -> None:
        """`columns`: (header, kind in text/int/eur/pct, width); None cells stay empty."""
        ws = self.book.add_worksheet(name)
        ws.write(0, 0, title, self.title)
        first = 2
        if demo:
            ws.write(1, 0, DEMO_NOTE, self.demo)
            first = 3
        for col, (header, _kind, width) in enumerate(columns):
            ws.set_column(col, col, width)
            ws.write(first, col, header, self.head)
        fmt = {"text": self.text, "int": self.int, "eur": self.eur, "pct": self.pct}
        for r, row in enumerate(rows, start=first + 1):
            for col, value in enumerate(row):
                kind = columns[col][1]
                if value is None:
                    ws.write_blank(r, col, None, fmt[kind])
                else:
                    ws.write(r, col, value, fmt[kind])
        ws.freeze_panes(first + 1, 0)
        if rows:
            ws.autofilter(first, 0, first + len(rows), len(columns) - 1)


def _budget(b: Amounts) -> list[Any]:
    return [b["prevu"], b["engage"], b["realise"]]


def _figures(f: Figures) -> list[Any]:
    return [f["objective"], f["realised"], f["rate"]]


def bilan_xlsx(payload: BilanPayload, snapshot: dict[str, Any] | None) -> bytes:
    b = payload
    plan, year = b["plan"], b["year"]
    buffer = io.BytesIO()
    out = _Book(buffer, b)
    ws = out.book.add_worksheet("Synthèse")
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 60)
    ws.write(0, 0, f"{plan['title']} — bilan annuel {year}", out.title)
    state = (
        f"Photographie au 31/12/{year} prise le {snapshot['taken_at']:%d/%m/%Y}"
        if snapshot
        else f"Chiffres au {date.fromisoformat(b['as_of']):%d/%m/%Y}, établis le "
        f"{date.fromisoformat(b['generated_on']):%d/%m/%Y}"
    )
    facts: list[tuple[str, Any]] = [
        ("Plan", plan["type_label"]),
        ("Territoire", f"{plan['territory_name']} ({plan['territory']})"),
        ("Période", plan["period"]),
        ("Maître d'ouvrage", plan["owner"] or "—"),
        ("Année du bilan", year),
        ("État des chiffres", state),
        ("Actions", len(b["actions"])),
    ]
    facts += [(f"Actions : {s['label'].lower()}", s["count"]) for s in b["statuses"]]
    facts += [
        (f"Budget {year} prévu (€)", b["budget"]["year"]["prevu"]),
        (f"Budget {year} engagé (€)", b["budget"]["year"]["engage"]),
        (f"Budget {year} réalisé (€)", b["budget"]["year"]["realise"]),
        ("Jalons en retard", len(b["late_milestones"])),
    ]
    p = b["production"]
    if p:
        facts += [
            (f"Logements : objectif cumulé {plan['start_year']}-{year}", p["cumul"]["objective"]),
            (f"Logements : réalisés {plan['start_year']}-{year}", p["cumul"]["realised"]),
            ("Logements : taux de réalisation cumulé", p["cumul"]["rate"]),
            ("Source des réalisations", p["source"]),
        ]
    row = 2
    if b["demo"]:
        ws.write(1, 0, DEMO_NOTE, out.demo)
        row = 3
    for label, value in facts:
        ws.write(row, 0, label, out.bold)
        if value is None:
            ws.write(row, 1, "non renseigné")
        elif "taux" in label:
            ws.write(row, 1, value, out.pct)
        else:
            ws.write(row, 1, value)
        row += 1

    statuses = [s["label"] for s in b["statuses"]]
    out.sheet(
        "Orientations",
        f"Avancement et budget par orientation — {year}",
        [("Orientation", "text", 50), ("Actions", "int", 10)]
        + [(s, "int", 12) for s in statuses]
        + [("Part réalisée (hors abandonnées)", "pct", 14), ("Jalons", "int", 10)]
        + [("Jalons en retard", "int", 10)]
        + [(f"{k} {year} (€)", "eur", 16) for k in ("Prévu", "Engagé", "Réalisé")]
        + [(f"{k} cumulé (€)", "eur", 16) for k in ("Prévu", "Engagé", "Réalisé")],
        [
            [f"{o['number']}. {o['title']}", o["actions"]]
            + [s["count"] for s in o["statuses"]]
            + [o["rate"], o["milestones"], o["late"]]
            + _budget(o["budget_year"])
            + _budget(o["budget_cumul"])
            for o in b["orientations"]
        ],
    )
    out.sheet(
        "Actions",
        f"État des actions au {date.fromisoformat(b['as_of']):%d/%m/%Y}",
        [
            ("N°", "text", 8),
            ("Action", "text", 50),
            ("Orientation", "text", 11),
            ("Pilote", "text", 30),
            ("État", "text", 13),
        ]
        + [(f"{k} {year} (€)", "eur", 16) for k in ("Prévu", "Engagé", "Réalisé")]
        + [(f"{k} cumulé (€)", "eur", 16) for k in ("Prévu", "Engagé", "Réalisé")],
        [
            [
                a["number"],
                a["title"],
                a["orientation"],
                ", ".join(a["pilots"]),
                a["status_label"],
                *_budget(a["budget_year"]),
                *_budget(a["budget_cumul"]),
            ]
            for a in b["actions"]
        ],
    )
    out.sheet(
        "Jalons en retard",
        "Jalons dont l'échéance est passée sans être atteints",
        [
            ("Action", "text", 40),
            ("Jalon", "text", 50),
            ("Échéance", "text", 14),
            ("Date", "text", 12),
            ("État", "text", 12),
        ],
        [
            [
                f"{m['action']} — {m['action_title']}",
                m["label"],
                m["due"],
                date.fromisoformat(m["due_date"]).strftime("%d/%m/%Y") if m["due_date"] else "",
                m["status"],
            ]
            for m in b["late_milestones"]
        ],
    )
    if p:
        span = f"{plan['start_year']}-{year}"
        out.sheet(
            "Production",
            f"Objectifs et réalisations par produit — source : {p['source']}",
            [("Produit", "text", 26)]
            + [(f"{k} {year}", kind, 12) for k, kind in _FIG]
            + [(f"{k} {span}", kind, 14) for k, kind in _FIG]
            + [("Démonstration", "text", 14)],
            [
                [
                    r["label"],
                    *_figures(r["year"]),
                    *_figures(r["cumul"]),
                    "démonstration" if r["demo"] else "",
                ]
                for r in p["products"]
            ],
            demo=p["demo"],
        )
        out.sheet(
            "Communes",
            f"Objectifs et réalisations par commune (tous logements) — source : {p['source']}",
            [("Commune", "text", 28), ("Code", "text", 11)]
            + [(f"{k} {year}", kind, 12) for k, kind in _FIG]
            + [(f"{k} {span}", kind, 14) for k, kind in _FIG]
            + [("En retard", "text", 10), ("Démonstration", "text", 14)],
            [
                [
                    c["name"],
                    c["id"],
                    *_figures(c["year"]),
                    *_figures(c["cumul"]),
                    "oui" if c["cumul"]["behind"] else "",
                    "démonstration" if c["demo"] else "",
                ]
                for c in p["communes"]
            ],
            demo=p["demo"],
        )
    out.sheet(
        "Indicateurs",
        f"Indicateurs de suivi — valeur {year}",
        [
            ("Action", "text", 8),
            ("Indicateur", "text", 45),
            ("Valeur", "text", 18),
            ("Année", "int", 8),
            ("Cible", "text", 18),
            ("Source", "text", 45),
            ("Remarque", "text", 30),
        ],
        [
            [i["action"], i["label"], i["text"], i["year"], i["target"], i["source"], i["note"]]
            for i in b["indicators"]
        ],
    )
    out.book.close()
    return buffer.getvalue()


_FIG = [("Objectif", "int"), ("Réalisé", "int"), ("Taux", "pct")]
