"""Partner data uploads: every problem located by sheet, line, column and value with
nothing saved; a good file confirmed becomes operations of the CALL PLH, visible in its
objectives progress, kept as an upload with its rows and audited."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from tests.contributions.conftest import LENS, LENS_EPCI, LIEVIN
from tests.support import workbook_bytes

UPLOAD, CONFIRM = "/contributions/depots/deposer/", "/contributions/depots/confirmer/"
PROJETS = ["commune", "adresse", "operation", "logements", "produit", "annee_prevue", "stade"]
PROGRAMMATION = ["commune", "operation", "logements", "produit", "annee_financement", "bailleur"]


def xlsx(sheets: dict[str, list[list[Any]]], name: str = "donnees.xlsx") -> io.BytesIO:
    out = io.BytesIO(workbook_bytes(sheets))
    out.name = name
    return out


def counts() -> tuple[int, ...]:
    from observatoire.accounts.models import AuditEvent
    from observatoire.contributions.models import Upload, UploadRow
    from observatoire.plans.models import Operation

    return (
        Upload.objects.count(),
        UploadRow.objects.count(),
        Operation.objects.count(),
        AuditEvent.objects.filter(action="import").count(),
    )


def report(html: str) -> list[tuple[str, ...]]:
    """(sheet, line, column, value, message) of each line of the control report."""
    table = html.split('id="rapport"')[1].split("</table>")[0]
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        out.append(tuple(cells))
    return out


@pytest.fixture
def call_plan(web: Any) -> Any:
    """The CALL PLH 2014-2020 of the demo, or one like it when the demo has none."""
    from observatoire.plans.models import Plan

    plan = Plan.objects.filter(
        type="PLH", territory=LENS_EPCI, start_year__lte=2019, end_year__gte=2020
    ).first()
    if plan is None:
        plan = Plan.objects.create(
            title="PLH de la CALL (test des dépôts)",
            type="PLH",
            territory=LENS_EPCI,
            start_year=2014,
            end_year=2020,
        )
    return plan


def test_bad_file_reports_every_problem_and_saves_nothing(signed_in: Callable[..., Client]) -> None:
    contributeur = signed_in("contributeur", [LENS_EPCI])
    before = counts()
    bad = xlsx(
        {
            "Projets": [
                PROJETS,
                ["99999", "1 rue X", "Inconnue", 10, "plai", 2019, "livree"],
                [62498, None, "Négative", -4, "plus", 2019, "financee"],
                ["62510", None, "Produit", 5, "social", 2019, "autorisee"],
                ["62498", None, "Année", 5, "pls", "deux mille", "commencee"],
                ["62041", None, "Arras", 5, "pls", 2019, "commencee"],
            ]
        }
    )
    response = contributeur.post(UPLOAD, {"fichier": bad, "modele": "projets"})
    html = response.content.decode()
    assert response.status_code == 200 and "rien n'a été enregistré" in html
    rows = report(html)
    located = {r[:4] for r in rows}
    assert ("Projets", "2", "commune", "99999") in located
    assert ("Projets", "3", "logements", "-4") in located
    assert ("Projets", "4", "produit", "social") in located
    assert ("Projets", "5", "annee_prevue", "deux mille") in located
    # Out of the uploader's scope: one problem for that line.
    assert [r for r in rows if r[1] == "6"] == [
        ("Projets", "6", "commune", "62041", next(r[4] for r in rows if r[1] == "6"))
    ]
    assert "hors du périmètre" in next(r[4] for r in rows if r[1] == "6")
    assert len(rows) == 5
    assert counts() == before


def test_missing_columns_and_wrong_files(signed_in: Callable[..., Client]) -> None:
    contributeur = signed_in("contributeur", [LENS_EPCI])
    before = counts()
    no_column = xlsx({"Programmation": [["commune", "operation", "logements"], ["62498", "A", 3]]})
    rows = report(contributeur.post(UPLOAD, {"fichier": no_column}).content.decode())
    assert {r[:3] for r in rows} == {
        ("Programmation", "1", "produit"),
        ("Programmation", "1", "annee_financement"),
    }
    other = xlsx({"Feuil1": [["a"], [1]]})
    assert (
        "Aucune feuille « Projets » ni « Programmation »"
        in contributeur.post(UPLOAD, {"fichier": other}).content.decode()
    )
    fake = io.BytesIO(b"not a zip")
    fake.name = "faux.xlsx"
    assert "pas un classeur Excel" in contributeur.post(UPLOAD, {"fichier": fake}).content.decode()
    pdf = io.BytesIO(b"%PDF-1.4")
    pdf.name = "projets.pdf"
    assert (
        "ni un classeur .xlsx ni un fichier .csv"
        in contributeur.post(UPLOAD, {"fichier": pdf}).content.decode()
    )
    assert counts() == before


def test_reader_cannot_upload(signed_in: Callable[..., Client]) -> None:
    lecteur = signed_in("lecteur", [LENS_EPCI])
    before = counts()
    good = xlsx({"Projets": [PROJETS, ["62498", None, "A", 3, "plai", 2019, "livree"]]})
    assert lecteur.post(UPLOAD, {"fichier": good}).status_code == 403
    assert lecteur.post(CONFIRM, {"depot": "x"}).status_code == 403
    assert counts() == before


def test_good_file_feeds_the_call_plan(signed_in: Callable[..., Client], call_plan: Any) -> None:
    from observatoire.accounts.models import AuditEvent
    from observatoire.contributions.models import Upload
    from observatoire.plans import progress
    from observatoire.plans.models import Operation

    def realised() -> dict[tuple[str, int, str], int | None]:
        cells = progress.cells(call_plan, today=date(2026, 1, 1))
        return {(c.territory.id, c.year, c.product): c.realised for c in cells}

    contributeur = signed_in("contributeur", [LENS_EPCI])
    tag = "essai"
    good = xlsx(
        {
            "Projets": [
                [
                    "Commune",
                    "Adresse",
                    "Opération",
                    "Logements",
                    "Produit",
                    "Année prévue",
                    "Stade",
                ],
                ["62498", "2 rue de Lille", f"Les Tilleuls {tag}", 7, "PLAI", 2019, "livrée"],
                [None, None, None, None, None, None, None],
                ["COM:62498", None, f"Le Parc {tag}", "12", "accession libre", "2019", "autorisee"],
            ],
            "Programmation": [
                PROGRAMMATION,
                ["62510", f"Les Jardins {tag}", 11, "pls", 2020, "Maisons & Cités"],
            ],
        },
        name=f"projets-{tag}.xlsx",
    )
    before, cells_before = counts(), realised()
    page = contributeur.post(UPLOAD, {"fichier": good})
    html = page.content.decode()
    assert page.status_code == 200 and "Fichier contrôlé, aucun problème" in html
    assert escape(call_plan.title) in html and "3 lignes, 30 logements" in html
    assert counts() == before  # nothing saved before the confirmation
    payload = re.search(r'name="depot" value="([^"]+)"', html)
    assert payload is not None
    response = contributeur.post(CONFIRM, {"depot": payload.group(1)})
    assert response.status_code == 302
    upload = Upload.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    today = date.today().strftime("%d/%m/%Y")
    assert upload.source == f"dépôt CA de Lens-Liévin du {today}"
    assert [
        (r.sheet, r.line, r.territory.id, r.dwellings, r.product, r.year, r.stage)
        for r in upload.rows.all()
    ] == [
        ("Programmation", 2, LIEVIN, 11, "pls", 2020, "financee"),
        ("Projets", 2, LENS, 7, "plai", 2019, "livree"),
        ("Projets", 4, LENS, 12, "accession_libre", 2019, "autorisee"),
    ]
    ops = Operation.objects.filter(plan=call_plan, name__endswith=tag)
    assert ops.count() == 3
    assert all(o.source == upload.source and not o.is_demo for o in ops)
    assert counts()[3] == before[3] + 1
    event = AuditEvent.objects.filter(action="import").first()
    assert (
        event is not None and event.detail["lignes"] == 3 and call_plan.pk in event.detail["plans"]
    )

    after = realised()
    for key, added in (
        ((LENS, 2019, "plai"), 7),
        ((LENS, 2019, "accession_libre"), 12),
        ((LENS, 2019, "total"), 19),
        ((LIEVIN, 2020, "pls"), 11),
    ):
        assert (after[key] or 0) - (cells_before[key] or 0) == added, key
    admin = signed_in("admin", [])
    operations = admin.get(f"/plans/{call_plan.pk}/operations/").content.decode()
    assert f"Les Tilleuls {tag}" in operations
    assert f"Les Tilleuls {tag}" in contributeur.get(response["Location"]).content.decode()

    # The same file deposited again would count its dwellings twice: refused.
    good.seek(0)
    again = contributeur.post(UPLOAD, {"fichier": good}).content.decode()
    assert "déjà été déposé" in again
    assert contributeur.post(CONFIRM, {"depot": payload.group(1)}).status_code == 302
    assert Operation.objects.filter(plan=call_plan, name__endswith=tag).count() == 3


def test_csv_programming_and_confirmation_of_another_user(signed_in: Callable[..., Client]) -> None:
    tag = "essai"
    content = f"commune;operation;logements;produit;annee_financement;bailleur\n62510;Résidence {tag};4;plus;2031;Pas-de-Calais habitat\n"
    f = io.BytesIO(content.encode("utf-8-sig"))
    f.name = "programmation.csv"
    bailleur = signed_in(
        "contributeur", [LENS_EPCI], organisation=f"Bailleur {tag}", kind="bailleur"
    )
    html = bailleur.post(UPLOAD, {"fichier": f, "modele": "programmation"}).content.decode()
    assert "Fichier contrôlé, aucun problème" in html and "aucun PLH ne couvre" in html
    payload = re.search(r'name="depot" value="([^"]+)"', html)
    assert payload is not None
    # Signed for this user only.
    other = signed_in("contributeur", [LENS_EPCI])
    assert other.post(CONFIRM, {"depot": payload.group(1)}).status_code == 400
    assert other.post(CONFIRM, {"depot": payload.group(1)[:-2] + "xx"}).status_code == 400
    response = bailleur.post(CONFIRM, {"depot": payload.group(1)})
    assert response.status_code == 302
    detail = bailleur.get(response["Location"]).content.decode()
    assert f"Résidence {tag}" in detail and f"dépôt Bailleur {tag} du" in detail
    # Another organisation's contributeur does not see it.
    assert other.get(response["Location"]).status_code == 403


def test_template_download(client: Client) -> None:
    from openpyxl import load_workbook

    response = client.get("/contributions/depots/modele.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Projets"][1]] == PROJETS
    assert [c.value for c in wb["Programmation"][1]] == PROGRAMMATION
    assert wb["Projets"].max_row == 1  # headers only: the examples are on their own sheet


def test_commune_codes_as_spreadsheets_write_them(signed_in: Callable[..., Client]) -> None:
    """A CSV saved from Excel may carry "62510.0" or "COM:62510": the one commune-code
    normalisation of observatoire.tabular reads both as 62510."""
    content = (
        "commune,operation,logements,produit,annee_financement\n"
        "62510.0,Les Tilleuls,4,plus,2031\n"
        " com:62510 ,Le Parc,3,plai,2031\n"
    )
    f = io.BytesIO(content.encode("cp1252"))
    f.name = "programmation.csv"
    contributeur = signed_in("contributeur", [LENS_EPCI])
    before = counts()
    html = contributeur.post(UPLOAD, {"fichier": f, "modele": "programmation"}).content.decode()
    assert "Fichier contrôlé, aucun problème" in html and "2 lignes, 7 logements" in html
    assert counts() == before


def test_a_page_renamed_csv_is_refused_from_its_bytes(signed_in: Callable[..., Client]) -> None:
    """The upload guard sniffs the bytes (as for exchange documents)."""
    f = io.BytesIO(b"<html><script>alert(1)</script></html>")
    f.name = "projets.csv"
    contributeur = signed_in("contributeur", [LENS_EPCI])
    before = counts()
    html = contributeur.post(UPLOAD, {"fichier": f, "modele": "projets"}).content.decode()
    assert "« projets.csv » n&#x27;est pas un tableau CSV lisible" in html
    assert "une page HTML" in html
    assert counts() == before


def test_the_documented_partner_template_is_the_one_read(web: Any) -> None:
    """docs/modele-donnees-partenaires.md lists exactly the sheets, columns and required
    flags read, as docs/modele-plan.md does for plan workbooks."""
    from pathlib import Path

    from observatoire.contributions import partner_data

    path = Path(__file__).resolve().parents[2] / "docs/modele-donnees-partenaires.md"
    text = path.read_text("utf-8")
    documented: dict[str, list[tuple[str, bool]]] = {}
    for part in re.split(r"^## Feuille ", text, flags=re.M)[1:]:
        name = re.match(r"`([^`]+)`", part)
        assert name is not None
        rows = re.findall(r"^\|\s*`([a-z_]+)`\s*\|\s*(oui|non)\s*\|", part, flags=re.M)
        documented[name[1]] = [(col, flag == "oui") for col, flag in rows]
    assert documented == {
        sheet: [(c.name, c.required) for c in columns]
        for sheet, columns in partner_data.SPECS.items()
    }
    products = re.search(r"`produit`\s*\|\s*oui\s*\|([^\n]+)", text)
    stages = re.search(r"`stade`\s*\|\s*oui\s*\|([^\n]+)", text)
    assert products is not None and stages is not None
    assert tuple(re.findall(r"`([a-z_]+)`", products[1])) == partner_data.PRODUCTS
    assert tuple(re.findall(r"`([a-z_]+)`", stages[1])) == partner_data.STAGES


@pytest.mark.parametrize("declared", [True, False], ids=["dimension-declared", "streamed"])
def test_a_million_line_workbook_is_refused_at_the_cap_in_bounded_memory(
    signed_in: Callable[..., Client], declared: bool
) -> None:
    """A 0.5 MB xlsx of a million lines used to be read whole before the 5,000-line
    check (77 s of CPU, 450 MB: a killed gunicorn worker). Refused at the cap, whether
    the sheet declares its dimension or only reading finds it."""
    import tracemalloc

    from tests.support import with_million_lines

    contributeur = signed_in("contributeur", [LENS_EPCI])
    line = ["62498", "1 rue X", "Résidence", 10, "plai", 2026, "livree"]
    small = xlsx({"Projets": [PROJETS, line]}).getvalue()
    bomb = io.BytesIO(with_million_lines(small, "Projets", PROJETS, line, declared))
    bomb.name = "projets.xlsx"
    before = counts()
    tracemalloc.start()
    try:
        response = contributeur.post(UPLOAD, {"fichier": bomb, "modele": "projets"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    html = response.content.decode()
    assert response.status_code == 200 and "rien n'a été enregistré" in html
    [(sheet, _, _, _, message)] = report(html)
    assert sheet == "Projets" and "plus de 5000 lignes" in message.lower()
    assert "découpez" in message
    assert peak < 64 * 1024 * 1024, peak
    assert counts() == before


def test_a_csv_of_too_many_lines_or_a_huge_field_is_refused_in_french(
    signed_in: Callable[..., Client],
) -> None:
    contributeur = signed_in("contributeur", [LENS_EPCI])
    line = "62498;1 rue X;Résidence;10;plai;2026;livree\n"
    many = io.BytesIO((";".join(PROJETS) + "\n" + line * 5001).encode())
    many.name = "projets.csv"
    rows = report(
        contributeur.post(UPLOAD, {"fichier": many, "modele": "projets"}).content.decode()
    )
    assert [r[:2] for r in rows] == [("Projets", "5002")]
    assert "plus de 5000 lignes" in rows[0][4].lower()
    huge = io.BytesIO((";".join(PROJETS) + "\n" + "62498;" + "x" * 200_000 + "\n").encode())
    huge.name = "projets.csv"
    rows = report(
        contributeur.post(UPLOAD, {"fichier": huge, "modele": "projets"}).content.decode()
    )
    assert [r[:2] for r in rows] == [("Projets", "2")]
    assert "131 072 caractères" in rows[0][4].lower()
