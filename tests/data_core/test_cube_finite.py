"""The cube's last guard: a NaN stored in the warehouse (by a version whose readers let it
through) stops the build with a French message, and the cube in place is kept."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from observatoire.errors import UserError
from observatoire.indicators import cube
from observatoire.settings import Settings
from observatoire.warehouse.imports import import_file

DVF_COMMUNES = "dvf_communes/dvf2023.csv"


def test_a_nan_in_the_warehouse_is_refused_and_the_cube_kept(
    settings: Settings, fixtures: Path
) -> None:
    result = import_file(settings, "dvf_communes", fixtures / DVF_COMMUNES)
    cube.build(settings)
    before = hashlib.sha256(settings.cube_path.read_bytes()).hexdigest()
    con = duckdb.connect(str(result.path))
    con.execute(
        "UPDATE observations SET value = 'NaN'::DOUBLE "
        "WHERE code = '62498' AND variable = 'PRIX_M2_MOYEN'"
    )
    con.close()
    with pytest.raises(UserError) as exc:
        cube.build(settings)
    message = str(exc.value)
    assert "non finie" in message and "Réimportez" in message
    assert hashlib.sha256(settings.cube_path.read_bytes()).hexdigest() == before
