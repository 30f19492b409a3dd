"""The numbers summary.json gives a planner (model/output/results.py), on an ensemble made by hand: each
replication's value is known, so each quantile is."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_scenario

from model.execution.ensemble import NAMES, Ensemble
from model.output.results import evaluate_target, indicator_summary


@pytest.fixture(scope="module")
def ensemble() -> Ensemble:
    """Eleven replications of the plan's 37 rows: replication r reads 100 k(r) + month in every indicator, k a
    shuffle of 0-10, so a row's quantiles over replications are 100 x (1, 5, 9) + month, no two rows or replications
    agree, and no single replication (the first, the middle one) holds the median."""
    sc = make_scenario()
    rows = sc.months + 1
    order = np.array([7, 2, 10, 0, 9, 3, 8, 1, 6, 4, 5])  # the middle replication (5) reads 300, not the median 500
    values = (100.0 * order[:, None] + np.arange(rows)[None, :])[:, :, None].repeat(len(NAMES), axis=2)
    return Ensemble(sc, 0, values)


def test_a_targets_baseline_is_the_median_over_replications_of_the_month_before_start(ensemble):
    """The baseline column of the report reads the month before start (row 0), across replications: the first
    simulated month, or one replication's series over time, shows a baseline the district never had."""
    t = next(t for t in ensemble.scenario.targets if t.id == "high-tech-2026")
    r = evaluate_target(ensemble, t)
    assert r.baseline == 500.0
    assert (r.p10, r.p50, r.p90) == pytest.approx((136.0, 536.0, 936.0))  # December 2026, row 36


def test_an_indicators_baseline_quantiles_are_p10_p50_p90_of_the_month_before_start(ensemble):
    """summary.json's context table gives each indicator's baseline as P50 and its spread as P10-P90 (the report
    marks a drawn baseline when they differ): the row and the quantiles the targets' columns use."""
    s = indicator_summary(ensemble)["rd_spending"]
    assert (s["baseline_p10"], s["baseline_p50"], s["baseline_p90"]) == pytest.approx((100.0, 500.0, 900.0))
    assert (s["p10"], s["p50"], s["p90"]) == pytest.approx((136.0, 536.0, 936.0))
