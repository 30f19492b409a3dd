"""The special fund never spends more than its annual budget, and every yuan is accounted for."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_scenario, plan_doc

from model.funds import CHANNELS, Ledger, top_k
from model.sim import EcosystemModel


def test_ledger_buys_only_whole_affordable_units():
    ledger = Ledger(annual=0.0)
    ledger.open_year(1000.0)
    assert ledger.buy(3, 300.0) == 3
    assert ledger.buy(3, 300.0) == 0  # 100 left: not enough for one more
    assert ledger.spent_this_year == 900.0 and ledger.remaining == 100.0
    assert ledger.spend(250.0) == 100.0  # a claim above what is left is cut to what is left
    ledger.close_year()
    assert ledger.unspent == 0.0 and ledger.disbursed == 1000.0


def test_unspent_money_is_booked_at_year_end():
    ledger = Ledger(annual=0.0)
    ledger.open_year(500.0)
    ledger.spend(120.0)
    ledger.close_year()
    ledger.open_year(500.0)
    assert ledger.unspent == 380.0 and ledger.remaining == 500.0 and ledger.budgeted == 1000.0


def test_top_k_picks_the_highest_scores_within_the_mask():
    score = np.array([5.0, 9.0, 1.0, 7.0, 8.0])
    mask = np.array([True, False, True, True, True])
    assert sorted(top_k(score, mask, 2).tolist()) == [3, 4]
    assert top_k(score, mask, 0).size == 0


@pytest.fixture(scope="module")
def plan_run():
    return EcosystemModel(make_scenario(), replication=3, debug=True).run()


def test_budget_conservation_over_the_plan(plan_run):
    fund = plan_run.fund
    years = 3
    for c in CHANNELS:
        ledger = fund.ledgers[c]
        assert ledger.budgeted == pytest.approx(years * fund.plan[c])
        assert ledger.disbursed + ledger.unspent == pytest.approx(ledger.budgeted)
        assert ledger.disbursed <= ledger.budgeted + 1e-6
    # money really moves: most of the plan's 6.0亿/year is used
    total = fund.budgeted
    assert 0.5 * total < fund.disbursed < total


def test_zero_budget_disburses_nothing_and_funds_no_platform():
    doc = plan_doc()
    doc["levers"]["budget"] = {}
    doc["scenario"]["end"] = "2025-12"
    m = EcosystemModel(make_scenario(doc), replication=0, debug=True).run()
    assert m.fund.disbursed == 0.0
    assert m.talent.teams_funded == 0 and m.talent.young_funded == 0
    assert not any(p.new and p.ready > 30 for p in m.platforms)  # only the pipeline lands
    assert sum(m.government.platforms_waiting.values()) > 0  # decided but unfunded
