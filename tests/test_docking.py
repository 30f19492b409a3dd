"""Docking: the fast engine's core (EcosystemModel(mechanisms="core")) against the reference engine
(model/reference: one Mesa agent per firm), on the same inputs.

Design:
- District: Tongzhou's profile scaled to 2,000 tech firms (new market entities, high-tech, 专精特新
  and listed firms scaled alike, `docking.district`), no levers, 2024-01..2026-12.
- 80 replications of each engine. The reference runs about 0.4 million firm-months a second, a
  replication about 0.2 s, so the module (docking, power run, checks) took 36-47 s on 2 cores shared
  with other work; 80 is enough for the tests to see a 5% change in the exit hazard in 10 of 10
  batches (benchmarks/dock.py --power 80, see docs/developing.md), and more would add to the suite's time for little.
- Indicators: living firms, high-tech firms, cumulative entries and exits, total revenue, firms' R&D
  expense (sum of rd_ratio x revenue) and the share of firms owning IP, at months 12, 24 and 36.
- At each indicator and month: a two-sample KS test and a Wilcoxon signed-rank test on the paired
  differences, each at ALPHA / 42 (Bonferroni over 2 tests x 7 indicators x 3 months: family-wise
  false alarm rate at most ALPHA = 1%), and the means within TOLERANCE (1-8% by indicator, about four
  standard errors of the mean difference at the noisiest month).
- Dependence: replication r of both engines starts from the same initial firms (the reference copies
  the fast engine's table), so the two samples are not independent. We use it instead of hiding it:
  the signed-rank test works on the pair differences, which are exactly symmetric about 0 when the
  engines agree (given the initial firms, the two runs are independent draws of the same process) and
  are free of the large between-replication spread of the initial firms. The KS test ignores the
  pairing; positive dependence only makes it conservative, so its false alarm rate stays below its
  level, at the price of power (it is the check of the distribution's shape, the paired test of shifts).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from model.reference import INDICATORS, ReferenceModel
from model.reference.docking import (
    ALPHA,
    CHECKPOINTS,
    TOLERANCE,
    Docking,
    compare,
    deliberate_changes,
    district,
    failures,
    run_docking,
    table,
)

REPLICATIONS = 80
WORKERS = min(2, os.cpu_count() or 1)
POWER_CHANGE = "exit hazard x1.05"  # both exit hazards 5% higher: ~40 more exits out of ~830 over 36 months


@pytest.fixture(scope="module")
def scenario():
    return district(2000)


@pytest.fixture(scope="module")
def docking(scenario) -> Docking:
    return run_docking(scenario, range(REPLICATIONS), workers=WORKERS)


def test_same_initial_firms(docking):
    fast, ref = docking.series["fast"], docking.series["reference"]
    for k in INDICATORS:
        np.testing.assert_allclose(ref[k][:, 0], fast[k][:, 0], rtol=1e-12, err_msg=k)
    # and the runs then part ways: the reference draws its own random numbers
    assert (ref["exits_cum"][:, 1:] != fast["exits_cum"][:, 1:]).any()


def test_engines_agree(docking):
    rows = compare(docking.series["fast"], docking.series["reference"], CHECKPOINTS)
    bad = failures(rows, ALPHA, TOLERANCE)
    assert not bad, "\n".join(bad) + "\n" + table(rows)


def test_a_deliberate_change_fails_docking(scenario, docking):
    """The reference with 5% higher exit hazards must not dock, and what gives it away must be the
    firm counts an exit rate moves (exits, living firms), not an unrelated indicator."""
    changed = run_docking(scenario, range(REPLICATIONS), overrides=deliberate_changes()[POWER_CHANGE],
                          workers=WORKERS, engines=("reference",))
    rows = compare(docking.series["fast"], changed.series["reference"], CHECKPOINTS)
    bad = failures(rows, ALPHA, TOLERANCE)
    assert any(line.startswith(("exits_cum", "living_firms")) for line in bad), table(rows)


def test_reference_is_reproducible_and_counts_firm_months(scenario):
    a = ReferenceModel(scenario, replication=3)
    b = ReferenceModel(scenario, replication=3)
    for _ in range(14):  # through a November round and a January
        a.step()
        b.step()
    ta, tb = a.indicator_table(), b.indicator_table()
    for k in INDICATORS:
        np.testing.assert_array_equal(ta[k], tb[k], err_msg=k)
    assert a.firm_months == int(ta["living_firms"][:-1].sum())
    assert ta["living_firms"][-1] == ta["living_firms"][0] + a.entries - a.exits
