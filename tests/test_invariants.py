"""Model invariants under random valid scenarios (property-based), with the model's debug checks on.

`EcosystemModel(debug=True)` checks every month (sim.EcosystemModel.check_invariants, and the plausibility
laws of model/laws.py, which test_laws.py covers):
- no negative or NaN count or amount of money;
- certified high-tech firms never exceed living firms;
- firms at month t+1 = firms at t + entries - exits;
- no channel spends more than its annual budget, and budget = disbursed + unspent + what is open;
- talents placed + waiting = talents arrived (so placed never exceeds what arrived);
- no high-tech certificate runs more than 36 months ahead, so none is counted more than three years
  after its grant or renewal.
Hypothesis draws the district's size, the horizon, every lever within the plan's declared [ranges],
the adaptive rule and the seed; each drawn scenario runs with the checks on. The second half shows
that each check fires when its law is broken.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import indicators
from model.levers import declared_ranges, with_levers
from model.sim import EcosystemModel, InvariantError

sys.path.insert(0, str(ROOT / "benchmarks"))
from scaling import scaled_plan

RANGES = declared_ranges(scaled_plan(1_000))
TONGZHOU_FIRMS = 26_000  # the middle of the profile's tech-firm range, the size the plan's ranges are for
SHARES = ("scenarios_for_attracted_share", "services_index")  # not quantities that grow with a district
CUMULATIVE = ("to_above_scale_cum", "above_scale_to_strong_cum", "entries_cum", "exits_cum", "talents_placed_cum",
              "scenarios_published_cum", "budget_disbursed_cum", "budget_unspent_cum", "social_capital_cum")


@st.composite
def scenarios(draw):
    firms = draw(st.integers(400, 3_000))
    months = draw(st.integers(1, 36))
    # every lever anywhere in its declared range, ends included (levers are real numbers: 2.5 incubators a year),
    # the range scaled to the district's size as its baseline is: a 400-firm district attracting Tongzhou's 100
    # firms a year would be a different world, not the same plan (GDP, exogenous, would not follow)
    size = firms / TONGZHOU_FIRMS
    levers = {name: draw(st.floats(lo, hi, allow_nan=False)) * (1.0 if name in SHARES else size)
              for name, (lo, hi) in RANGES.items()}
    scenario = with_levers(scaled_plan(firms, months), levers)
    adaptive = draw(st.booleans())
    update = {"adaptive": adaptive, "adaptive_shift": draw(st.floats(0.0, 0.5))} if adaptive else {}
    if update:
        scenario = scenario.model_copy(update={"levers": scenario.levers.model_copy(update=update)})
    return scenario, draw(st.integers(0, 2**31 - 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants_hold_under_random_valid_scenarios(case):
    scenario, seed = case
    model = EcosystemModel(scenario, replication=0, seed=seed, debug=True).run()  # raises InvariantError
    table = model.indicator_table()
    for name in CUMULATIVE:
        assert np.all(np.diff(table[name]) >= -1e-6), f"{name} decreased"
    assert np.all(table["high_tech"] <= table["living_firms"])
    assert model.fund.disbursed <= model.fund.budgeted + 1e-6


# ---------------------------------------------------------------- each check can fire
@pytest.fixture
def running():
    model = EcosystemModel(scaled_plan(800, 14), replication=0, debug=True)
    for _ in range(13):
        model.step()
    return model


def test_the_firm_count_check_fires_on_an_uncounted_exit(running):
    running.firms.alive[np.flatnonzero(running.firms.alive)[0]] = False  # gone, but not in exits_cum
    running.snapshot = indicators.compute(running)
    with pytest.raises(InvariantError, match="firms"):
        running.check_invariants()


def test_the_budget_check_fires_on_overspending(running):
    ledger = running.fund.ledgers["rent_subsidy"]
    ledger.spent_this_year = ledger.annual + 1.0
    with pytest.raises(InvariantError, match="above the annual"):
        running.check_invariants()


def test_the_ledger_check_fires_when_money_goes_missing(running):
    running.fund.ledgers["talent_grant"].disbursed += 10.0  # paid out without being spent from a budget
    with pytest.raises(InvariantError, match="budget"):
        running.check_invariants()


def test_the_talent_check_fires_on_a_placement_out_of_nowhere(running):
    running.talent.placed += 1
    with pytest.raises(InvariantError, match="talents"):
        running.check_invariants()


def test_the_certificate_check_fires_on_a_certificate_beyond_three_years(running):
    firm = np.flatnonzero(running.firms.alive)[0]
    running.firms.ht_until[firm] = running.month + 37
    with pytest.raises(InvariantError, match="three years"):
        running.check_invariants()


def test_the_sign_check_fires_on_a_negative_count(running):
    running.snapshot["listed"] = -1
    with pytest.raises(InvariantError, match="negative"):
        running.check_invariants()


def test_firms_moved_onto_the_zjtx_rules_keep_the_revenue_tail():
    """Hypothesis found it (2026-12-06): a 1,360-firm plan with every lever at 0, seed 4967, whose spun-up pool of
    firms meeting the 专精特新 rules fell short, so the settle moved firms onto them; their revenues, drawn uniformly
    from 1000-3000万, filled the top 5% and the start broke the revenue_tail law (Hill index 2.72). Drawn from the
    profile's Pareto tail up to the SME ceiling, the start keeps the law (1.50)."""
    from model import laws

    sc = scaled_plan(1360, 1)
    sc = with_levers(sc, {name: 0.0 for name in declared_ranges(sc)})
    model = EcosystemModel(sc, replication=0, seed=4967)
    assert model.shortfall["specialized_sme"] > 0  # the case: firms were moved onto the rules
    assert laws._tail(model) is None


def test_the_sme_tail_draw_stays_between_1000_wan_and_the_sme_ceiling():
    from model.population import sme_tail_revenue

    r = sme_tail_revenue(np.random.default_rng(1), 100_000, 1.1)
    assert r.min() >= 1000.0 and r.max() < 40000.0
    truncated_median = 1000.0 * (1.0 - 0.5 * (1.0 - (1000.0 / 40000.0) ** 1.1)) ** (-1.0 / 1.1)  # 1,849万
    assert abs(np.median(r) / truncated_median - 1.0) < 0.02
