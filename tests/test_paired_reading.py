"""What `innosim compare` reads and how wide its intervals are (model/analysis/compare.py, stats.py), on values
made by hand so that each number is known."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_scenario, plan_doc

from model.analysis.compare import compare, paired
from model.analysis.stats import paired_difference, wilson
from model.execution.ensemble import NAMES, Ensemble
from model.output.results import evaluate_target


def test_compare_reads_each_alternative_in_december_of_the_references_target_year_against_its_threshold():
    """Every alternative is read against the reference's targets, as a run's summary reads them: an alternative that
    asks 3,000 high-tech firms (none of these replications reach it) on the same values changes nothing, and the
    reference's P50 and P(meet) are those of its own summary, in December, not November."""
    ref = make_scenario()
    doc = plan_doc()
    for t in doc["targets"]:
        if t["id"] == "high-tech-2026":
            t["threshold"] = 3000
    values = np.random.default_rng(3).uniform(0.0, 3000.0, (9, ref.months + 1, len(NAMES)))
    a, b = Ensemble(ref, 0, values), Ensemble(make_scenario(doc), 0, values.copy())
    diffs = {d.target: d for d in compare([a, b], seed=1)}
    assert set(diffs) == {t.id for t in ref.targets}
    for t in ref.targets:
        d, own = diffs[t.id], evaluate_target(a, t)
        assert d.threshold == t.threshold
        assert (d.ref_p50, d.ref_p_meet) == (own.p50, own.p_meet)
        assert (d.alt_p50, d.alt_p_meet, d.d_p_meet) == (own.p50, own.p_meet, 0.0)
    assert 0.0 < diffs["high-tech-2026"].ref_p_meet < 1.0  # read against 3,000 it would be 0


def test_a_change_in_p50_that_a_few_resamples_undo_is_not_significant_at_95_percent():
    """The Δ P50 interval is the 2.5-97.5 percentile of 2,000 paired resamples: 18 of 27 replications at 1 against 0
    gives a resample whose median is 0 about 1 time in 28 (P(Bin(27, 2/3) <= 13) = 0.036), between the 2.5% and the
    5% the two ends of a 90% interval would leave out, so the 95% interval reaches 0 (no star) where a 90% one would
    not."""
    a, b = np.zeros(27), (np.arange(27) < 18).astype(float)
    t = make_scenario().targets[0]
    d = paired(a, b, t, "alt", np.random.default_rng(1))
    assert d.d_p50 == 1.0 and d.d_p50_low == 0.0 and d.d_p50_high == 1.0


def test_pairs_that_all_agree_give_newcombes_continuity_corrected_interval():
    """Met in the same 100 of 200 replications: Newcombe's phi is (AD - BC - N/2) / sqrt(margins) = 9,900 / 10,000,
    so the interval is ±w sqrt(2 (1 - 0.99)), w the Wilson half-width at 0.5. A correction of N instead of N/2 widens
    it by 40% and takes stars from changes that have them."""
    same = np.arange(200) < 100
    w = 0.5 - wilson(100, 200)[0]
    d, lo, hi = paired_difference(same, same.copy())
    assert d == 0.0 and (lo, hi) == pytest.approx((-w * math.sqrt(0.02), w * math.sqrt(0.02)))
