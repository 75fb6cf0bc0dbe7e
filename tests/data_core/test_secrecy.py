"""Statistical secrecy on real DVF commune aggregates (CA de Lens-Liévin, 2023)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatoire.indicators.cube import build, referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.sources import get
from observatoire.territories import Level, Territory
from observatoire.territories.groupings import load_groupings, save_groupings
from observatoire.warehouse.imports import import_file

DVF = "dvf_communes/dvf2023.csv"
LENS = "246200364"
# A user-defined sector where a single commune (62107, 3 sales in 2023) falls under the
# 5-sale threshold: without secondary secrecy its mean price would be recoverable.
SECTOR = ["62498", "62510", "62107", "62065", "62119"]


@pytest.fixture
def dvf_cube(settings: Settings, fixtures: Path, tmp_path: Path) -> Settings:
    import_file(settings, "dvf_communes", fixtures / DVF)
    csv = tmp_path / "secteurs.csv"
    csv.write_text(
        "regroupement;libelle;type;code_commune\n"
        + "".join(f"secteur-test;Secteur test;secteur PLH;{c}\n" for c in SECTOR),
        encoding="utf-8",
    )
    save_groupings(load_groupings(csv), settings.groupings_path)
    build(settings)
    return settings


def _raw(fixtures: Path) -> dict[str, tuple[float, float]]:
    obs = get("dvf_communes").read(fixtures / DVF).tables["observations"]
    wide = obs.filter(pl.col("year") == 2023).pivot("variable", index="code", values="value")
    return {r["code"]: (r["PRIX_M2_MOYEN"], r["NB_MUTATIONS"]) for r in wide.iter_rows(named=True)}


def test_primary_secret_under_five_sales_but_counts_stay_public(dvf_cube: Settings) -> None:
    ref = referential_for(dvf_cube)
    with Cube(dvf_cube, ref) as cube:
        price = cube.value("dvf_prix_m2_moyen", Territory.parse("COM:62107"), 2023)
        sales = cube.value("dvf_ventes_logements", Territory.parse("COM:62107"), 2023)
        lens = cube.value("dvf_prix_m2_moyen", Territory.parse("COM:62498"), 2023)
    assert (price.status, price.value) == ("secret", None)
    assert "seuil" in (price.note or "")
    assert (sales.status, sales.value) == ("ok", 3)
    assert lens.status == "ok" and lens.value == pytest.approx(1507, abs=0.5)


def test_epci_mean_is_weighted_by_sales_including_masked_communes(
    dvf_cube: Settings, fixtures: Path
) -> None:
    raw = _raw(fixtures)
    members = referential_for(dvf_cube).epci_members[LENS]
    num = sum(raw[c][0] * raw[c][1] for c in members)
    den = sum(raw[c][1] for c in members)
    with Cube(dvf_cube, referential_for(dvf_cube)) as cube:
        v = cube.value("dvf_prix_m2_moyen", Territory.parse(f"EPCI:{LENS}"), 2023)
    assert v.status == "ok"
    assert v.value == pytest.approx(num / den)
    assert v.value != pytest.approx(sum(raw[c][0] for c in members) / len(members))


def test_secondary_secrecy_leaves_no_parent_with_a_single_masked_commune(
    dvf_cube: Settings,
) -> None:
    ref = referential_for(dvf_cube)
    with Cube(dvf_cube, ref) as cube:
        communes = cube.values_at("dvf_prix_m2_moyen", Level.COM, 2023)
        sector = cube.value("dvf_prix_m2_moyen", Territory.parse("GRP:secteur-test"), 2023)
        epci = cube.value("dvf_prix_m2_moyen", Territory.parse(f"EPCI:{LENS}"), 2023)
    assert sector.status == "ok" and epci.status == "ok"
    masked = {c for c, v in communes.items() if v.status == "secret"}
    in_sector = masked & set(SECTOR)
    assert "62107" in in_sector and len(in_sector) >= 2
    secondary = [c for c in in_sector if "secondaire" in (communes[c].note or "")]
    # The visible commune with the fewest sales (62065: 148, against 205 and 256; 62119 has
    # no sale at all, hence no price to protect) is masked as well.
    assert secondary == ["62065"]
    assert communes["62065"].value is None
    for parent in (Territory.parse("GRP:secteur-test"), Territory.parse(f"EPCI:{LENS}")):
        members = set(ref.communes_of(parent))
        assert len(masked & members) != 1, parent
