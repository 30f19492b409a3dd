"""Each certification rule, tested on hand-made firms."""

from __future__ import annotations

import numpy as np
import pytest

from model import certification as cert
from model.firms import FirmTable
from model.parameters import resolve
from model.sectors import index

ALWAYS = resolve({"high_tech_apply_prob": 1.0, "high_tech_approval_prob": 1.0, "recert_apply_prob": 1.0,
                  "recert_approval_prob": 1.0, "zjtx_apply_prob_before_2022": 1.0, "zjtx_approval_prob": 1.0,
                  "pool_apply_uplift": 0.0})


def table(**cols) -> FirmTable:
    """Firms that meet every high-tech rule unless a column says otherwise."""
    n = len(next(iter(cols.values())))
    base = {
        "sector": np.full(n, index("digital_economy"), np.int8),
        "age": np.full(n, 36, np.int32),
        "revenue": np.full(n, 3000.0),
        "labour": np.full(n, 1 / 50.0),
        "rd_ratio": np.full(n, 0.06),
        "rd_ratio_avg": np.full(n, 0.06),
        "rd_base": np.full(n, 0.06),
        "staff_share": np.full(n, 0.2),
        "staff_eff": np.full(n, 0.2),
        "capability": np.ones(n),
        "ip": np.ones(n, bool),
    }
    base.update({k: np.asarray(v) for k, v in cols.items()})
    f = FirmTable(8)
    f.append(base)
    return f


@pytest.mark.parametrize(("revenue", "ratio", "ok"), [
    (4999.0, 0.0501, True), (4999.0, 0.0499, False),      # up to 5000万: 5%
    (5001.0, 0.0401, True), (5001.0, 0.0399, False),      # 5000万-2亿: 4%
    (20001.0, 0.0301, True), (20001.0, 0.0299, False),    # above 2亿: 3%
])
def test_high_tech_rd_threshold_by_size_band(revenue, ratio, ok):
    f = table(revenue=[revenue], rd_ratio_avg=[ratio])
    assert bool(cert.high_tech_eligible(f)[0]) is ok


def test_high_tech_needs_staff_ip_and_a_year():
    f = table(staff_eff=[0.2, 0.099, 0.2, 0.2], ip=[True, True, False, True], age=[36, 36, 36, 11])
    assert cert.high_tech_eligible(f).tolist() == [True, False, False, False]


def test_the_unspelled_rules_are_passed_more_often_by_larger_firms():
    """A score below fit_share x R / (R + high_tech_fit_size): at the same score a larger firm passes."""
    p = resolve({"high_tech_fit_size": 200.0})
    f = table(revenue=[100.0, 3000.0, 3000.0], rd_ratio_avg=[0.2, 0.2, 0.2], ht_score=[0.5, 0.5, 0.95])
    assert cert.high_tech_eligible(f, 2016, p, fit_share=1.0).tolist() == [False, True, False]
    assert cert.high_tech_eligible(f, 2016, p, fit_share=None).tolist() == [True, True, True]  # the spin-up


def test_the_rules_before_2016_were_stricter():
    """国科发火〔2008〕172号: 6% for the smallest band and a stricter staff rule (old_staff_threshold)."""
    p = resolve({"old_staff_threshold": 0.15})
    f = table(revenue=[3000.0, 3000.0, 3000.0], rd_ratio_avg=[0.055, 0.065, 0.065], staff_eff=[0.2, 0.2, 0.12])
    assert cert.high_tech_eligible(f, 2016, p).tolist() == [True, True, True]
    assert cert.high_tech_eligible(f, 2015, p).tolist() == [False, True, False]
    assert cert.high_tech_rd_threshold(np.array([3000.0, 8000.0]), 2015).tolist() == [0.06, 0.04]


def test_staff_rule_uses_the_filled_share_not_the_wish():
    f = table(staff_share=[0.2], staff_eff=[0.08])
    assert not cert.high_tech_eligible(f)[0]


def test_certificate_lasts_three_years_then_needs_renewal():
    rng = np.random.default_rng(0)
    f = table(revenue=[3000.0, 3000.0])
    out = cert.high_tech_round(f, rng, month=10, p=ALWAYS)
    assert [len(out[k]) for k in ("first", "again", "renewed")] == [2, 0, 0]
    assert f.ht_until.tolist() == [46, 46]
    assert cert.high_tech_valid(f, 45).all() and not cert.high_tech_valid(f, 46).any()
    # Firm 1 no longer meets the R&D rule when its renewal round comes: it loses the certificate.
    f.rd_ratio_avg[1] = 0.01
    out = cert.high_tech_round(f, rng, month=46, p=ALWAYS)
    assert out["renewed"].tolist() == [0]
    assert f.ht_until.tolist() == [82, 46]
    assert cert.high_tech_valid(f, 50).tolist() == [True, False]


def test_certified_firm_does_not_reapply_mid_validity():
    rng = np.random.default_rng(0)
    f = table(revenue=[3000.0], ht_until=[40], ht_ever=[True])
    out = cert.high_tech_round(f, rng, month=10, p=ALWAYS)
    assert sum(len(v) for v in out.values()) == 0 and f.ht_until[0] == 40


def test_approval_step_rejects_some():
    rng = np.random.default_rng(1)
    f = table(revenue=np.full(4000, 3000.0))
    p = dict(ALWAYS, high_tech_approval_prob=0.7)
    out = cert.high_tech_round(f, rng, month=10, p=p)
    assert 0.67 < len(out["first"]) / 4000 < 0.73


def test_specialized_sme_rules():
    month = 8
    f = table(
        revenue=[1500.0, 900.0, 900.0, 1500.0, 1500.0, 50000.0, 1500.0],
        rd_ratio_avg=[0.08, 0.08, 0.15, 0.02, 0.08, 0.05, 0.08],
        equity_until=[-1, -1, 20, -1, -1, -1, -1],
        age=[36, 36, 36, 36, 12, 36, 36],
        ip=[True, True, True, True, True, True, False],
    )
    # ok; revenue under 1000万 without equity; under 1000万 with equity and R&D >= 100万; R&D < 3%;
    # under two years; too large for an SME; no IP
    assert cert.zjtx_eligible(f, month).tolist() == [True, False, True, False, False, False, False]
    out = cert.zjtx_round(f, np.random.default_rng(0), month, ALWAYS, batches=1)
    assert len(out["new"]) == 2 and len(out["renewed"]) == 0
    assert f.zjtx_until[0] == month + 36


def test_the_young_programmes_bar_widens_until_the_2022_rules():
    """Before June 2022 the share of rule-meeting firms passing the points test grows by the widening a year from
    the baseline's bar; the 2022 rules fix it; a bar reaching 1 lets every firm pass (None)."""
    p = {"zjtx_widening_before_2022": 0.25}
    since = 2014 * 12 + 11
    assert cert.zjtx_bar(0.2, since, since, p) == pytest.approx(0.2)
    assert cert.zjtx_bar(0.2, since, since + 12, p) == pytest.approx(0.25)
    assert cert.zjtx_bar(0.2, since, since + 24, p) == pytest.approx(0.3125)
    fixed = cert.zjtx_bar(0.2, since, cert.ZJTX_RULES_2022, p)
    assert cert.zjtx_bar(0.2, since, cert.ZJTX_RULES_2022 + 30, p) == fixed
    assert cert.zjtx_bar(0.9, since, since + 12, p) is None
    assert cert.zjtx_bar(0.2, since, since + 12, {"zjtx_widening_before_2022": 0.0}) == pytest.approx(0.2)


def test_each_rule_change_steps_the_take_up_from_the_one_before():
    """The June 2022 rules and the June 2023 package each multiply the take-up before them; a take-up is a share,
    so it stops at 1."""
    p = {"zjtx_apply_prob_before_2022": 0.2, "zjtx_take_up_step_2022": 1.5, "zjtx_take_up_step_2023": 2.0}
    assert cert.zjtx_take_up(cert.ZJTX_RULES_2022 - 1, p) == pytest.approx(0.2)
    assert cert.zjtx_take_up(cert.ZJTX_RULES_2022, p) == pytest.approx(0.3)
    assert cert.zjtx_take_up(cert.ZJTX_PACKAGE_2023 - 1, p) == pytest.approx(0.3)
    assert cert.zjtx_take_up(cert.ZJTX_PACKAGE_2023, p) == pytest.approx(0.6)
    assert cert.zjtx_take_up(cert.ZJTX_PACKAGE_2023, {**p, "zjtx_apply_prob_before_2022": 0.5}) == 1.0


def test_specialized_sme_needs_100wan_of_rd():
    f = table(revenue=[1500.0, 1500.0], rd_ratio_avg=[0.06, 0.065])  # 90万 vs 97.5万
    f.rd_ratio_avg[1] = 0.07  # 105万
    assert cert.zjtx_eligible(f, 0).tolist() == [False, True]


def test_above_scale_thresholds_depend_on_industry_and_count_once():
    manu, digital, culture = index("advanced_manufacturing"), index("digital_economy"), index("culture_tourism")
    f = table(sector=np.array([manu, manu, digital, culture], np.int8),
              revenue_year=[1500.0, 2500.0, 1500.0, 600.0], ht_until=[99, 99, 99, 99])
    small, strong = cert.scale_review(f, month=11)
    # industry needs 2000万, software and IT services 1000万, culture 500万
    assert f.above_scale.tolist() == [False, True, True, True]
    assert (small, strong) == (3, 0)
    f.revenue_year[1] = 12000.0  # crosses 1亿: 规升强
    f.revenue_year[2] = 900.0    # drops out of 规上 ...
    assert cert.scale_review(f, month=23) == (0, 1)
    f.revenue_year[2] = 1500.0   # ... and comes back: not a second 小升规
    assert cert.scale_review(f, month=35) == (0, 0)


def test_the_scale_review_reads_the_years_revenue_not_decembers_rate():
    # a firm that ends the year at a rate above 1000万 but took in 900万 over it is not above scale; one that
    # took in 1100万 and ends below the rate is
    f = table(revenue=[1300.0, 950.0], revenue_year=[900.0, 1100.0], ht_until=[99, 99])
    assert cert.scale_review(f, month=11) == (1, 0)
    assert f.above_scale.tolist() == [False, True]


def test_upgrades_only_count_firms_in_the_cultivation_system():
    f = table(revenue_year=[1500.0, 1500.0], ht_until=[99, -1])
    assert cert.scale_review(f, month=11) == (1, 0)
    assert f.above_scale.all()


def test_listing_pool_takes_largest_certified_firms():
    f = table(revenue=[6000.0, 9000.0, 30000.0, 4000.0, 8000.0], ht_until=[99, 99, 99, 99, -1])
    assert cert.fill_listing_pool(f, month=0, size=2) == 2
    assert f.listing_pool.tolist() == [False, True, True, False, False]
    # with a certain listing rate every pool firm lists and leaves the pool
    n = cert.listings(f, np.random.default_rng(0), 0, dict(ALWAYS, listing_rate_pool=1e6, listing_rate_outside=0.0))
    assert n == 2 and f.listed.tolist() == [False, True, True, False, False] and not f.listing_pool.any()


def test_high_tech_takes_a_firm_registered_exactly_one_year():
    """国科发火〔2016〕32号 asks for registration of at least one year: a firm of 12 months qualifies, one of 11 does
    not (ages are in months)."""
    f = table(age=[12, 11])
    assert cert.high_tech_eligible(f).tolist() == [True, False]


def test_the_2016_staff_rule_is_ten_percent_of_employees():
    """Under the 2016 rules S&T staff must be at least 10% of employees: 10% passes, 9.99% fails, with or without the
    replication's parameters (staff_threshold reads the rule of the year when they are given)."""
    p = resolve({"old_staff_threshold": 0.15})
    f = table(staff_eff=[0.10, 0.0999, 0.095])
    assert cert.staff_threshold(2016, p) == 0.10
    assert cert.high_tech_eligible(f, 2016, p).tolist() == [True, False, False]
    assert cert.high_tech_eligible(f).tolist() == [True, False, False]


def test_a_certificate_renews_in_the_last_round_before_it_ends_and_not_a_year_early():
    """A certificate ending within the coming year (before the next round) renews in this round; one ending at the
    next round renews in that one, without a lapse, not now (which would add three years a year early)."""
    month = 10
    f = table(revenue=[3000.0, 3000.0], ht_until=[month + 11, month + 12], ht_ever=[True, True])
    out = cert.high_tech_round(f, np.random.default_rng(0), month, ALWAYS)
    assert out["renewed"].tolist() == [0] and len(out["first"]) == len(out["again"]) == 0
    assert f.ht_until.tolist() == [month + 47, month + 12]
    out = cert.high_tech_round(f, np.random.default_rng(0), month + 12, ALWAYS)
    assert out["renewed"].tolist() == [1] and f.ht_until.tolist() == [month + 47, month + 48]


def test_specialized_sme_needs_an_rd_share_of_three_percent():
    """工信部企业〔2022〕63号: last year's R&D at least 3% of revenue. At 5000万 of revenue the 100万 rule holds either
    way, so 3.01% passes and 2.99% fails on the share alone; a firm without R&D fails."""
    f = table(revenue=[5000.0, 5000.0, 5000.0], rd_ratio_avg=[0.0301, 0.0299, 0.0])
    assert cert.zjtx_eligible(f, 0).tolist() == [True, False, False]


def test_specialized_sme_needs_1000wan_of_revenue_or_equity():
    """Revenue of at least 1000万 (the model's revenue is in 万元), or guidance-fund equity: at 20% R&D the R&D rules
    hold, so 999万 without equity fails, 999万 with a ticket deployed passes, 1000万 passes."""
    f = table(revenue=[1000.0, 999.0, 999.0, 150.0], rd_ratio_avg=[0.2, 0.2, 0.2, 0.8], equity_until=[-1, -1, 20, -1])
    assert cert.zjtx_eligible(f, 8).tolist() == [True, False, True, False]


def test_specialized_sme_needs_two_years_in_its_niche():
    """At least two years: 24 months pass, 23 do not."""
    f = table(age=[24, 23])
    assert cert.zjtx_eligible(f, 0).tolist() == [True, False]


def test_an_sme_is_under_1000_employees_or_under_4yi_of_revenue():
    """工信部联企业〔2011〕300号's industrial ceiling, '1000人以下或营业收入40000万元以下': either test
    suffices, so a firm of 1200 staff and 3亿 (or 39999万) is an SME, as is one of 500 staff and 5亿; one of 1000
    staff and 4亿 or more is not."""
    revenue = np.array([30000.0, 39999.0, 50000.0, 50000.0, 40000.0])
    staff = np.array([1200.0, 1200.0, 500.0, 1000.0, 1000.0])
    f = table(revenue=revenue, labour=staff / revenue, rd_ratio_avg=np.full(5, 0.05))
    assert f.employees().tolist() == staff.tolist()
    expected = [True, True, True, False, False]
    assert cert.is_sme(f).tolist() == expected
    assert cert.zjtx_eligible(f, 0).tolist() == expected


def test_a_guidance_fund_ticket_counts_while_it_is_deployed():
    """A ticket deployed until month m (funds.py sets equity_until = month + 24 and reads it as `> month`) counts at
    months before m and no longer at m, for a firm under 1000万 of revenue."""
    month = 30
    f = table(revenue=[900.0, 900.0], rd_ratio_avg=[0.2, 0.2], equity_until=[month + 1, month])
    assert cert.zjtx_eligible(f, month).tolist() == [True, False]
