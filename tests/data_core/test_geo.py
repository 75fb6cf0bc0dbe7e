"""Contours shipped in observatoire.geo (built by scripts/make_geometries.py, see
src/observatoire/geo/data/SOURCES.md), checked against the referential and the real 2018
contours of tests/fixtures/geo (see its README)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import shapely
from shapely.geometry import shape

from observatoire.geo import GeoError, bounds, covered_departements, features, info, outline
from observatoire.geo import shapes as geo_shapes
from observatoire.territories import Level, Territory
from observatoire.territories.referential import Grouping, national
from observatoire.territories.vintages import passage

T = Territory.parse
DEPS = ("14", "46", "53", "59", "62")
LENS_LIEVIN = T("EPCI:246200364")
DATA = Path(geo_shapes.__file__).parent / "data"
FIXTURE = Path(__file__).parent.parent / "fixtures" / "geo"
# SOURCES.md §1: codes gone between COG 2022 and 2026 in the 5 départements, and where to.
MERGED_2022_2026 = {
    "62461": "62447",
    "62549": "62447",
    "62743": "62447",
    "59070": "59006",
    "14011": "14581",
    "14300": "14743",
    "14623": "14408",
    "46217": "46172",
}


def wire_size(collection: dict[str, Any]) -> int:
    """Bytes of the compact JSON text a portal would send (gzip not counted)."""
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-8"))


def geoms(collection: dict[str, Any]) -> dict[str, shapely.Geometry]:
    return {
        f["properties"]["code"]: shape(f["geometry"])
        for f in collection["features"]
        if f["geometry"] is not None
    }


@pytest.fixture(scope="module")
def communes() -> dict[str, dict[str, Any]]:
    return {d: features(Level.COM, T(f"DEP:{d}")) for d in DEPS}


@pytest.fixture(scope="module")
def mesh(communes: dict) -> dict[str, shapely.Geometry]:
    """Every shipped commune contour of the 5 départements, by code."""
    return {c: g for fc in communes.values() for c, g in geoms(fc).items()}


@pytest.fixture(scope="module")
def contours_2018() -> dict[str, shapely.Geometry]:
    raw = json.loads((FIXTURE / "communes-2018-extrait.geojson").read_text("utf-8"))
    return {f["properties"]["code"]: shape(f["geometry"]) for f in raw["features"]}


# ------------------------------------------------------------------ coverage of the COG 2026


def test_every_current_commune_has_a_contour_except_sannerville(communes: dict) -> None:
    ref = national()
    assert covered_departements() == DEPS
    for dep, fc in communes.items():
        expected = [c for c, d in sorted(ref.commune_dep.items()) if d == dep]
        assert [f["properties"]["code"] for f in fc["features"]] == expected
        without = {f["properties"]["code"] for f in fc["features"] if f["geometry"] is None}
        assert without == ({"14666"} if dep == "14" else set())
    # SOURCES.md §1 counts of communes actuelles.
    assert {d: len(fc["features"]) for d, fc in communes.items()} == {
        "14": 526, "46": 312, "53": 240, "59": 647, "62": 887,
    }  # fmt: skip
    assert list(info()["geometry_missing"]) == ["14666"]


def test_sannerville_restored_in_2019_has_no_invented_boundary(contours_2018: dict) -> None:
    sannerville = outline(T("COM:14666"))
    assert sannerville["geometry"] is None
    assert sannerville["properties"]["flags"] == ["geometry_missing"]
    assert "Troarn (14712)" in sannerville["properties"]["note"]
    troarn = outline(T("COM:14712"))
    assert troarn["properties"]["flags"] == ["approximate"]
    assert "Sannerville (14666)" in troarn["properties"]["note"]
    # Troarn keeps the whole 2018 contour of Saline (Troarn + Sannerville), not a guess.
    saline = contours_2018["14712"]
    assert shape(troarn["geometry"]).symmetric_difference(saline).area < 1e-4 * saline.area
    with pytest.raises(GeoError, match=r"COM:14666 \(Sannerville\).*Troarn \(14712\)"):
        bounds(T("COM:14666"))
    # Both are in the same EPCI: its contour is exact, not flagged.
    epci = national().commune_epci
    assert epci["14666"] == epci["14712"]
    assert outline(T(f"EPCI:{epci['14712']}"))["properties"]["flags"] == []


def test_aurseulles_renumbered_14011_to_14581_keeps_its_contour(contours_2018: dict) -> None:
    aurseulles = outline(T("COM:14581"))
    assert aurseulles["properties"]["nom"] == "Aurseulles"
    assert aurseulles["properties"]["flags"] == []
    got = shape(aurseulles["geometry"])
    assert got.symmetric_difference(contours_2018["14011"]).area < 1e-4 * got.area


# ------------------------------------------------------------------ merged communes dissolved


def test_merged_communes_disappear_into_their_successor(
    communes: dict, contours_2018: dict
) -> None:
    shipped = {f["properties"]["code"] for fc in communes.values() for f in fc["features"]}
    for old, new in MERGED_2022_2026.items():
        assert old not in shipped
        assert old in info()["from_2018"][new]
        parts = info()["from_2018"][new]
        expected = shapely.union_all([contours_2018[c] for c in parts])
        got = shape(outline(T(f"COM:{new}"))["geometry"])
        # One piece, same territory as the 2018 parts (rounding to 1e-5 degree aside).
        assert got.geom_type == "Polygon"
        assert got.symmetric_difference(expected).area < 1e-4 * expected.area
    assert info()["from_2018"]["62447"] == ["62447", "62461", "62549", "62743"]
    assert outline(T("COM:62447"))["properties"]["nom"] == "Hesdin-la-Forêt"


def test_dissolution_follows_the_table_de_passage() -> None:
    table = passage(2018).filter(~pl.col("estimated"))
    ref = national()
    for new, parts in info()["from_2018"].items():
        olds = table.filter(pl.col("new_code") == new)["old_code"].to_list()
        assert sorted(olds) == parts
        assert ref.commune_dep[new] in DEPS


# ------------------------------------------------------------------ EPCI, départements, régions


def test_lens_lievin_36_communes_and_its_dissolved_contour() -> None:
    fc = features(Level.COM, LENS_LIEVIN)
    assert len(fc["features"]) == 36
    members = geoms(fc)
    assert set(members) == set(national().epci_members["246200364"])
    epci = outline(LENS_LIEVIN)
    assert epci["properties"]["nom"] == national().name(LENS_LIEVIN)
    contour = shape(epci["geometry"])
    assert contour.geom_type in ("Polygon", "MultiPolygon") and contour.is_valid
    union = shapely.union_all(list(members.values()))
    assert contour.symmetric_difference(union).area < 1e-6 * union.area
    assert all(contour.buffer(1e-6).covers(g) for g in members.values())
    lens = bounds(T("COM:62498"))
    box = bounds(LENS_LIEVIN)
    assert box[0] <= lens[0] and box[1] <= lens[1] and box[2] >= lens[2] and box[3] >= lens[3]
    assert fc["bbox"] == list(box)


def test_epci_across_the_border_of_the_five_departements_are_partial() -> None:
    of_59 = features(Level.EPCI, T("DEP:59"))
    codes = [f["properties"]["code"] for f in of_59["features"]]
    assert "245900758" in codes  # CC Flandre Lys, in 59 and 62: complete
    flandre_lys = next(f for f in of_59["features"] if f["properties"]["code"] == "245900758")
    assert flandre_lys["properties"]["flags"] == []
    # SOURCES.md §1: 6 EPCI cross a border; 5 reach a département without contours.
    partial = {
        f["properties"]["code"]
        for f in features(Level.EPCI)["features"]
        if "partial" in f["properties"]["flags"]
    }
    assert partial == {"200066827", "200067361", "200069383", "200069672", "247200090"}
    ternois = outline(T("EPCI:200069672"))
    assert "102 communes sur 103" in ternois["properties"]["note"]
    assert len(features(Level.EPCI)["features"]) == 72


def test_departements_and_regions(mesh: dict) -> None:
    hauts_de_france = features(Level.DEP, T("REG:32"))
    assert [f["properties"]["code"] for f in hauts_de_france["features"]] == [
        "02", "59", "60", "62", "80",
    ]  # fmt: skip
    assert [f["properties"]["nom"] for f in features(Level.DEP, T("REG:28"))["features"]] == [
        "Calvados", "Eure", "Manche", "Orne", "Seine-Maritime",
    ]  # fmt: skip
    assert len(features(Level.DEP)["features"]) == 96  # metropolitan France
    assert len(features(Level.REG)["features"]) == 13
    with pytest.raises(GeoError, match=r"FR \(France\) \(REG:01 \(Guadeloupe\)"):
        features(Level.REG, T("FR"))  # overseas contours are not shipped
    # The outline of a covered département is the dissolve of its communes (the Nord
    # enclave inside the Pas-de-Calais stays a hole).
    pas_de_calais = shape(outline(T("DEP:62"))["geometry"])
    assert pas_de_calais.geom_type == "Polygon" and len(pas_de_calais.interiors) == 1
    enclave = shape(outline(T("COM:59176"))["geometry"])
    assert not pas_de_calais.intersection(enclave).area
    communes_62 = shapely.union_all([g for c, g in mesh.items() if c[:2] == "62"])
    assert pas_de_calais.symmetric_difference(communes_62).area < 1e-6 * communes_62.area
    # Metropolitan France: Ouessant, Corsica (south and east), Bray-Dunes.
    assert bounds(T("FR")) == pytest.approx((-5.1, 41.37, 9.56, 51.09), abs=0.01)


# ------------------------------------------------------------------ size, properties, topology


def test_size_on_the_wire_per_departement(communes: dict) -> None:
    sizes = {d: wire_size(fc) for d, fc in communes.items()}
    assert max(sizes, key=lambda d: sizes[d]) == "62"
    assert all(s < 1_500_000 for s in sizes.values()), sizes
    shipped = sum(p.stat().st_size for p in DATA.iterdir())
    assert shipped < 5_000_000
    for name, recorded in info()["files"].items():
        assert (DATA / name).stat().st_size == recorded["gzip_bytes"]


def test_properties_and_coordinates(communes: dict, mesh: dict) -> None:
    ref = national()
    layers = [*communes.values(), features(Level.EPCI), features(Level.DEP)]
    for fc in [*layers, features(Level.REG)]:
        for f in fc["features"]:
            p = f["properties"]
            t = Territory(Level(p["level"]), p["code"])
            assert p["nom"] == ref.name(t)
            assert set(p) == ({"code", "nom", "level", "flags", "note"} if p["flags"] else
                              {"code", "nom", "level", "flags"})  # fmt: skip
            if f["geometry"] is None:
                assert "bbox" not in f
                continue
            assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
            g = mesh[p["code"]] if p["level"] == "COM" else shape(f["geometry"])
            assert g.is_valid, p["code"]
            assert f["bbox"] == pytest.approx(list(g.bounds), abs=1e-9)
            coords = shapely.get_coordinates(g)
            assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()  # 5 decimals
            assert ((coords[:, 0] > -5.2) & (coords[:, 0] < 9.6)).all()  # WGS84 lon/lat
            assert ((coords[:, 1] > 41.3) & (coords[:, 1] < 51.1)).all()
    # RFC 7946: exterior rings counterclockwise (Lens).
    assert mesh["62498"].exterior.is_ccw


def test_neighbouring_communes_neither_overlap_nor_leave_gaps(mesh: dict) -> None:
    layer = list(mesh.values())
    assert shapely.coverage_is_valid(layer)  # shared borders stay identical, across deps too
    union = shapely.union_all(layer)
    assert union.area == pytest.approx(shapely.area(layer).sum(), rel=0.005)
    for dep in DEPS:
        layer = [g for c, g in mesh.items() if national().commune_dep[c] == dep]
        dissolved = shape(outline(T(f"DEP:{dep}"))["geometry"])
        assert dissolved.area == pytest.approx(shapely.area(layer).sum(), rel=0.005)
        # No gap: a hole in the département is another département's enclave, not a sliver.
        holes = [shapely.Polygon(r) for p in shapely.get_parts(dissolved) for r in p.interiors]
        assert all(h.area < 1e-5 or dep == "62" for h in holes), dep
    epci = list(geoms(features(Level.EPCI)).values())
    assert shapely.union_all(epci).area == pytest.approx(sum(g.area for g in epci), rel=0.005)


def test_results_are_private_copies() -> None:
    first = features(Level.COM, LENS_LIEVIN)
    first["features"][0]["properties"]["nom"] = "modifié"
    first["features"][0]["geometry"]["coordinates"].clear()
    again = features(Level.COM, LENS_LIEVIN)
    assert again["features"][0]["properties"]["nom"] != "modifié"
    assert again["features"][0]["geometry"]["coordinates"]


def test_shared_geometries_keep_properties_private() -> None:
    # The map API only adds properties and serialises: it reads shapes parsed once.
    first = features(Level.COM, LENS_LIEVIN, private=False)
    first["features"][0]["properties"]["nom"] = "modifié"
    again = features(Level.COM, LENS_LIEVIN, private=False)
    assert again["features"][0]["properties"]["nom"] != "modifié"
    assert again["features"][0]["geometry"] is first["features"][0]["geometry"]
    assert again == features(Level.COM, LENS_LIEVIN)  # same document as a private copy


def test_groupings_through_the_referential() -> None:
    ref = national().with_groupings(
        [Grouping("lens-lievin-nord", "Lens et Liévin", "secteur", ("62498", "62510"))]
    )
    grp = T("GRP:lens-lievin-nord")
    fc = features(Level.COM, grp, referential=ref)
    assert [f["properties"]["code"] for f in fc["features"]] == ["62498", "62510"]
    assert bounds(grp, referential=ref) == tuple(fc["bbox"])


# ------------------------------------------------------------------ errors, in French


def test_not_shipped_names_the_territory_and_the_covered_departements() -> None:
    with pytest.raises(GeoError) as err:
        features(Level.COM, T("DEP:75"))
    assert "DEP:75 (Paris)" in str(err.value)
    assert "départements 14, 46, 53, 59 et 62" in str(err.value)
    with pytest.raises(GeoError, match=r"EPCI.*REG:32 \(Hauts-de-France\).*14, 46, 53, 59 et 62"):
        features(Level.EPCI, T("REG:32"))  # EPCI of the Aisne, Oise, Somme: not shipped
    with pytest.raises(GeoError, match=r"COM:75056 \(Paris\).*14, 46, 53, 59 et 62"):
        bounds(T("COM:75056"))
    with pytest.raises(GeoError, match=r"REG:01 \(Guadeloupe\)"):
        outline(T("REG:01"))


def test_unknown_territory_and_inconsistent_requests() -> None:
    with pytest.raises(GeoError, match=r"COM:99999.*absent du référentiel"):
        features(Level.COM, T("COM:99999"))
    with pytest.raises(GeoError, match=r"EPCI:999999999"):
        bounds(T("EPCI:999999999"))
    with pytest.raises(GeoError, match=r"n'est pas contenu dans COM:62498 \(Lens\)"):
        features(Level.DEP, T("COM:62498"))
    with pytest.raises(GeoError, match="niveau France"):
        features(Level.FR)
    with pytest.raises(GeoError, match="GRP:inconnu"):
        features(Level.COM, T("GRP:inconnu"))
