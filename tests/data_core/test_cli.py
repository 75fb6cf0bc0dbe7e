"""The `observatoire` command as a user runs it: empty data dir, one file, build, value."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from observatoire.cli import main
from observatoire.settings import Settings
from observatoire.warehouse.store import list_imports

DVF = "dvf/geo-dvf-2024-dep01-head.csv"


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.output


def test_one_dvf_file_in_an_empty_data_dir(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "vide"
    # The extract is the head of the Ain's rows (6 communes of 391): only a declaration
    # makes it stand for the whole département (see test_a_file_of_one_commune...).
    code, out = run(data, "import", "dvf", str(fixtures / DVF), "--complet", "01")
    assert code == 0, out
    assert "millésime 2024" in out and "1 ventes de logement retenues" in out
    assert "traités comme complets" in out and "déclaré par --complet" in flat(out)
    code, out = run(data, "build")
    assert code == 0 and "Cube construit" in out
    code, out = run(data, "value", "dvf_ventes_logements", "COM:01173", "--format", "json")
    assert code == 0, out
    sales = json.loads(out)
    assert (sales["value"], sales["status"], sales["year"]) == (1, "ok", 2024)
    assert sales["source"]["code"] == "dvf" and sales["source"]["millesime"] == 2024
    # One sale is under the 5-sale threshold: the price exists but is secret (exit 0).
    code, out = run(data, "value", "dvf_prix_m2_median", "COM:01173", "--format", "json")
    price = json.loads(out)
    assert code == 0 and price["status"] == "secret" and price["value"] is None
    # A commune of the département without sale has 0 sales; the département is covered.
    code, out = run(data, "value", "dvf_ventes_logements", "DEP:01", "--format", "json")
    assert json.loads(out)["value"] == 1
    # Another département is not covered by the file: no partial figure.
    code, out = run(data, "value", "dvf_ventes_logements", "REG:84", "--format", "json")
    assert json.loads(out)["status"] == "unavailable"


def flat(out: str) -> str:
    """The console wraps long notes at its width."""
    return " ".join(out.split())


def json_value(data: Path, indicator: str, territory: str, exit_code: int = 0) -> dict[str, object]:
    code, out = run(data, "value", indicator, territory, "--format", "json")
    assert code == exit_code, out
    return dict(json.loads(out))


def one_commune_file(fixtures: Path, tmp_path: Path, commune: str) -> Path:
    """The real Ain extract cut to the rows of one commune, as a user would cut it."""
    header, *rows = (fixtures / DVF).read_text(encoding="utf-8").splitlines()
    kept = [r for r in rows if r.split(",")[10] == commune]
    path = tmp_path / f"dvf-{commune}.csv"
    path.write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    return path


def test_a_file_of_one_commune_does_not_stand_for_its_departement(
    tmp_path: Path, fixtures: Path
) -> None:
    data = tmp_path / "d"
    # Gex (01173): 4 real rows, three dépendances and the flat of the only dwelling sale.
    code, out = run(data, "import", "dvf", str(one_commune_file(fixtures, tmp_path, "01173")))
    assert code == 0, out
    assert "4 lignes lues" in out and "1 ventes de logement retenues" in out
    assert "Fichier partiel pour 01 (1 communes sur 391" in flat(out)
    assert "réimportez-le avec --complet 01" in flat(out)
    (stored,) = list_imports(Settings(data_dir=data).warehouse_dir)
    assert stored.provenance["row_count"] == 4
    assert run(data, "build")[0] == 0
    sales = json_value(data, "dvf_ventes_logements", "COM:01173")
    assert (sales["value"], sales["status"]) == (1, "ok")
    for territory, communes in (("DEP:01", 391), ("EPCI:240100750", 27)):
        for indicator in ("dvf_ventes_logements", "dvf_prix_m2_median", "dvf_prix_m2_moyen"):
            got = json_value(data, indicator, territory)
            assert (got["value"], got["status"]) == (None, "unavailable"), (territory, got)
            assert got["note"] == f"fichier partiel : 1 commune sur {communes} couverte"
    # A neighbour without any row is unknown, not 0 sales (exit 1: no data).
    other = json_value(data, "dvf_ventes_logements", "COM:01160", exit_code=1)
    assert (other["value"], other["status"]) == (None, "missing")


def test_a_commune_whose_rows_are_not_sales_is_covered_with_zero(
    tmp_path: Path, fixtures: Path
) -> None:
    """Plateau d'Hauteville (01185): 69 real land rows, no dwelling: 0 sales, known."""
    data = tmp_path / "d"
    code, out = run(data, "import", "dvf", str(fixtures / DVF))
    assert code == 0, out
    assert "77 lignes lues" in out and "Fichier partiel pour 01 (6 communes sur 391" in flat(out)
    assert run(data, "build")[0] == 0
    land = json_value(data, "dvf_ventes_logements", "COM:01185")
    assert (land["value"], land["status"]) == (0, "ok")
    dep = json_value(data, "dvf_ventes_logements", "DEP:01")
    assert (dep["status"], dep["note"]) == (
        "unavailable",
        "fichier partiel : 6 communes sur 391 couvertes",
    )


def test_unloaded_source_and_text_output(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "d"
    run(data, "import", "dvf", str(fixtures / DVF))
    run(data, "build")
    code, out = run(data, "value", "taux_vacance", "EPCI:246200364")
    assert code == 1 and "source non chargée" in out
    code, out = run(data, "value", "dvf_ventes_logements", "COM:1173")
    assert code == 0 and "L'Abergement" not in out and "2024" in out and "1 ventes" in out


def test_bad_file_is_refused_without_traceback_and_nothing_changes(
    tmp_path: Path, fixtures: Path
) -> None:
    data = tmp_path / "d"
    run(data, "import", "dvf", str(fixtures / DVF))
    before = sorted(p.name for p in (data / "warehouse").rglob("*.duckdb"))
    bad = tmp_path / "dvf-casse.csv"
    text = (fixtures / DVF).read_text(encoding="utf-8").replace("329500", "trois cent mille")
    bad.write_text(text, encoding="utf-8")
    code, out = run(data, "import", "dvf", str(bad))
    assert code == 1
    assert "Import refusé" in out and "valeur_fonciere" in out and "trois cent mille" in out
    assert "Traceback" not in out
    assert sorted(p.name for p in (data / "warehouse").rglob("*.duckdb")) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("value", "taux_vacance", "COM:62498"), "observatoire build"),
        (("value", "inconnu", "COM:62498"), "inconnu"),
        (("value", "taux_vacance", "XYZ:1"), "Niveau"),
        (("import", "filocom", "x.csv"), "Sources disponibles"),
    ],
)
def test_usage_errors_exit_2_in_french(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, out = run(tmp_path / "d", *args)
    assert code == 2 and message in out and "Traceback" not in out


def test_catalogs(tmp_path: Path) -> None:
    code, out = run(tmp_path, "indicators", "--format", "json")
    codes = {i["code"] for i in json.loads(out)}
    assert code == 0 and {"taux_lls", "dvf_prix_m2_median", "revenu_median"} <= codes
    code, out = run(tmp_path, "sources")
    assert code == 0 and "source non chargée" in out and "cartofriches" in out


def test_env_var_chooses_the_data_dir(
    tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OBSERVATOIRE_DATA_DIR", str(tmp_path / "env"))
    result = CliRunner().invoke(main, ["import", "dvf", str(fixtures / DVF)])
    assert result.exit_code == 0
    assert list((tmp_path / "env" / "warehouse").rglob("*.duckdb"))
    shutil.rmtree(tmp_path / "env")


def test_groupings_import_reports_bad_codes(tmp_path: Path) -> None:
    bad = tmp_path / "secteurs.csv"
    bad.write_text(
        "regroupement;libelle;type;code_commune\nnord;Nord;PDH;99999\n", encoding="utf-8"
    )
    code, out = run(tmp_path / "d", "groupings", "import", str(bad))
    assert code == 1 and "99999" in out and "ligne 2" in out


def test_records_on_an_unknown_commune_are_reported(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "d"
    moved = tmp_path / "dvf-code-inconnu.csv"
    text = (fixtures / DVF).read_text(encoding="utf-8").replace(",01173,", ",01999,")
    moved.write_text(text, encoding="utf-8")
    assert run(data, "import", "dvf", str(moved))[0] == 0
    code, out = run(data, "build")
    assert code == 0 and "Attention" in out and "1 enregistrement(s) de dvf_ventes" in out


def test_a_data_dir_with_an_apostrophe_and_a_space(tmp_path: Path, fixtures: Path) -> None:
    """French paths hold apostrophes: they reach DuckDB as bound parameters or quoted."""
    data = tmp_path / "l'observatoire de l'habitat" / "var"
    source = tmp_path / "extraits d'Arras" / "geo-dvf-2024-dep01-head.csv"
    source.parent.mkdir()
    shutil.copy(fixtures / DVF, source)
    code, out = run(data, "import", "dvf", str(source))
    assert code == 0, out
    code, out = run(data, "build")
    assert code == 0 and "Cube construit" in out, out
    code, out = run(data, "value", "dvf_ventes_logements", "COM:01173", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["value"] == 1
    code, out = run(data, "sources")
    assert code == 0 and "geo-dvf-2024-dep01-head.csv" in out


def test_an_unknown_source_is_a_user_error_not_a_key_error() -> None:
    from observatoire import sources
    from observatoire.errors import UserError

    with pytest.raises(UserError, match="Sources disponibles") as caught:
        sources.get("filocom")
    assert not isinstance(caught.value, KeyError)


def test_a_key_error_is_a_bug_not_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from observatoire import sources

    def broken() -> list[str]:
        raise KeyError("colonne")

    monkeypatch.setattr(sources, "names", broken)
    code, out = run(tmp_path / "d", "sources")
    assert code == 70 and "Erreur interne (KeyError)" in out and "Traceback" not in out
    assert "KeyError: 'colonne'" in (tmp_path / "d" / "observatoire-erreurs.log").read_text()


def test_the_cli_starts_without_the_heavy_libraries() -> None:
    """`observatoire --help` must answer at once: pandas (through pandera), Django,
    WeasyPrint and openpyxl are imported by the commands that use them."""
    heavy = ["pandas", "pandera", "polars", "duckdb", "django", "weasyprint", "openpyxl"]
    code = (
        f"import sys, observatoire.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_a_truncated_file_stops_until_the_user_confirms(tmp_path: Path, fixtures: Path) -> None:
    """An interrupted download (cut at a line boundary) no longer replaces a good import
    with « 21 lignes lues — remplace l'import précédent »."""
    data = tmp_path / "d"
    rp = fixtures / "insee_rp_logement/base-cc-logement-2021-extrait.csv"
    code, out = run(data, "import", "insee_rp_logement", str(rp))
    assert code == 0, out
    half = tmp_path / rp.name
    half.write_bytes(b"".join(rp.read_bytes().splitlines(keepends=True)[:22]))
    code, out = run(data, "import", "insee_rp_logement", str(half))
    flat = " ".join(out.split())
    assert code == 1 and "Import arrêté" in flat and "remplace l'import" not in flat, out
    assert "21 lignes et 21 territoires, contre 44 lignes et 44 territoires" in flat
    assert "--accept-fewer" in flat and "Traceback" not in out
    code, out = run(data, "sources")
    assert "44 lignes" in out
    code, out = run(data, "import", "insee_rp_logement", str(half), "--accept-fewer")
    assert code == 0 and "21 lignes lues — remplace l'import précédent" in " ".join(out.split())
