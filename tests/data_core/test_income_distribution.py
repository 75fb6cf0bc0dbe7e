"""Parents' income quantiles estimated by mixing communal Filosofi distributions
(indicators.income_distribution), checked against INSEE's own published figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from bench.income_distribution import borrowed_effect, communes, leave_one_out, rebuild_cities

from observatoire.indicators.income_distribution import (
    fill_lognormal,
    knots,
    mixture_quantiles,
)
from observatoire.sources import filosofi

ARRONDISSEMENTS = "filosofi/FILO2019_DISP_COM-arrondissements.csv"
DEMO_2019 = Path(filosofi.__file__).parent.parent / "data/demo/filosofi/FILO2019_DISP_COM.csv.gz"


def test_one_commune_gives_back_its_own_deciles() -> None:
    # Lens 62498, FILO2019: D1..D9 (D5 = Q2) as published.
    lens = np.array([[9440, 11340, 13000, 14500, 16310, 18370, 20560, 23560, 28540]], float)
    got = mixture_quantiles(knots(lens), np.array([30613.0]), np.linspace(0.1, 0.9, 9))
    assert got == pytest.approx(lens[0], rel=1e-9)


def test_paris_lyon_marseille_rebuilt_blind_from_their_arrondissements(fixtures: Path) -> None:
    # A true blind test: INSEE publishes the three cities AND their 45 arrondissements;
    # the mixture of the arrondissements must give back the city's published quantiles.
    rebuilt = rebuild_cities(fixtures / ARRONDISSEMENTS)
    assert [city for city, _, _ in rebuilt] == ["75056", "13055", "69123"]
    for city, published, mixed in rebuilt:
        error = np.abs(mixed - published) / published
        assert error[1] < 0.002, city  # median within 0.2 %
        assert error.max() < 0.01, city  # D1 and D9 within 1 %


def test_borrowed_shapes_leave_one_out_error_is_bounded() -> None:
    # Each of the ~5,300 communes with deciles hides them and borrows the shape of its
    # département's communes of closest median: the error stated in docs/methodes.md.
    errors = np.abs(leave_one_out(communes(DEMO_2019)))
    assert len(errors) > 5000
    assert np.median(errors, axis=0) == pytest.approx([0.038, 0.037], abs=0.005)
    assert (np.percentile(errors, 90, axis=0) < 0.11).all()


def test_communes_without_deciles_move_the_departement_median() -> None:
    # What the median-only communes change (docs/methodes.md): Pas-de-Calais 2019 mixed
    # from every commune vs from the communes with deciles only.
    effect = {d: (a, b) for d, a, b in borrowed_effect(communes(DEMO_2019))}
    with_all, with_deciles_only = effect["62"]
    assert with_all / with_deciles_only - 1 == pytest.approx(0.037, abs=0.003)


def test_lognormal_fill_keeps_published_deciles_and_orders_the_rest() -> None:
    # cc_filosofi_2021, Lens: D1 9720, median 17250, D9 29930 (no D2-D4, D6-D8).
    row = np.full((1, 9), np.nan)
    row[0, [0, 4, 8]] = [9720, 17250, 29930]
    filled = fill_lognormal(row)[0]
    assert filled[[0, 4, 8]] == pytest.approx([9720, 17250, 29930])
    assert (np.diff(filled) > 0).all()
