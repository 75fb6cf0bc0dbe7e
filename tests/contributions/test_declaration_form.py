"""The declaration form (issue #13 §2): an administrator declares a source without writing
TOML; the form writes the file `observatoire sources declare` reads, through the same
checks, and nothing while a problem remains. The DALO source below is written by the test
(recours reçus per commune), its file too."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from tests.contributions.conftest import LENS_EPCI

from observatoire.settings import Settings, activate
from observatoire.sources.declared import parse_declaration

FORM = "/contributions/sources-declarees/declarer/"
NEXT_YEAR = date.today().year + 1
DALO = {
    "source.name": "dalo",
    "source.label": "DALO : recours reçus",
    "source.producer": "Commission de médiation DALO du Pas-de-Calais",
    "source.description": "Recours amiables reçus dans l'année, par commune du demandeur.",
    "convention.reference": "Convention DALO n° 2026-03",
    "convention.end": f"{NEXT_YEAR}-06-30",
    "convention.diffusion": "partenaires",
    "territory.column": "CODE_COMMUNE",
    "territory.level": "commune",
    "year.column": "ANNEE",
    "file.separator": ";",
    "file.secret": "s, nd",
    # Row 1 left blank: the rows are numbered among those filled.
    "variable[2].name": "RECOURS",
    "variable[2].label": "Recours reçus",
    "variable[2].type": "int",
    "variable[2].unit": "recours",
    "variable[2].absent": "zero",
    "variable[3].name": "FAVORABLES",
    "variable[3].label": "Décisions favorables",
    "variable[3].type": "int",
    "variable[3].unit": "décisions",
    "variable[3].absent": "zero",
    "indicator[1].code": "dalo_recours",
    "indicator[1].label": "Recours DALO reçus",
    "indicator[1].theme": "Hébergement",
    "indicator[1].definition": "Recours amiables reçus dans l'année, additionnés.",
    "indicator[1].unit": "recours",
    "indicator[1].aggregation": "sum",
    "indicator[1].variable": "RECOURS",
    "indicator[2].code": "dalo_taux_favorable",
    "indicator[2].label": "Part des recours DALO favorables",
    "indicator[2].theme": "Hébergement",
    "indicator[2].definition": "Décisions favorables sur recours reçus, rapport de sommes.",
    "indicator[2].unit": "%",
    "indicator[2].aggregation": "ratio",
    "indicator[2].numerator": "FAVORABLES",
    "indicator[2].denominator": "RECOURS",
    "indicator[2].factor": "100",
    "indicator[2].decimals": "1",
}


@pytest.fixture
def empty_dir(web: Settings, tmp_path: Path) -> Settings:
    return activate(Settings(data_dir=tmp_path / "data"))


@pytest.fixture
def admin(signed_in: Callable[..., Client]) -> Client:
    return signed_in("admin", [], organisation="Observatoire")


def test_a_source_declared_by_the_form_is_imported_and_served_at_every_level(
    empty_dir: Settings, admin: Client, signed_in: Callable[..., Client], tmp_path: Path
) -> None:
    from observatoire.indicators.cube import build
    from observatoire.warehouse.imports import import_file

    sent = admin.post(FORM, DALO)
    assert sent.status_code == 302, sent.content.decode()[:3000]
    written = (empty_dir.data_dir / "declarations" / "dalo.toml").read_text(encoding="utf-8")
    data = tomllib.loads(written)
    assert data["convention"]["end"] == date(NEXT_YEAR, 6, 30)
    assert data["file"]["secret"] == ["s", "nd"]
    assert [v["name"] for v in data["variable"]] == ["RECOURS", "FAVORABLES"]
    assert data["indicator"][1]["factor"] == 100
    decl = parse_declaration(written, "dalo.toml")
    assert (decl.diffusion, decl.level, decl.year_column) == ("partenaires", "COM", "ANNEE")
    # The form shows the registered declaration back, to edit it.
    again = admin.get(FORM + "?source=dalo").content.decode()
    assert 'name="variable[1].name" value="RECOURS"' in again

    data_file = tmp_path / "dalo-2025.csv"
    data_file.write_text(
        "CODE_COMMUNE;ANNEE;RECOURS;FAVORABLES\n62498;2025;30;12\n62510;2025;10;s\n",
        encoding="utf-8",
    )
    import_file(empty_dir, "dalo", data_file)
    build(empty_dir)
    url = "/api/v1/values?indicator=dalo_recours&territory={}&year=2025"
    assert Client().get(url.format("COM:62498")).status_code == 401  # partenaires
    reader = signed_in("lecteur", [LENS_EPCI])
    for territory, value in (("COM:62498", 30), (LENS_EPCI, 40), ("DEP:62", 40)):
        [served] = reader.get(url.format(territory)).json()["values"]
        assert (served["value"], served["status"]) == (value, "ok"), territory


def test_every_problem_is_shown_with_its_key_and_nothing_is_written(
    empty_dir: Settings, admin: Client
) -> None:
    bad = dict(DALO)
    bad["source.name"] = "dvf"  # a national source
    del bad["source.producer"]
    bad["convention.end"] = "fin 2027"
    bad["variable[3].type"] = ""
    bad["indicator[1].variable"] = "INCONNUE"
    bad["indicator[2].diffusion"] = "public"  # wider than the producer's « partenaires »
    page = admin.post(FORM, bad)
    text = page.content.decode()
    assert page.status_code == 200 and 'id="declaration-refusee"' in text
    for key, words in (
        ("source.name", "nom déjà pris par une source nationale"),
        ("source.producer", "clé obligatoire absente"),
        ("convention.end", "date de fin de convention attendue"),
        ("variable[2].type", "clé obligatoire absente"),
        ("indicator[1].variable", "variable non déclarée"),
        ("indicator[2].diffusion", "diffusion plus large"),
    ):
        assert f"<code>{key}</code> : {words}" in text, key
    # Shown again as understood: the variables renumbered as in the problems.
    assert 'name="variable[1].name" value="RECOURS"' in text
    assert not (empty_dir.data_dir / "declarations").exists()


@pytest.mark.parametrize(
    ("role", "scope", "status"),
    [
        ("lecteur", [LENS_EPCI], 403),
        ("contributeur", [LENS_EPCI], 403),
        ("animateur", ["DEP:62"], 403),
        ("admin", [], 200),
    ],
)
def test_only_administrators_declare_a_source(
    empty_dir: Settings, signed_in: Callable[..., Client], role: str, scope: list[str], status: int
) -> None:
    client = signed_in(role, scope)
    assert client.get(FORM).status_code == status
    assert client.post(FORM, DALO).status_code == (302 if status == 200 else 403)
    assert Client().get(FORM).status_code == 302  # to the sign-in page
