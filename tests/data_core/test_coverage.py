"""The coverage mapping (indicators/coverage.toml) against the catalog: every indicator is
classified, every name it gives exists (upcoming codes of themes being merged excepted)."""

from __future__ import annotations

import dataclasses

import pytest

from observatoire.indicators.catalog import CatalogError, catalog
from observatoire.indicators.coverage import (
    coverage,
    parse_coverage,
    unclassified,
    unknown_references,
)


def test_every_catalog_indicator_is_classified_under_a_field() -> None:
    assert unclassified(coverage()) == []


def test_a_new_indicator_left_unclassified_is_reported() -> None:
    items = dict(catalog())
    new = dataclasses.replace(items["taux_vacance"], code="nouvel_indicateur", theme="Nouveau")
    items["nouvel_indicateur"] = new
    assert unclassified(coverage(), items) == ["nouvel_indicateur"]


def test_every_named_theme_and_indicator_exists() -> None:
    assert unknown_references(coverage(), catalog()) == []


def test_both_texts_are_covered_with_their_fields() -> None:
    fields = {(f.group, f.key): f for f in coverage()}
    for key in ("marches", "demande_sociale", "parc_social", "parc_prive", "vacance"):
        assert ("r302", key) in fields
    for key in ("habitat_indigne", "coproprietes"):
        assert ("r302", key) in fields
    assert len([k for k in fields if k[0] == "fiche11"]) == 29
    sne = fields[("fiche11", "demande_attribution")]
    assert "sne_demandes_par_attribution" in {i.code for i in sne.indicators(catalog())}
    assert any("DREAL" in m.source for m in sne.missing)


def test_upcoming_codes_are_listed_until_the_catalog_holds_them() -> None:
    field = next(f for f in coverage() if f.key == "revenu_median")
    items = dict(catalog())
    to_come = field.to_come(items)
    assert "revenu_d1" in to_come or "revenu_d1" in items
    items["revenu_d1"] = dataclasses.replace(items["revenu_median"], code="revenu_d1")
    assert "revenu_d1" not in field.to_come(items)
    assert "revenu_d1" in {i.code for i in field.indicators(items)}


def test_a_misnamed_reference_or_a_duplicate_is_refused() -> None:
    text = '[[field]]\ngroup = "r302"\nkey = "x"\nlabel = "X"\nindicators = ["taux_vacanse"]\n'
    assert unknown_references(parse_coverage(text), catalog()) == [
        "x : indicateur « taux_vacanse »"
    ]
    with pytest.raises(CatalogError, match="deux fois"):
        parse_coverage(text + text)
    with pytest.raises(CatalogError, match="groupe"):
        parse_coverage(text.replace("r302", "autre"))
