"""`observatoire plans import | export | list`: report and exit codes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from tests.plans.conftest import Sheets, canonical, table_counts, upload

from observatoire.settings import Settings

Make = Callable[..., io.BytesIO]


def _run(web: Settings, *args: str) -> tuple[int, str]:
    from observatoire.cli import main

    result = CliRunner().invoke(main, ["--data-dir", str(web.data_dir), "plans", *args])
    return result.exit_code, result.output


def _write(tmp_path: Path, workbook: io.BytesIO, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(workbook.getvalue())
    return path


def test_a_refused_workbook_exits_1_with_the_report(
    web: Settings, make_workbook: Make, tmp_path: Path
) -> None:
    def edit(s: Sheets) -> None:
        del s["Jalons"]
        s["Budget"][1][2] = -5

    path = _write(tmp_path, make_workbook(edit, start=2042), "refuse.xlsx")
    before = table_counts()
    code, output = _run(web, "import", str(path))
    assert code == 1
    assert table_counts() == before
    assert "2 problèmes dans le classeur « refuse.xlsx », rien n'a été importé" in output
    assert "feuille « Jalons » : feuille absente" in output
    assert (
        "feuille « Budget », ligne 2, colonne « prevu », valeur « -5 » : montant négatif" in output
    )
    assert "Traceback" not in output


def test_import_list_export_round_trip(web: Settings, make_workbook: Make, tmp_path: Path) -> None:
    from observatoire.plans.models import Plan
    from observatoire.plans.workbook import import_workbook

    path = _write(tmp_path, make_workbook(start=2043), "plh.xlsx")
    code, output = _run(web, "import", str(path))
    assert code == 0, output
    assert "nouveau plan" in output and "4 actions" in output
    plan = Plan.objects.get(type="PLH", territory="EPCI:200033579", start_year=2043)

    code, output = _run(web, "import", str(path))
    assert code == 0 and "remplace le plan précédent" in output
    assert Plan.objects.filter(start_year=2043, territory="EPCI:200033579").count() == 1

    code, output = _run(web, "list")
    assert code == 0 and "2043-2048" in output

    exported = tmp_path / "export.xlsx"
    code, output = _run(web, "export", str(plan.pk), str(exported))
    assert code == 0, output
    before = canonical(plan)
    Plan.objects.filter(pk=plan.pk).delete()
    again = import_workbook(upload(exported.read_bytes(), "export.xlsx"))
    assert canonical(again) == before


def test_export_of_an_unknown_plan_exits_2(web: Settings, tmp_path: Path) -> None:
    code, output = _run(web, "export", "999999", str(tmp_path / "x.xlsx"))
    assert code == 2
    assert "aucun plan n° 999999" in output
    assert not (tmp_path / "x.xlsx").exists()


def test_import_of_a_missing_file_is_a_usage_error(web: Settings, tmp_path: Path) -> None:
    code, output = _run(web, "import", str(tmp_path / "absent.xlsx"))
    assert code == 2 and "absent.xlsx" in output
