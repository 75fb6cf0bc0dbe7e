"""Plans that read like plans (#14 §7): the presentation as paragraphs and lists, a
finished plan's counts that agree with each other, milestones written as the seed plans
write them ("T1 2024", "annuel", "durée du plan") drawn on the calendar, and the French
words of the plans, contributions and exchange pages (#14 §8)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.plans.test_pages import block, make_plan, page, text

from observatoire.settings import Settings

SRC = Path(__file__).parents[2] / "src" / "observatoire"


def _plan(territory: str, start: int) -> Any:
    from observatoire.plans.models import Plan

    return Plan.objects.get(territory=territory, start_year=start)


@pytest.fixture
def call(web: Settings) -> Any:
    return _plan("EPCI:246200364", 2014)


@pytest.fixture
def lot(web: Settings) -> Any:
    return _plan("DEP:46", 2024)


# --------------------------------------------------------------------------- presentation
def test_presentation_reads_as_paragraphs_and_lists(client, web) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan("texte")["plan"]
    plan.description = (
        "Observatoire de l'habitat :\n- conjoncture des marchés\n- parcours résidentiels\n"
        "Pilotage <script>alert('x')</script> des instances"
    )
    plan.save()
    html = block(page(client, f"/plans/{plan.pk}/"), 'id="presentation">', "</div>")
    assert "<ul>\n<li>conjoncture des marchés</li>\n<li>parcours résidentiels</li>\n</ul>" in html
    # The line after the list is a paragraph of its own, not the end of the last bullet.
    assert "<p>Pilotage &lt;script&gt;" in html
    assert "<script>" not in html and "- conjoncture" not in html


def test_call_presentation_on_the_real_seed(client, call) -> None:  # type: ignore[no-untyped-def]
    html = block(page(client, f"/plans/{call.pk}/"), 'id="presentation">', "</div>")
    assert html.count("<ul>") == 4
    assert "<li>Comités de pilotage semestriels</li>" in html
    assert "\n- " not in html


# --------------------------------------------------------------------------- finished plan
def _cells(row: str) -> dict[str, str]:
    out = {f"status:{k}": v for k, v in re.findall(r'data-status="(\w+)">([^<]*)<', row)}
    for key, value in re.findall(r'data-col="([\w-]+)">(.*?)</td>', row, re.S):
        out[key] = text(value).strip()
    out["actions"] = re.search(r'<td class="nombre">(\d+)</td>', row)[1]  # type: ignore[index]
    return out


def test_finished_call_plan_reads_finished_and_its_counts_agree(client, call) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{call.pk}/")
    rows = re.findall(r'<tr data-orientation="[^"]+">.*?</tr>', html, re.S)
    assert len(rows) == 5  # four orientations and the plan
    totals: dict[str, int] = {}
    for row in rows:
        cells = _cells(row)
        statuses = {k: int(v) for k, v in cells.items() if k.startswith("status:")}
        assert sum(statuses.values()) == int(cells["actions"])
        reached, total = (int(x) for x in cells["jalons"].split(" / "))
        late = int(cells["retard"].split()[0])
        assert reached + late + int(cells["a-venir"]) + int(cells["abandonnes"]) == total
        if 'data-orientation="ensemble"' in row:
            totals = {"actions": int(cells["actions"]), "reached": reached, **statuses}
            totals["milestones"] = total
    assert totals["actions"] == 17 and totals["milestones"] == 16
    # Not "17 actions à lancer, 0 %": a finished plan, flagged as demonstration.
    assert totals["status:a_lancer"] == 0
    assert totals["status:realisee"] > totals["status:en_cours"] > 0
    assert totals["reached"] > 0
    summary = text(block(html, 'id="avancement-resume">', "</p>"))
    assert summary.startswith("Plan achevé depuis le 31 décembre 2020 : 17 actions, dont")
    assert "à venir" not in summary and "0 jalon" not in summary
    assert "données de démonstration" in text(html)


def test_finished_call_plan_states_are_dated_in_its_years(call) -> None:  # type: ignore[no-untyped-def]
    from observatoire.plans.models import DEMO_STATUS_COMMENT, StatusChange

    changes = StatusChange.objects.filter(action__plan=call, comment=DEMO_STATUS_COMMENT)
    assert changes.count() == call.actions.count() == 31
    assert {c.at.year for c in changes} <= set(range(2014, 2021))


# --------------------------------------------------------------------------- milestones
def _spans(due: str, start: int = 2014, end: int = 2020) -> list[tuple[date, date]]:
    from observatoire.plans.milestones import periods
    from observatoire.plans.models import Milestone, Plan

    return periods(Milestone(due=due), Plan(start_year=start, end_year=end))


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("T1 2024", [(date(2024, 1, 1), date(2024, 3, 31))]),
        ("S2 2023", [(date(2023, 7, 1), date(2023, 12, 31))]),
        ("2025", [(date(2025, 1, 1), date(2025, 12, 31))]),
        ("fin 2022", [(date(2022, 10, 1), date(2022, 12, 31))]),
        ("2021-09-30", [(date(2021, 9, 30), date(2021, 9, 30))]),
        ("durée du plan", [(date(2014, 1, 1), date(2020, 12, 31))]),
        ("en continu", [(date(2014, 1, 1), date(2020, 12, 31))]),
        ("mi-parcours", [(date(2017, 1, 1), date(2017, 12, 31))]),
        ("concomitamment à la procédure d'adoption du PLH", []),
    ],
)
def test_milestone_periods_from_the_seed_wording(due: str, expected: list[Any]) -> None:
    assert _spans(due) == expected


def test_recurring_milestones_have_one_period_each() -> None:
    annual = _spans("annuel")
    assert annual == [(date(y, 1, 1), date(y, 12, 31)) for y in range(2014, 2021)]
    assert len(_spans("semestriel")) == len(_spans("2/an ?")) == 14
    assert _spans("deux fois par an au minimum")[1] == (date(2014, 7, 1), date(2014, 12, 31))
    assert len(_spans("trimestriel")) == 28


def test_call_calendar_is_not_empty(client, call) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{call.pk}/calendrier/")
    gantt = block(html, 'id="gantt"', "</table>")
    rows = re.findall(r"<tr data-milestone=.*?</tr>", gantt, re.S)
    assert len(rows) == 15  # 16 milestones, one written with no date
    annual = [r for r in rows if "Conférence Intercommunale du Logement" in r]
    assert len(annual) == 1 and annual[0].count("gantt__barre ") == 7
    undated = text(block(html, 'id="jalons-sans-date"', "</ul>"))
    assert "concomitamment à la procédure d'adoption du PLH" in undated
    assert "Jalons sans date" in text(html)


def test_lot_calendar_draws_quarters_and_the_plan_duration(client, lot) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{lot.pk}/calendrier/")
    assert 'data-start="2024-01-01" data-end="2024-03-31"' in html  # T1 2024
    assert 'data-start="2024-01-01" data-end="2030-12-31"' in html  # durée du plan
    assert 'id="jalons-sans-date"' not in html


# --------------------------------------------------------------------------- words
def test_no_django_pluralize_left_in_the_plans_contributions_and_exchange() -> None:
    found = [
        str(path.relative_to(SRC))
        for app in ("plans", "contributions", "exchange")
        for path in (SRC / app / "templates").rglob("*.html")
        if "|pluralize" in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_plan_pages_say_one_and_zero_in_the_singular(client, web) -> None:  # type: ignore[no-untyped-def]
    sample = make_plan("mots")
    plan = sample["plan"]
    overview = text(page(client, f"/plans/{plan.pk}/"))
    # One commune (Liévin) behind of two with an objective.
    assert "1 commune sur 2 avec un objectif est en retard" in overview
    gantt = text(page(client, f"/plans/{plan.pk}/calendrier/"))
    assert "1 jalon en retard" in gantt
    assert "4 jalons datés, par action" in gantt
    listing = text(page(client, f"/plans/{plan.pk}/actions/?etat=realisee"))
    assert "1 action sur 5 correspond aux filtres" in listing


def test_contributions_and_exchange_words(client, web) -> None:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string

    def say(name: str, **context: Any) -> str:
        return text(render_to_string(name, context))

    assert "1 document" in say("exchange/documents.html", count=1, documents=[])
    one = [{"line": 2, "column": "code", "value": "x", "message": "code inconnu"}]
    refused = say("contributions/upload.html", problems=one, count=1, hidden=1, file_name="f")
    assert "1 problème dans « f »" in refused
    assert "et 1 autre problème, non affiché." in refused
    confirm = say("contributions/upload_confirm.html", count=1, dwellings=2, file_name="f.csv")
    assert "1 ligne, 2 logements" in confirm


# --------------------------------------------------------------------------- bilan
def test_call_bilan_folds_what_has_no_value_and_draws_charts(client, call) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{call.pk}/bilan/2020/")
    indicators = block(html, 'id="indicateurs"', "</section>")
    folded = block(
        indicators, '<details class="report-fold" id="indicateurs-sans-valeur">', "</details>"
    )
    summary = text(block(folded, "<summary>", "</summary>"))
    missing = int(summary.split()[0])
    assert missing > 100 and folded.count("<li>") == missing
    # The table keeps the indicators with a value: none reads "non renseigné".
    table = indicators.split("<details", 1)[0]
    assert "non renseigné" not in table
    # Charts of the payload's own figures, drawn from the portal's local Vega assets.
    for chart in ("graphique-budget", "graphique-production"):
        assert f'data-vega-spec="{chart}"' in html and f'id="{chart}"' in html
    assert "/static/vendor/vega-lite/vega-lite.min.js" in html
    assert "cdn" not in html.lower()


def test_bilan_without_amounts_says_so_once(client, lot) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/plans/{lot.pk}/bilan/2024/")
    assert 'id="actions-sans-budget"' in html and 'id="budget-non-renseigne"' in html
    actions = block(html, 'id="actions"', "</table>")
    assert "non renseigné" not in actions and "Prévu 2024" not in actions
    assert 'data-vega-spec="graphique-budget"' not in html


def test_bilan_pdf_contents_have_page_numbers_and_one_typeface(client, call) -> None:  # type: ignore[no-untyped-def]
    import io

    from pypdf import PdfReader

    response = client.get(f"/plans/{call.pk}/bilan/2020/pdf/")
    reader = PdfReader(io.BytesIO(response.content))
    cover = " ".join(reader.pages[0].extract_text().split())
    numbers = [
        int(m[1])
        for title in ("Avancement par orientation", "État des actions", "Indicateurs de suivi")
        if (m := re.search(re.escape(title) + r"[ .]*(\d+)", cover))
    ]
    assert len(numbers) == 3, cover
    assert 2 <= numbers[0] <= numbers[1] <= numbers[2] <= len(reader.pages)
    # The page a title names is the page it is on.
    assert "État des actions" in reader.pages[numbers[1] - 1].extract_text()
    fonts = set()
    for p in reader.pages:
        for font in (p["/Resources"].get("/Font") or {}).values():
            name = str(font.get_object()["/BaseFont"]).split("+")[-1]
            fonts.add(re.sub(r"-(Bold|Oblique|BoldOblique)$", "", name))
    assert fonts == {"DejaVu-Sans"}, fonts
