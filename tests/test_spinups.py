"""Runs that differ only in their levers share one spin-up per replication (model/spinups.py), bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL_SCALE, make_scenario, plan_doc

from model import spinups
from model.levers import with_levers
from model.sim import EcosystemModel


def table(scenario, replication: int) -> dict[str, np.ndarray]:
    t = EcosystemModel(scenario, replication=replication).run().indicator_table()
    return {k: np.asarray(v, dtype=float) for k, v in t.items()}


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


@pytest.fixture(scope="module")
def plan():
    doc = plan_doc()
    doc["scenario"]["end"] = "2025-06"
    return make_scenario(doc, scale=SMALL_SCALE)  # a restored spin-up is the same bit for bit at any size


def test_runs_started_from_a_kept_spin_up_give_the_same_numbers(plan, monkeypatch):
    other = with_levers(plan, {"attracted_firms_per_year": 60.0, "budget.loan_interest_subsidy": 30000.0})
    monkeypatch.setattr(spinups, "MAX_BYTES", 0)  # nothing kept: every run spins up itself
    alone = {(i, r): table(s, r) for i, s in enumerate((plan, other)) for r in (0, 1)}
    assert spinups.stats["restored"] == 0
    monkeypatch.setattr(spinups, "MAX_BYTES", 256 * 2**20)
    spinups.clear()
    for _ in range(2):
        for i, s in enumerate((plan, other)):
            for r in (0, 1):
                assert same(table(s, r), alone[(i, r)]), (i, r)
    assert spinups.stats["kept"] == 2 and spinups.stats["restored"] == 4  # seen, kept, then restored
    assert not same(alone[(0, 0)], alone[(1, 0)])  # the levers do change the run


@pytest.mark.parametrize("change", [{"parameters": {"exit_hazard_old": 0.11}}, {"baseline": {"high_tech": 900.0}},
                                    {"seed": 7}])
def test_a_different_spin_up_input_is_never_restored_from_another(plan, change):
    seed = change.pop("seed", None)
    other = plan.model_copy(update={"scenario": plan.scenario.model_copy(update={"seed": seed})}) if seed else \
        plan.model_copy(update=change)
    for _ in range(3):
        table(plan, 0)
    spinups.stats["restored"] = 0
    fresh = table(other, 0)
    assert spinups.stats["restored"] == 0
    assert not same(fresh, table(plan, 0))


def test_the_scenarios_own_horizon_and_targets_are_kept(plan):
    later = plan.model_copy(update={"scenario": plan.scenario.model_copy(update={"end": "2026-12"}), "targets": []})
    for _ in range(3):
        table(plan, 0)
    m = EcosystemModel(later, replication=0)
    assert spinups.stats["restored"] >= 1
    assert m.months == later.months > plan.months and m.targets == [] and m.scenario_spec is later
