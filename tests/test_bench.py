"""The benchmark's moving parts, at a tiny size: `make bench` must not rot between the times it is run.

No timings are asserted here (they depend on the machine); the benchmark prints them.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench
from scaling import EXTENSIVE, middle, scaled_plan

from model.execution.ensemble import run_ensemble, run_replication
from model.profiles import PROFILES
from model.sim import EcosystemModel


def test_scaled_plan_scales_stocks_and_keeps_shares():
    small, large = scaled_plan(2_000), scaled_plan(20_000)
    assert small.baseline["tech_firms"] == 2_000 and large.baseline["tech_firms"] == 20_000
    profile = PROFILES["tongzhou-2023"]
    for key in profile.entries:
        ratio = large.baseline[key] / small.baseline[key]
        assert ratio == pytest.approx(10.0 if key in EXTENSIVE else 1.0), key
    assert small.baseline["above_scale_share"] == middle(profile.entries["above_scale_share"])
    assert small.levers == scaled_plan(2_000).levers  # the plan's levers, unscaled


def test_scaled_plan_sets_the_size_of_the_model():
    model = EcosystemModel(scaled_plan(1_500, months=3), replication=0)
    assert model.snapshot["living_firms"] == 1_500
    assert model.months == 3


@pytest.mark.parametrize("engine", ["full", "core", "reference"])
def test_engine_measurement_runs(engine):
    m = bench.engine_child(engine, 800, 2, 1)
    assert m["firm_months"] > 1_500  # 800 firms, two months, some entries and exits
    assert m["rate"] > 0 and m["peak_mb"] > 0


def test_trivial_update_measures_its_firm_months():
    m = bench.trivial_child(1_000, 3, 2)
    assert m["firm_months"] == 3_000 and m["rate"] > 0 and m["peak_mb"] > 0


def test_calibration_throughput_runs_a_real_calibration():
    # without the law screen (tests/test_law_screen.py runs it), which would take most of the time
    c = bench.calibration_child(10, 1, 0)
    assert c["simulations"] >= 10 and c["rate"] > 0 and c["workers"] == 1
    assert c["screened"] == c["screen_seconds"] == 0 and 0 < c["fit_seconds"] <= c["seconds"] + 0.05


def test_ensemble_values_land_by_replication_whatever_the_chunks():
    """Streaming the chunks into the array in completion order must still put replication r in row r."""
    scenario = scaled_plan(600, months=4)
    pooled = run_ensemble(scenario, 7, workers=2)
    for r in (0, 3, 6):
        np.testing.assert_array_equal(pooled.values[r], run_replication(scenario, r, scenario.scenario.seed))
