"""Same scenario and seed give identical numbers, whatever the number of workers."""

from __future__ import annotations

import numpy as np
from conftest import SMALL_SCALE, make_scenario, plan_doc

from model.execution.ensemble import run_ensemble
from model.levers import with_levers
from model.sim import EcosystemModel, replication_streams


def short():
    """A year of the plan at a small scale: which numbers a seed gives does not depend on the population's size."""
    return make_scenario(end="2024-12", scale=SMALL_SCALE)


def test_same_seed_same_numbers_any_worker_count():
    sc = short()
    one = run_ensemble(sc, replications=6, seed=11, workers=1)
    two = run_ensemble(sc, replications=6, seed=11, workers=2)
    assert np.array_equal(one.values, two.values)
    assert np.isfinite(one.values).all()


def test_different_seeds_and_replications_differ():
    sc = short()
    a = run_ensemble(sc, replications=2, seed=1, workers=1)
    b = run_ensemble(sc, replications=2, seed=2, workers=1)
    assert not np.array_equal(a.values, b.values)
    assert not np.array_equal(a.values[0], a.values[1])


def test_replication_streams_are_fixed_by_seed_and_index_only():
    x = replication_streams(5, 3)["growth"].random(4)
    y = replication_streams(5, 3)["growth"].random(4)
    z = replication_streams(5, 4)["growth"].random(4)
    w = replication_streams(5, 3)["exit"].random(4)
    assert np.array_equal(x, y) and not np.array_equal(x, z) and not np.array_equal(x, w)


def test_model_rerun_is_identical():
    sc = short()
    a = EcosystemModel(sc, replication=2).run().indicator_table()
    b = EcosystemModel(sc, replication=2).run().indicator_table()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_more_platforms_of_one_level_leave_the_others_alone():
    """Each platform's build time and sector are keyed by its level and serial number: adding municipal
    platforms must not move the joint labs (a shared stream in arrival order used to). The platform grants are
    ample in both runs: with a binding budget more municipal platforms would rightly leave less for a lab."""
    doc = plan_doc()
    doc["scenario"]["end"] = "2025-12"
    base = with_levers(make_scenario(doc), {"budget.platform_grant": 100_000.0})
    more = with_levers(base, {"municipal_platforms_per_year": base.levers.municipal_platforms_per_year + 4})

    def built(scenario, level):
        m = EcosystemModel(scenario, replication=3).run()
        return [(p.sector, p.ready) for p in m.platforms if p.new and p.level == level]

    assert len(built(more, "municipal")) > len(built(base, "municipal"))
    labs = built(base, "joint_lab")
    assert labs and built(more, "joint_lab") == labs


def test_a_fractional_yearly_count_delivers_its_total_over_the_plan():
    """A yearly 0.33 or 1.33 platforms over a three-year plan gives 1 and 4, each in the middle of its share of the
    horizon, not floor(0.99) = 0 and floor(3.99) = 3 in its last months (with money for all of them)."""
    sc = with_levers(make_scenario(plan_doc()), {"pilot_bases_per_year": 0.33, "joint_labs_per_year": 1.33,
                                                 "budget.platform_grant": 100_000.0})
    m = EcosystemModel(sc, replication=0)
    g = m.government
    for _ in range(m.months // 2 + 1):  # the pilot base falls in the middle of the plan, not at its end
        m.step()
    assert g.platforms_built["pilot_base"] == 1
    for _ in range(m.months - m.month):
        m.step()
    assert (g.platforms_built["pilot_base"], g.platforms_built["joint_lab"]) == (1, 4)
    assert sum(g.platforms_waiting.values()) == 0
