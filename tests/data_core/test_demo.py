"""The embedded demo, built once like a user does, checked against published figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from observatoire.indicators.cube import referential_for
from observatoire.indicators.query import Cube
from observatoire.settings import Settings
from observatoire.territories import Level, Territory

DEPS = ("14", "46", "53", "59", "62")


@pytest.fixture(scope="module")
def demo(demo_data: tuple[Path, str]) -> Iterator[tuple[Cube, str]]:
    data, output = demo_data
    settings = Settings(data)
    with Cube(settings, referential_for(settings)) as cube:
        yield cube, output


def v(cube: Cube, code: str, territory: str, year: int | None = None) -> float | None:
    return cube.value(code, Territory.parse(territory), year).value


def test_social_housing_2024_matches_sdes_totals(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    expected = {
        "DEP:14": 60614,
        "DEP:46": 5430,
        "DEP:53": 16380,
        "DEP:59": 281165,
        "DEP:62": 161781,
        "FR": 5366986,
        "EPCI:246200364": 47894,
        "COM:62498": 9052,
    }
    for territory, total in expected.items():
        assert v(cube, "lls_nombre", territory, 2024) == total, territory


def test_social_housing_2019_from_communes_equals_dreal_publication(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    # Computed from the commune detail, equal to the DREAL's published EPCI/département values.
    assert v(cube, "lls_nombre", "EPCI:246200364", 2019) == 48154
    assert v(cube, "lls_nombre", "DEP:59", 2019) == 269382
    # Hauts-de-France: only 59 and 62 have commune detail: the published figure is used.
    hdf = cube.value("lls_nombre", Territory.parse("REG:32"), 2019)
    assert hdf.value == 579987 and "publiée" in (hdf.note or "")
    rate = cube.value("taux_lls", Territory.parse("EPCI:246200364"), 2019)
    assert rate.value == pytest.approx(48.2, abs=0.05)


def test_incomes_are_used_as_published(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    assert v(cube, "revenu_median", "COM:62498", 2019) == 16310
    assert v(cube, "revenu_median", "COM:62498", 2021) == 17250
    # No INSEE EPCI file in the demo: the EPCI's median is estimated, never published
    # as if it were INSEE's (test_incomes_of_parents_are_estimated_with_their_coverage).
    epci = cube.value("revenu_median", Territory.parse("EPCI:246200364"), 2021)
    assert epci.status == "estimated" and epci.value is not None


def test_incomes_of_parents_are_estimated_with_their_coverage(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    lens_lievin = Territory.parse("EPCI:246200364")
    for year in (2014, 2015, 2016, 2018, 2019, 2021):
        med = cube.value("revenu_median", lens_lievin, year)
        assert med.status == "estimated", year
        assert "personnes couvertes" in (med.note or ""), year
        assert (med.millesime, med.year) == (year, year)
        d1 = cube.value("revenu_d1", lens_lievin, year)
        d9 = cube.value("revenu_d9", lens_lievin, year)
        rd = cube.value("rapport_interdecile", lens_lievin, year)
        assert d1.value < med.value < d9.value, year
        # A parent's D9/D1 is that of its estimated deciles, never a mean of ratios.
        assert rd.value == pytest.approx(d9.value / d1.value), year
    # The EPCI lies between its poorest and richest communes (Lens 16,310 in 2019).
    med_2019 = v(cube, "revenu_median", "EPCI:246200364", 2019)
    assert 16310 < med_2019 < 22000
    # Communes keep INSEE's published values and secrecy (2014: Lens D1 8,494.3).
    assert v(cube, "revenu_d1", "COM:62498", 2014) == pytest.approx(8494.3)
    assert cube.value("revenu_d1", Territory.parse("COM:62001"), 2019).status == "secret"
    # The 2014 file covers five départements only: Hauts-de-France is not estimated.
    hdf = cube.value("revenu_median", Territory.parse("REG:32"), 2014)
    assert hdf.status == "unavailable" and "personnes couvertes" in (hdf.note or "")
    # Poverty: poor persons (rate x persons) summed over the communes that publish it.
    poverty = cube.value("taux_pauvrete", lens_lievin, 2021)
    # 2021: 24.9 %, between the EPCI's communes (Lens 32.0 %) and below the poorest one.
    assert poverty.status == "estimated" and 20 < poverty.value < 32
    assert "personnes couvertes" in (poverty.note or "")


def test_dvf_mean_prices_2023(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    for commune, price in {
        "14118": 3047,
        "59350": 3749,
        "62498": 1507,
        "53130": 2252,
        "46042": 1781,
    }.items():
        assert v(cube, "dvf_prix_m2_moyen", f"COM:{commune}", 2023) == pytest.approx(price, abs=0.5)


def test_every_commune_of_the_five_departements_has_census_figures(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    ref = cube.ref
    values = cube.values_at("log_total", Level.COM, 2021)
    for dep in DEPS:
        communes = [c for c, d in ref.commune_dep.items() if d == dep]
        missing = [c for c in communes if values[c].status not in ("ok", "estimated")]
        assert not missing, (dep, missing)
        assert cube.value("log_total", Territory.parse(f"DEP:{dep}"), 2021).status == "ok"


def test_groupings_add_up_their_communes(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    grp = Territory.parse("GRP:nord-pdh-mel-pevele")
    members = cube.ref.communes_of(grp)
    assert len(members) == 133
    values = cube.values_at("log_total", Level.COM, 2021)
    total = cube.value("log_total", grp, 2021)
    assert total.value == pytest.approx(sum(values[c].value or 0 for c in members))


def test_sitadel_shows_source_not_loaded(demo: tuple[Cube, str]) -> None:
    cube, output = demo
    built = cube.value("logements_autorises", Territory.parse("DEP:62"))
    assert built.status == "missing" and built.note == "source non chargée"
    assert "Source non chargée pour" in output and "logements_autorises" in output


def test_france_dvf_total_leaves_out_alsace_moselle_and_says_so(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    sales = cube.value("dvf_ventes_logements", Territory.parse("FR"), 2023)
    assert sales.status == "ok" and sales.value
    assert "Moselle" in (sales.note or "") and "Haut-Rhin" in (sales.note or "")
    grand_est = cube.value("dvf_ventes_logements", Territory.parse("REG:44"), 2023)
    assert grand_est.status == "unavailable"


def test_commune_nouvelle_is_a_sum_only_of_all_its_former_communes(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    # LOVAC 2021 (COG 2021): Hesdin-la-Forêt 62447 = Hesdin, Huby-Saint-Leu, Marconne and
    # Sainte-Austreberthe, absent from the file (= secret): 3 of 4 parts gave 8.13 %.
    # Pern-Lhospitalet 46172 = Pern 46217 (present) + Lhospitalet (absent): 4.7 % was Pern's.
    for commune in ("COM:62447", "COM:46172"):
        rate = cube.value("vacance_longue_duree_part", Territory.parse(commune), 2021)
        assert rate.value is None and rate.status == "secret", commune


def test_dreal_epci_figures_of_another_perimeter_are_not_attached(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    # 14659 moved from the CC Cingal-Suisse Normande to the CC Val ès Dunes after the
    # DREAL's 2019 geography: its 1,143 (2018) and 642 dwellings, and its 6,794.55 résidences
    # principales, describe other perimeters than today's.
    for epci in ("EPCI:200065589", "EPCI:200066710"):
        before = cube.value("lls_nombre", Territory.parse(epci), 2018)
        assert before.value is None and before.status == "unavailable", epci
        assert "périmètre" in (before.note or ""), epci
    # 2019 is summed from the communes, on today's perimeter...
    assert v(cube, "lls_nombre", "EPCI:200065589", 2019) == 1187
    # ...so the rate cannot divide it by the DREAL's résidences principales of 2019 (17.47).
    rate = cube.value("taux_lls", Territory.parse("EPCI:200065589"), 2019)
    assert rate.value is None and rate.status == "unavailable"
    assert "périmètre" in (rate.note or "")
    # Unchanged since 2019, Lens-Liévin keeps the DREAL's figures.
    assert v(cube, "lls_nombre", "EPCI:246200364", 2018) == 48286


# Populations légales (INSEE), millésimes 2019, 2021, 2023: figures read in the files.
LENS_LIEVIN = "EPCI:246200364"


def test_population_of_communes_and_departements_as_in_the_files(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    lille = {2019: 234475, 2021: 236710, 2023: 238246}
    for year, population in lille.items():
        value = cube.value("population_municipale", Territory.parse("COM:59350"), year)
        assert (value.value, value.status) == (population, "ok")
    deps = {
        "14": (694905, 700633, 709441),
        "46": (174094, 174942, 176473),
        "53": (307062, 305933, 305468),
        "59": (2608346, 2611293, 2615635),
        "62": (1465278, 1461441, 1457905),
    }
    for dep, populations in deps.items():
        for year, population in zip((2019, 2021, 2023), populations, strict=True):
            value = cube.value("population_municipale", Territory.parse(f"DEP:{dep}"), year)
            assert (value.value, value.status) == (population, "ok"), (dep, year)
    latest = cube.value("population_municipale", Territory.parse("COM:62498"))
    assert (latest.year, latest.value, latest.millesime, latest.geo_vintage) == (
        2023,
        32920,
        2023,
        2025,
    )
    assert latest.source == "populations_legales"


def test_epci_population_is_the_sum_of_its_communes(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    communes = cube.ref.communes_of(Territory.parse(LENS_LIEVIN))
    values = cube.values_at("population_municipale", Level.COM, 2023)
    by_hand = sum(values[c].value or 0 for c in communes)
    # 242,013 summed from the 2023 file (epci.json of the COG package says 242,591: 2022).
    assert by_hand == 242013
    assert v(cube, "population_municipale", LENS_LIEVIN, 2023) == by_hand


def test_paris_is_the_sum_of_its_arrondissements(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    # Sums of the PMUN of 75101..75120 in the 2021 and 2023 files.
    assert v(cube, "population_municipale", "COM:75056", 2021) == 2133111
    assert v(cube, "population_municipale", "COM:75056", 2023) == 2103778


def test_population_growth_of_a_parent_is_that_of_its_summed_population(
    demo: tuple[Cube, str],
) -> None:
    cube, _ = demo
    lille = cube.value("population_evolution_annuelle", Territory.parse("COM:59350"), 2023)
    assert lille.value == pytest.approx(100 * ((238246 / 236710) ** 0.5 - 1))
    assert lille.status == "ok" and "2021 et 2023" in (lille.note or "")
    epci = Territory.parse(LENS_LIEVIN)
    rate = cube.value("population_evolution_annuelle", epci, 2023)
    p21 = v(cube, "population_municipale", LENS_LIEVIN, 2021)
    p23 = v(cube, "population_municipale", LENS_LIEVIN, 2023)
    assert p21 and p23
    assert rate.value == pytest.approx(100 * ((p23 / p21) ** 0.5 - 1))
    rates = cube.values_at("population_evolution_annuelle", Level.COM, 2023)
    communes = cube.ref.communes_of(epci)
    mean_of_rates = sum(rates[c].value or 0 for c in communes) / len(communes)
    # The mean of the 36 communes' rates is -0.159 % a year, the summed population -0.118 %.
    assert rate.value != pytest.approx(mean_of_rates, abs=0.01)
    # Every millésime interval: 2019 -> 2021 is shown for 2021, nothing before 2019.
    nord = cube.value("population_evolution_annuelle", Territory.parse("DEP:59"), 2021)
    assert nord.value == pytest.approx(100 * ((2611293 / 2608346) ** 0.5 - 1))
    assert cube.value("population_evolution_annuelle", epci, 2019).value is None


def test_sru_inventory_counts_match_the_dhup_file(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    # Communes soumises / déficitaires / carencées per département, counted in the DHUP
    # file (SOURCES.md §12); the Lot has no subject commune: 0, not "not covered".
    expected = {"14": (18, 5, 0), "46": (0, 0, 0), "53": (6, 4, 0), "59": (134, 43, 9)}
    expected["62"] = (80, 16, 2)
    for dep, counts in expected.items():
        got = tuple(
            v(cube, f"sru_communes_{kind}", f"DEP:{dep}")
            for kind in ("soumises", "deficitaires", "carencees")
        )
        assert got == counts, dep
    assert v(cube, "sru_communes_soumises", "FR") == 2196
    lens = cube.value("sru_taux_lls", Territory.parse("COM:62498"))
    assert (lens.value, lens.year, lens.millesime, lens.geo_vintage) == (61.45, 2024, 2025, 2024)


def test_friches_by_status_are_the_cartofriches_rows(demo: tuple[Cube, str]) -> None:
    import csv
    import gzip
    from collections import Counter

    from observatoire.demo import demo_dir

    path = demo_dir() / "cartofriches" / "friches_standard_test.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    counted = Counter((r["comm_insee"].zfill(5)[:2], r["site_statut"]) for r in rows)
    cube, _ = demo
    for dep in DEPS:
        for statut, code in (("sans projet", "friches_sans_projet"),
                             ("avec projet", "friches_avec_projet"),
                             ("reconvertie", "friches_reconverties")):  # fmt: skip
            assert v(cube, code, f"DEP:{dep}") == counted[dep, f"friche {statut}"], (dep, code)
    # Nord: 0 reconverted over 5 sans projet + 32 avec projet (file: SOURCES.md §6).
    assert v(cube, "friches_taux_traitement", "DEP:59") == 0.0
    assert (counted["59", "friche sans projet"], counted["59", "friche avec projet"]) == (5, 32)
    # One import only: no year-on-year comparison, hence no value.
    single = cube.value("friches_traitees_annee", Territory.parse("DEP:59"))
    assert (single.value, single.status) == (None, "unavailable")
    assert single.note and "un seul import Cartofriches" in single.note


def test_private_rents_as_published(demo: tuple[Cube, str]) -> None:
    cube, _ = demo
    # Carte des loyers 2018 (SOURCES.md §12): Lille 13.86, Caen 11.59, Lens 10.70 €/m².
    for commune, rent in (("59350", 13.86), ("14118", 11.59), ("62498", 10.70)):
        got = cube.value("loyer_predit_m2_appartement", Territory.parse(f"COM:{commune}"))
        assert (round(got.value or 0, 2), got.status, got.year) == (rent, "ok", 2018), commune
    # Published per commune only: never averaged into the EPCI or the département.
    for parent in ("EPCI:246200364", "DEP:62"):
        got = cube.value("loyer_predit_m2_appartement", Territory.parse(parent))
        assert (got.value, got.status) == (None, "unavailable"), parent
        assert "commune seulement" in (got.note or "")
    # OLL: Lille 2021 median 11.4 on the MEL, Arras 2021 9.2 on the CU d'Arras.
    assert v(cube, "oll_loyer_median", "EPCI:200093201", 2021) == 11.4
    assert v(cube, "oll_loyer_median", "EPCI:200033579", 2021) == 9.2
    years = [x.year for x in cube.series("oll_loyer_median", Territory.parse("EPCI:200093201"))]
    assert years == list(range(2014, 2022))
