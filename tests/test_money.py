"""Money that is accounted for: each channel's ledger (budgeted, paid, unspent) reaches the summary and the report,
and a budget that leaves money unspent says so in the headline rather than silently."""

from __future__ import annotations

import re

import pytest
from conftest import PLAN

from model import load_scenario, run_ensemble, with_levers
from model.lever_registry import CHANNELS, LEVERS
from model.output.phrases import say
from model.output.report import console_table, headline, markdown, money_sentence
from model.output.results import build_summary

YEARS = 3  # the plan runs 2024-2026


@pytest.fixture(scope="module")
def plan():
    sc = load_scenario(PLAN)
    return sc, build_summary(run_entries(sc), 0.0, str(PLAN))


def run_entries(sc):
    return run_ensemble(sc, replications=2, workers=1)


def test_every_channel_has_a_ledger_that_adds_up(plan):
    sc, summary = plan
    money = summary["money"]
    assert set(money) == {*CHANNELS, "total"}
    budget = sc.levers.budget.model_dump()
    for c in CHANNELS:
        v = money[c]
        assert v["budgeted"]["p50"] == pytest.approx(YEARS * budget[c], rel=1e-9)  # no adaptive shift in the plan
        assert 0.0 <= v["paid"]["p10"] <= v["paid"]["p90"] <= v["budgeted"]["p50"] * (1 + 1e-12)
        assert 0.0 <= v["unspent_share"]["p50"] <= 1.0
    assert money["total"]["budgeted"]["p50"] == pytest.approx(YEARS * sc.levers.budget.total(), rel=1e-9)


def test_money_left_unspent_leads_the_headline(plan):
    sc, summary = plan
    share = summary["money"]["total"]["unspent_share"]["p50"]
    text, zh = headline(summary, "en"), headline(summary, "zh")
    if share >= 0.10:
        assert text.startswith("The plan's money does not bind") and zh.startswith("方案的资金并不构成约束")
    else:
        assert "The budget binds" in text and "预算是约束" in zh
    assert "## Money by channel" in markdown(summary, sc, "en") and "## 各渠道资金" in markdown(summary, sc, "zh")


def test_a_reward_budget_smaller_than_the_claims_is_spent():
    sc = load_scenario(PLAN)
    small = with_levers(sc, {"budget.rd_growth_reward": 1000.0})  # 1000万 a year against ~1亿 of claims
    summary = build_summary(run_entries(small), 0.0, None)
    reward = summary["money"]["rd_growth_reward"]
    assert reward["unspent_share"]["p90"] < 0.01 and reward["paid"]["p50"] == pytest.approx(YEARS * 1000.0)


def ledger(budgeted: float, paid: float) -> dict:
    def q(v: float) -> dict:
        return {"p10": v, "p50": v, "p90": v}
    return {"budgeted": q(budgeted), "paid": q(paid), "unspent_share": q(1.0 - paid / budgeted)}


def test_the_sentence_says_whether_the_budget_binds():
    binds = {"money": {"rd_growth_reward": ledger(100.0, 70.0), "platform_grant": ledger(900.0, 900.0),
                       "total": ledger(1000.0, 970.0)}, "targets": []}
    assert money_sentence(binds, "en") == ("The budget binds: 97% of its 0.1亿元 over the horizon is paid out (P50), "
                                     "though R&D-growth rewards 30% unspent.")
    idle = {"money": {"rd_growth_reward": ledger(600.0, 250.0), "total": ledger(1000.0, 650.0)}, "targets": []}
    assert money_sentence(idle, "en").startswith("The plan's money does not bind: 35% of its 0.1亿元 over the horizon")


def test_platforms_left_waiting_for_money_are_named_beside_the_unspent_share():
    """Unspent platform money and platforms still due can go together (a year's money does not roll over): the
    sentence says so, and says nothing when no platform waits."""
    money = {"platform_grant": ledger(1000.0, 800.0), "total": ledger(1000.0, 800.0)}
    waiting = {"money": money, "targets": [], "indicators": {"platforms_awaiting_grant": {"p10": 1.0, "p50": 3.0,
                                                                                        "p90": 4.0}}}
    assert money_sentence(waiting, "en").endswith(
        "3 platforms due under the platform levers are still waiting for a grant at the end of the horizon (P50; "
        "P10-P90 1-4): each cost more than the platform grants had left in its year (money does not roll over), so "
        "unspent platform money and missing platforms go together.")
    one = {"money": {"platform_grant": ledger(1000.0, 1000.0), "total": ledger(1000.0, 1000.0)}, "targets": [],
           "indicators": {"platforms_awaiting_grant": {"p10": 1.0, "p50": 1.0, "p90": 1.0}}}
    assert money_sentence(one, "en").endswith(
        "1 platform due under the platform levers is still waiting for a grant at the end of the horizon (P50; P10 "
        "and P90 also 1): it cost more than the platform grants had left in its year (money does not roll over).")
    none = {**waiting, "indicators": {"platforms_awaiting_grant": {"p10": 0.0, "p50": 0.0, "p90": 1.0}}}
    assert "waiting" not in money_sentence(none, "en")
    nothing = {"p10": 0.0, "p50": 0.0, "p90": 0.0}
    unfunded = {**one, "money": {"total": {"budgeted": nothing, "paid": nothing, "unspent_share": nothing}}}
    assert money_sentence(unfunded, "en").startswith("1 platform due under the platform levers is still waiting")


def test_the_money_line_is_in_the_language_chosen(plan):
    """innosim run --lang zh (the default) printed "$ The budget binds ... though platform grants 18% unspent", then
    "... though 平台资助 18% unspent": the `$` line is now written in --lang, channels and all; report.md names the
    channels in Chinese in either language, as it names indicators, in sentences of its own language."""
    sc, summary = plan
    money = {c: ledger(1000.0, 500.0) for c in CHANNELS}  # every channel idle, so every name is printed
    s = {**summary, "money": {**money, "total": ledger(1000.0 * len(CHANNELS), 500.0 * len(CHANNELS))},
         "indicators": {**summary["indicators"], "platforms_awaiting_grant": {"p10": 1.0, "p50": 2.0, "p90": 3.0}}}

    def line(table: str) -> str:
        return next(x for x in table.splitlines() if x.startswith("$ "))

    zh, en = line(console_table(s, "zh")), line(console_table(s, "en"))
    reports = {lang: markdown(s, sc, lang).split(f"## {say('money', lang)}")[1].split("|")[0] + headline(s, lang)
               for lang in ("zh", "en")}
    for c in CHANNELS:
        lever = LEVERS[f"budget.{c}"]
        assert lever.zh in zh and lever.en not in zh, c
        assert lever.en in en and lever.zh not in en, c
        for lang, report in reports.items():
            assert lever.zh in report and lever.en not in report, (lang, c)
    assert zh.startswith("$ 方案的资金并不构成约束") and "超过了当年平台资助的余额" in zh
    assert not re.search("[A-Za-z]{4,}", zh.replace("P50", "").replace("P10", "").replace("P90", ""))
    assert en.startswith("$ The plan's money does not bind") and "more than the platform grants had left" in en
    assert "more than 平台资助 had left" in reports["en"] and "超过了当年平台资助的余额" in reports["zh"]


def test_larger_firms_claim_the_reward_more_often():
    """Take-up (PE16): an entitled firm of revenue R claims with chance R / (R + rd_reward_take_up_size)."""
    import numpy as np

    from model.sim import EcosystemModel

    sc = with_levers(load_scenario(PLAN), {"budget.rd_growth_reward": 1e6})  # money for every claim
    m = EcosystemModel(sc, replication=0)
    f, size = m.firms, m.p["rd_reward_take_up_size"]
    alive = np.flatnonzero(f.alive)
    f.rd_increase[:] = 0.0
    f.rd_increase[alive] = 10.0
    f.reward_until[:] = -1
    m.fund.ledgers["rd_growth_reward"].open_year(1e9)
    m.fund._rd_reward(f, m.p, m.firm_streams["funds"])
    claimed = f.reward_until > m.month
    chance = f.revenue / (f.revenue + size)
    small, large = alive[chance[alive] < 0.2], alive[chance[alive] > 0.8]
    assert len(small) > 200 and len(large) > 50
    assert claimed[small].mean() == pytest.approx(chance[small].mean(), abs=0.05)
    assert claimed[large].mean() == pytest.approx(chance[large].mean(), abs=0.08)
    assert claimed[large].mean() > claimed[small].mean() + 0.5
    assert not claimed[~f.alive].any()
