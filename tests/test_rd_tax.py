"""The R&D super-deduction (model/rd_tax.py): its dated steps, the price arithmetic, and that a run's firms
raise their R&D after the steps and not before."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ROOT

from model import load_scenario, rd_tax
from model.sectors import index
from model.sim import EcosystemModel

MANUFACTURING, DIGITAL = index("advanced_manufacturing"), index("digital_economy")
P = {"rd_user_cost_elasticity": 0.397, "rd_deduction_take_up_size": 1e-9}  # every firm claims


@pytest.mark.parametrize(("year", "month", "revenue", "sector", "expected"), [
    (2016, 12, 100.0, DIGITAL, 0.5),
    (2017, 1, 100.0, DIGITAL, 0.75),        # a technology-based SME (财税〔2017〕34号)
    (2017, 6, 30000.0, DIGITAL, 0.5),       # above 2亿: not yet
    (2018, 1, 30000.0, DIGITAL, 0.75),      # 财税〔2018〕99号
    (2020, 1, 30000.0, MANUFACTURING, 0.75),  # 75% for every firm through 2020: manufacturing waits for 2021
    (2020, 12, 30000.0, MANUFACTURING, 0.75),
    (2020, 12, 100.0, DIGITAL, 0.75),
    (2021, 1, 30000.0, MANUFACTURING, 1.0),  # 2021年第13号
    (2021, 1, 30000.0, DIGITAL, 0.75),
    (2021, 6, 100.0, DIGITAL, 0.75),        # tech SMEs wait for 2022
    (2022, 3, 20000.0, DIGITAL, 1.0),       # 2亿 is still an SME
    (2022, 3, 20001.0, DIGITAL, 0.75),
    (2022, 3, 30000.0, MANUFACTURING, 1.0),
    (2022, 1, 100.0, DIGITAL, 1.0),         # 2022年第16号
    (2022, 9, 30000.0, DIGITAL, 0.75),
    (2022, 10, 30000.0, DIGITAL, 1.0),      # 2022年第28号
    (2030, 1, 30000.0, DIGITAL, 1.0),       # 2023年第7号, no end date
])
def test_the_deduction_follows_the_notices(year, month, revenue, sector, expected):
    d = rd_tax.deduction(year, month, np.array([revenue]), np.array([sector], dtype=np.int8))
    assert float(np.asarray(d).ravel()[0]) == expected


def test_the_rise_is_the_user_cost_elasticity_on_the_price_of_rd():
    revenue, sector = np.array([30000.0, 30000.0]), np.array([DIGITAL, DIGITAL], dtype=np.int8)
    high_tech = np.array([False, True])
    assert rd_tax.uplift(revenue, sector, high_tech, 2016, 6, P) == 0.0
    after = rd_tax.uplift(revenue, sector, high_tech, 2019, 6, P)
    # a yuan of R&D costs 1 - t(1 + d): 0.625 -> 0.5625 at 25%, 0.775 -> 0.7375 at 15%
    assert after == pytest.approx([(0.5625 / 0.625) ** -0.397 - 1, (0.7375 / 0.775) ** -0.397 - 1])
    assert after[0] == pytest.approx(0.0427, abs=5e-4) and after[1] == pytest.approx(0.0199, abs=5e-4)
    full = rd_tax.uplift(revenue, sector, high_tech, 2023, 6, P)
    assert full == pytest.approx([(0.5 / 0.625) ** -0.397 - 1, (0.7 / 0.775) ** -0.397 - 1])


def test_firms_outside_a_steps_group_keep_the_rate_before_it():
    """In 2017 only technology-based SMEs (revenue up to 2亿) had 75%, the others 50% and so no rise; in 2021
    manufacturing had 100%, the others 75%: each firm's rise is the one of its own group's rate, at either tax rate."""
    e = P["rd_user_cost_elasticity"]
    revenue = np.array([100.0, 100.0, 30000.0, 30000.0])
    high_tech = np.array([False, True, False, True])
    digital = np.full(4, DIGITAL, dtype=np.int8)
    rise = rd_tax.uplift(revenue, digital, high_tech, 2017, 6, P)
    sme = [rd_tax.gain(0.75, rd_tax.STANDARD_RATE, e), rd_tax.gain(0.75, rd_tax.HIGH_TECH_RATE, e)]
    assert rise == pytest.approx([*sme, 0.0, 0.0])
    sector = np.array([MANUFACTURING, MANUFACTURING, DIGITAL, DIGITAL], dtype=np.int8)
    rise = rd_tax.uplift(np.full(4, 30000.0), sector, high_tech, 2021, 6, P)
    assert rise == pytest.approx([rd_tax.gain(d, t, e) for d, t in [(1.0, 0.25), (1.0, 0.15), (0.75, 0.25),
                                                                     (0.75, 0.15)]])
    assert rise[2] < rise[0] and rise[3] < rise[1]


def test_small_firms_claim_less_of_it():
    """PE16: without taxable profit the deduction is worth nothing, and claims rise with size."""
    p = {"rd_user_cost_elasticity": 0.397, "rd_deduction_take_up_size": 2000.0}
    revenue = np.array([20.0, 2000.0, 200000.0])
    rise = rd_tax.uplift(revenue, np.zeros(3, dtype=np.int8), np.zeros(3, dtype=bool), 2023, 1, p)
    at_full = (0.5 / 0.625) ** -0.397 - 1
    assert rise == pytest.approx(at_full * revenue / (revenue + 2000.0))


def test_excluded_industries_gain_nothing():
    """Business services are excluded (财税〔2015〕119号) and seed breeding pays no income tax (art. 86)."""
    sectors = np.array([index("business_services"), index("seed_industry"), DIGITAL], dtype=np.int8)
    rise = rd_tax.uplift(np.full(3, 30000.0), sectors, np.zeros(3, dtype=bool), 2023, 1, P)
    assert rise[0] == rise[1] == 0.0 and rise[2] > 0.09


def test_the_tax_and_the_programmes_raise_rd_together(plan):
    """In the plan's first month (2024, deduction 100%) a firm with guidance-fund equity gets both rises."""
    m = EcosystemModel(plan, replication=0)
    f = m.firms
    f.equity_until[:] = -1
    funded = np.flatnonzero(f.alive & (f.sector == DIGITAL) & (f.ht_until <= m.month))[:5]
    f.equity_until[funded] = m.month + 12
    tax = rd_tax.uplift(f.revenue, f.sector, f.ht_until > m.month, m.calendar_year, m.calendar_month, m.p)
    both = m._rd_uplift(f)
    assert both[funded] == pytest.approx((1 + m.p["equity_rd_uplift"]) * (1 + tax[funded]) - 1)
    others = np.setdiff1d(np.flatnonzero(f.alive), funded)
    assert both[others] == pytest.approx(tax[others])
    assert (tax[funded] > 0).all()


def _firm_rd(elasticity: float, months: int) -> list[float]:
    sc = load_scenario(ROOT / "scenarios" / "bda-2016-2020.toml")
    sc = sc.model_copy(update={"parameters": {**sc.parameters, "rd_user_cost_elasticity": elasticity}})
    m = EcosystemModel(sc, replication=1)
    spent = []
    for _ in range(months):
        m.step()
        f = m.firms
        spent.append(float((f.rd_ratio * f.revenue)[f.alive].sum()))
    return spent


def test_firms_raise_their_rd_after_the_steps_and_not_before():
    """E-Town from 2016: nothing moves in 2016 (the spin-up, from 2012, saw only the 50% rule); by the end of
    2018 firms spend more on R&D, by less than the largest rise any firm can have under 75% (4.3%)."""
    months = 36
    with_tax, without = _firm_rd(0.397, months), _firm_rd(0.0, months)
    assert with_tax[:12] == without[:12]
    rise = with_tax[-1] / without[-1] - 1.0
    assert 0.002 < rise < 0.043


def test_the_elasticity_is_drawn_per_replication_after_the_lever_effects():
    from model.lever_registry import effect_parameters
    from model.parameters import DEFAULTS, PARAMETERS, ParameterSource, draw_effect

    draws = [ParameterSource("effects").draw(np.random.default_rng(s)) for s in range(300)]
    e = np.array([d["rd_user_cost_elasticity"] for d in draws])
    lo, hi = PARAMETERS["rd_user_cost_elasticity"].range
    assert lo <= e.min() and e.max() <= hi and e.std() > 0.03
    assert abs(np.median(e) - 0.375) < 0.02  # triangular (0.21, 0.397, 0.50): median 0.375
    for s, d in enumerate(draws[:5]):  # drawn last, so no lever effect's draw moved
        rng = np.random.default_rng(s)
        names = effect_parameters()
        assert {n: d[n] for n in names} == {n: draw_effect(PARAMETERS[n], rng) for n in names}
    assert "rd_user_cost_elasticity" not in DEFAULTS.draw(np.random.default_rng(0))
