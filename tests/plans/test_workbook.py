"""Excel round trip of a plan: every problem located, nothing saved half-way, and an
export imported back gives the same plan."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from tests.plans.conftest import Sheets, canonical, table_counts, upload

from observatoire.settings import Settings

Make = Callable[..., io.BytesIO]


def _drop_sheet(s: Sheets) -> None:
    del s["Budget"]


def _unknown_commune(s: Sheets) -> None:
    s["Objectifs"][3][0] = "62999"


def _negative_budget(s: Sheets) -> None:
    s["Budget"][1][2] = -1200


def _duplicate_action(s: Sheets) -> None:
    s["Actions"].append(["1-2", "2", None, "Autre action 1-2"])


def _missing_column(s: Sheets) -> None:
    for row in s["Acteurs"]:
        del row[3]


def _year_outside(s: Sheets) -> None:
    s["Objectifs"][1][1] = 2055


def _bad_status(s: Sheets) -> None:
    s["Actions"][1][4] = "en pause"


def _unknown_parent(s: Sheets) -> None:
    s["Actions"][2][2] = "9-9"


def _unknown_linked(s: Sheets) -> None:
    s["Actions"][3][13] = "1-1; 7-7"


def _unknown_orientation(s: Sheets) -> None:
    s["Actions"][4][1] = "3"


def _duplicate_orientation(s: Sheets) -> None:
    s["Orientations"].append(["2", "Encore la 2"])


def _actor_unknown_action(s: Sheets) -> None:
    s["Acteurs"][1][0] = "5-5"


def _bad_role(s: Sheets) -> None:
    s["Acteurs"][2][3] = "financeur"


def _bad_product(s: Sheets) -> None:
    s["Objectifs"][2][2] = "PLAI-A"


def _duplicate_objective(s: Sheets) -> None:
    s["Objectifs"].append(["EPCI:200033579", s["Objectifs"][1][1], "TOTAL", 12, None])


def _unknown_indicator(s: Sheets) -> None:
    s["Indicateurs"][1][2] = "taux_bonheur"


def _non_numeric_budget(s: Sheets) -> None:
    s["Budget"][2][3] = "environ 3 M€"


def _bad_plan_type(s: Sheets) -> None:
    s["Plan"][2][1] = "SCOT"


def _unknown_plan_territory(s: Sheets) -> None:
    s["Plan"][3][1] = "EPCI:999999999"


def _bad_quarter(s: Sheets) -> None:
    s["Jalons"][1][2] = "T5 2032"


def _outside_commune(s: Sheets) -> None:
    s["Objectifs"][4][0] = "COM:62498"  # Lens, not in the CU d'Arras


def _negative_objective(s: Sheets) -> None:
    s["Objectifs"][2][3] = -3


def _fractional_objective(s: Sheets) -> None:
    s["Objectifs"][3][3] = 12.5


BAD = [
    # edit, sheet, line, column, value, message fragment
    (_drop_sheet, "Budget", None, None, None, "feuille absente"),
    (_unknown_commune, "Objectifs", 4, "territoire", "62999", "territoire inconnu"),
    (_negative_budget, "Budget", 2, "prevu", "-1200", "montant négatif"),
    (_duplicate_action, "Actions", 6, "numero", "1-2", "numéro d'action en double (déjà ligne 4)"),
    (_missing_column, "Acteurs", 1, "role", None, "colonne obligatoire absente"),
    (_year_outside, "Objectifs", 2, "annee", "2055", "hors de la période du plan"),
    (_bad_status, "Actions", 2, "etat", "en pause", "valeurs possibles à lancer"),
    (_unknown_parent, "Actions", 3, "parent", "9-9", "action parente inconnue"),
    (_unknown_linked, "Actions", 4, "actions_liees", "7-7", "action liée inconnue"),
    (_unknown_orientation, "Actions", 5, "orientation", "3", "orientation inconnue"),
    (_duplicate_orientation, "Orientations", 4, "numero", "2", "en double"),
    (_actor_unknown_action, "Acteurs", 2, "action", "5-5", "action inconnue"),
    (_bad_role, "Acteurs", 3, "role", "financeur", "pilote, partenaire"),
    (_bad_product, "Objectifs", 3, "produit", "PLAI-A", "valeur inconnue"),
    (_duplicate_objective, "Objectifs", 6, "territoire", None, "objectif en double"),
    (_unknown_indicator, "Indicateurs", 2, "code_observatoire", "taux_bonheur", "catalogue"),
    (_non_numeric_budget, "Budget", 3, "engage", "environ 3 M€", "montant illisible"),
    (_bad_plan_type, "Plan", 3, "Valeur", "SCOT", "PLH, PDH, PD2H"),
    (_unknown_plan_territory, "Plan", 4, "Valeur", "EPCI:999999999", "territoire inconnu"),
    (_bad_quarter, "Jalons", 2, "Échéance", "T5 2032", "trimestre inconnu"),
    (_negative_objective, "Objectifs", 3, "objectif", "-3", "négatif"),
    (_fractional_objective, "Objectifs", 4, "objectif", "12.5", "nombre entier attendu"),
    (_outside_commune, "Objectifs", 5, "territoire", "COM:62498", "hors du périmètre du plan"),
]


def test_a_valid_workbook_reads_without_problem(web: Settings, make_workbook: Make) -> None:
    from observatoire.plans.workbook import read_workbook

    parsed, problems = read_workbook(make_workbook(start=2031))
    assert problems == []
    assert parsed is not None
    assert (parsed.type, parsed.territory, parsed.start_year, parsed.end_year) == (
        "PLH",
        "EPCI:200033579",
        2031,
        2036,
    )
    assert [a.number for a in parsed.actions] == ["1-1", "1-1-1", "1-2", "2-1"]
    assert parsed.actions[1].parent == "1-1" and parsed.actions[2].linked == ["1-1", "2-1"]
    assert [m.due_date for m in parsed.milestones] == [
        date(2031, 3, 31),
        date(2033, 12, 31),
        None,
        date(2032, 12, 31),
    ]
    assert {(o.territory, o.product, o.is_demo) for o in parsed.objectives} >= {
        ("COM:62041", "plus", True),
        ("EPCI:200033579", "plai", False),
    }
    assert str(parsed.budget[1].prevu) == "1000000.00"


@pytest.mark.parametrize(
    ("edit", "sheet", "line", "column", "value", "message"),
    BAD,
    ids=[b[0].__name__.strip("_") for b in BAD],
)
def test_a_bad_workbook_is_refused_whole_with_a_located_problem(
    web: Settings,
    make_workbook: Make,
    edit: Callable[[Sheets], None],
    sheet: str,
    line: int | None,
    column: str | None,
    value: str | None,
    message: str,
) -> None:
    from observatoire.plans.workbook import WorkbookError, import_workbook

    before = table_counts()
    with pytest.raises(WorkbookError) as caught:
        import_workbook(make_workbook(edit, start=2030, name="mauvais.xlsx"))
    assert table_counts() == before
    found = [
        p
        for p in caught.value.problems
        if p.sheet == sheet
        and p.line == line
        and p.column == column
        and (value is None or p.value == value)
        and message in p.message
    ]
    assert found, caught.value.render()
    report = caught.value.render()
    assert "rien n'a été importé" in report and "mauvais.xlsx" in report
    assert f"feuille « {sheet} »" in report


def test_a_refused_workbook_leaves_the_existing_plan_untouched(
    web: Settings, make_workbook: Make
) -> None:
    from observatoire.plans.workbook import WorkbookError, import_workbook

    plan = import_workbook(make_workbook(start=2032))
    before, counts = canonical(plan), table_counts()

    def edit(s: Sheets) -> None:
        s["Plan"][1][1] = "Titre changé"
        s["Actions"].pop()  # 2-1 disappears...
        _negative_budget(s)  # ...but the workbook is refused

    with pytest.raises(WorkbookError):
        import_workbook(make_workbook(edit, start=2032))
    assert canonical(plan) == before
    assert table_counts() == counts


def test_export_then_import_gives_the_same_plan(web: Settings, make_workbook: Make) -> None:
    from observatoire.plans.models import Plan
    from observatoire.plans.workbook import export_workbook, import_workbook, read_workbook

    plan = import_workbook(make_workbook(start=2033))
    # Texts that a spreadsheet could misread: a formula-like title, line breaks.
    action = plan.actions.get(number="1-2")
    action.title = "=SOMME(A1:A2) n'est pas une formule"
    action.description = "Ligne 1\n- puce\n- autre puce"
    action.save()
    first = canonical(plan)
    exported = export_workbook(plan)

    Plan.objects.filter(pk=plan.pk).delete()
    again = import_workbook(upload(exported, "export.xlsx"))
    assert canonical(again) == first

    a, _ = read_workbook(upload(exported, "a.xlsx"))
    b, _ = read_workbook(upload(export_workbook(again), "a.xlsx"))
    assert a is not None and a == b


def test_reimport_replaces_the_plan_and_keeps_its_follow_up(
    web: Settings, make_workbook: Make
) -> None:
    from observatoire.accounts.models import AuditEvent
    from observatoire.plans.models import Action, Operation, Plan, StatusChange
    from observatoire.plans.workbook import import_workbook

    plan = import_workbook(make_workbook(start=2034))
    kept = plan.actions.get(number="1-1")
    Operation.objects.create(
        plan=plan, territory="COM:62041", year=2034, product="plai", dwellings=12
    )
    history = StatusChange.objects.filter(action=kept).count()
    assert history == 1

    def edit(s: Sheets) -> None:
        s["Plan"][1][1] = "PLH d'essai, version 2"
        s["Actions"].pop()  # 2-1 removed, with its actors, milestones and indicators
        for name in ("Acteurs", "Budget", "Jalons", "Indicateurs"):
            s[name][:] = [r for r in s[name] if r[0] != "2-1"]
        s["Actions"][3][4] = "abandonnée"  # 1-2 changes status
        s["Actions"][3][13] = "1-1"
        s["Actions"][1][13] = None

    again = import_workbook(make_workbook(edit, start=2034))
    assert again.pk == plan.pk
    assert Plan.objects.filter(type="PLH", territory="EPCI:200033579", start_year=2034).count() == 1
    assert again.title == "PLH d'essai, version 2"
    assert sorted(again.actions.values_list("number", flat=True)) == ["1-1", "1-1-1", "1-2"]
    assert Action.objects.get(pk=kept.pk).plan_id == plan.pk
    assert StatusChange.objects.filter(action=kept).count() == history
    changed = again.actions.get(number="1-2").status_history.order_by("id")
    assert [s.status for s in changed] == ["realisee", "abandonnee"]
    assert again.operations.count() == 1
    assert AuditEvent.objects.filter(action="import", detail__plan=plan.pk).count() == 2


def test_unreadable_file(web: Settings) -> None:
    from observatoire.plans.workbook import read_workbook

    parsed, problems = read_workbook(upload(b"PK pas vraiment un classeur", "plan.xls"))
    assert parsed is None and len(problems) == 1
    assert "Classeur Excel (.xlsx)" in str(problems[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T1 2024", date(2024, 3, 31)),
        ("t4 2024", date(2024, 12, 31)),
        ("S1 2025", date(2025, 6, 30)),
        ("S2 2025", date(2025, 12, 31)),
        ("2026", date(2026, 12, 31)),
        ("fin 2026", date(2026, 12, 31)),
        ("2024-2026", date(2026, 12, 31)),
        ("2024-06-30", date(2024, 6, 30)),
        ("30/06/2024", date(2024, 6, 30)),
        ("annuel", None),
        ("durée du plan", None),
        ("dès la signature", None),
        ("", None),
    ],
)
def test_due_dates(web: Settings, text: str, expected: date | None) -> None:
    from observatoire.plans.workbook.format import due_date

    assert due_date(text) == expected


@pytest.mark.parametrize("text", ["T5 2024", "S3 2025", "2024-02-30"])
def test_due_dates_refused(web: Settings, text: str) -> None:
    from observatoire.plans.workbook.format import due_date

    with pytest.raises(ValueError):
        due_date(text)


def test_headers_and_values_ignore_case_and_accents(web: Settings, make_workbook: Make) -> None:
    from observatoire.plans.workbook import read_workbook

    def edit(s: Sheets) -> None:
        s["Actions"][0][0] = "Numéro"
        s["Actions"][1][4] = "EN COURS"
        s["Jalons"][0][2] = "ÉCHÉANCE"
        s["Jalons"][1][3] = "Atteint"
        s["Objectifs"][0][3] = "Objectif"
        s["Acteurs"][1][2] = "EPCI"

    parsed, problems = read_workbook(make_workbook(edit, start=2031))
    assert problems == [] and parsed is not None
    assert parsed.actions[0].status == "en_cours"
    assert parsed.milestones[0].status == "atteint"


def test_formula_cells_are_read_as_their_values(web: Settings, make_workbook: Make) -> None:
    """An exported title starting with "=" is a text cell; a user's formula without a
    cached value reads as empty (and a required one is reported)."""
    from observatoire.plans.workbook import read_workbook

    def edit(s: Sheets) -> None:
        s["Actions"][2][3] = "=A1"

    parsed, problems = read_workbook(make_workbook(edit, start=2031))
    assert parsed is None
    assert [(p.sheet, p.line, p.column) for p in problems] == [("Actions", 3, "intitule")]


def test_written_values_cover_the_model_choices(web: Settings) -> None:
    from observatoire.plans.models import ActionStatus, MilestoneStatus
    from observatoire.plans.workbook import format as fmt

    assert set(fmt.ACTION_STATES.written) == set(ActionStatus.values)
    assert set(fmt.MILESTONE_STATES.written) == set(MilestoneStatus.values)


def test_the_documented_template_is_the_one_read(web: Settings) -> None:
    """docs/modele-plan.md lists exactly the sheets, columns and required flags read."""
    import re
    from pathlib import Path

    from observatoire.plans.workbook import format as fmt

    text = (Path(__file__).resolve().parents[2] / "docs/modele-plan.md").read_text("utf-8")
    documented: dict[str, list[tuple[str, bool]]] = {}
    for part in re.split(r"^## Feuille ", text, flags=re.M)[1:]:
        name = re.match(r"`([^`]+)`", part)
        assert name is not None
        rows = re.findall(r"^\| `([a-z_]+)` \| (oui|non) \|", part, flags=re.M)
        documented[name[1]] = [(col, flag == "oui") for col, flag in rows]
    assert list(documented) == list(fmt.SHEETS)
    assert documented["Plan"] == [(c.name, c.required) for c in fmt.PLAN_FIELDS.values()]
    for sheet, columns in fmt.SHEETS.items():
        if sheet != "Plan":
            assert documented[sheet] == [(c.name, c.required) for c in columns], sheet


def test_commune_codes_are_read_as_spreadsheets_write_them(
    web: Settings, make_workbook: Make
) -> None:
    """A CSV round trip writes 62041 as "62041.0", and "COM:" may be left out: the one
    commune-code normalisation of observatoire.tabular reads both."""
    from observatoire.plans.workbook import read_workbook

    def edit(s: Sheets) -> None:
        s["Objectifs"][3][0] = "62041.0"
        s["Indicateurs"][2][3] = " 62041 "

    parsed, problems = read_workbook(make_workbook(edit, start=2033))
    assert problems == []
    assert parsed is not None
    assert ("COM:62041", "plus") in {(o.territory, o.product) for o in parsed.objectives}
    assert parsed.indicators[1].territory == "COM:62041"
