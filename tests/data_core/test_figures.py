"""The figures service, the one door of the apps to figures and territories: read rights
of a `Reader`, restricted values, territory names and one error for what cannot be read."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from tests.support import CountingConnection

from observatoire import figures
from observatoire.figures import PUBLIC, QueryError, Reader, Unavailable
from observatoire.indicators.catalog import get
from observatoire.settings import Settings, activate
from observatoire.territories import Level, Territory

LENS_LIEVIN = Territory(Level.EPCI, "246200364")
LENS = Territory(Level.COM, "62498")
ARRAS = Territory(Level.COM, "62041")
PAS_DE_CALAIS = Territory(Level.DEP, "62")


@pytest.fixture(scope="module", autouse=True)
def demo(demo_data: tuple[Path, str]) -> Iterator[None]:
    activate(Settings(data_dir=demo_data[0]))
    yield


def test_the_core_service_never_imports_django() -> None:
    code = "import sys, observatoire.figures; print(any(m == 'django' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_read_rights_by_diffusion_and_scope() -> None:
    lecteur = Reader("lecteur", (LENS_LIEVIN,))
    assert PUBLIC.can_read("public", LENS)
    assert not PUBLIC.can_read("partenaires", LENS)
    assert not PUBLIC.can_read("restreint", LENS)
    assert lecteur.can_read("partenaires", ARRAS)
    assert lecteur.can_read("restreint", LENS)  # a commune of the EPCI
    assert lecteur.can_read("restreint", LENS_LIEVIN)
    assert not lecteur.can_read("restreint", ARRAS)
    assert not lecteur.can_read("restreint", PAS_DE_CALAIS)  # larger than the scope
    assert lecteur.can_read("restreint")  # listing: any scope at all
    assert not Reader("lecteur").can_read("restreint")
    assert not lecteur.can_read("confidentiel", LENS)  # deny by default
    assert Reader("admin").can_read("restreint", PAS_DE_CALAIS)
    assert lecteur.unreadable("restreint", [LENS, ARRAS, PAS_DE_CALAIS]) == [
        ARRAS,
        PAS_DE_CALAIS,
    ]
    assert lecteur.unreadable("partenaires", [ARRAS]) == []
    assert PUBLIC.unreadable("partenaires", [LENS]) == [LENS]


def test_out_of_reach_figures_come_back_restricted() -> None:
    restreint = replace(get("log_total"), diffusion="restreint")
    lecteur = Reader("lecteur", (LENS_LIEVIN,))
    own = figures.read_value(lecteur, restreint, LENS)
    assert own == figures.value("log_total", LENS) and own.value is not None
    hidden = figures.read_value(lecteur, restreint, ARRAS, 2021)
    assert (hidden.value, hidden.status, hidden.year) == (None, "unavailable", 2021)
    assert hidden.note == figures.RESTRICTED_NOTE and hidden.name == "Arras"
    year = own.year
    assert year is not None
    many = figures.read_values(lecteur, restreint, [LENS, ARRAS, LENS_LIEVIN], year)
    assert many[LENS] == figures.value("log_total", LENS, year)
    assert many[LENS_LIEVIN] == figures.value("log_total", LENS_LIEVIN, year)
    assert many[ARRAS].status == "unavailable"


def test_territory_names_fall_back_on_the_id() -> None:
    assert figures.territory_name(LENS) == "Lens"
    assert figures.territory_name("COM:62498") == "Lens"
    assert figures.territory_name("COM:99999") == "COM:99999"
    assert figures.territory_name("n'importe quoi") == "n'importe quoi"


def test_what_cannot_be_read_is_one_error() -> None:
    for code, territory in (("inconnu", LENS), ("log_total", "COM:99999"), ("log_total", "x")):
        with pytest.raises(Unavailable) as caught:
            figures.series(code, territory)
        assert isinstance(caught.value, QueryError) and str(caught.value)


def test_a_portraits_ranks_are_read_once_per_cube(monkeypatch: pytest.MonkeyPatch) -> None:
    """The siblings a key figure is ranked among were queried again by every portrait
    (150-550 ms per portrait under load, against a 200 ms p95): the cube keeps them."""
    from observatoire.portrait.key_figures import key_figures

    current = figures.cube()
    first = key_figures(PUBLIC, LENS)
    assert any(k.rank is not None for k in first)
    counting = CountingConnection(current.con)
    monkeypatch.setattr(current, "con", counting)
    again = key_figures(PUBLIC, LENS)
    assert [k.rank for k in again] == [k.rank for k in first]
    assert counting.queries == []
