"""Every lever's effect comes from published evidence, or says it has none and keeps a wide range.

The lever registry names, for each lever, the mechanism it acts through and the behavioural parameters of
that mechanism (`effects`, drawn per replication) and the programme's terms (`terms`, held). Each of those
parameters cites rows of the policy-evidence table or is marked "no evidence found".
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from conftest import POLICY_EVIDENCE

from model.lever_registry import LEVERS, effect_parameters
from model.parameters import BACKGROUND_DRAWN, PARAMETERS, ParameterSource, draw_effect, drawn_parameters, resolve


def evidence_ids() -> set[str]:
    with POLICY_EVIDENCE.open(encoding="utf-8") as fh:
        return {row["id"] for row in csv.DictReader(fh)}


def lever_parameters() -> set[str]:
    return {name for lv in LEVERS.values() for name in (*lv.effects, *lv.terms)}


def test_every_lever_says_how_it_acts():
    for lv in LEVERS.values():
        assert lv.mechanism, f"{lv.name}: no mechanism"
        for name in (*lv.effects, *lv.terms):
            assert name in PARAMETERS, f"{lv.name}: unknown parameter {name}"
    # A lever that moves anything by itself must name what it moves (the two budget channels that only pay for
    # other levers' units, and the adaptive loop's shift, move nothing of their own).
    silent = {lv.name for lv in LEVERS.values() if not lv.effects}
    assert silent == {"adaptive_shift", "budget.platform_grant", "budget.talent_grant"}


def test_every_lever_parameter_cites_evidence_or_says_it_has_none():
    ids = evidence_ids()
    for name in sorted(lever_parameters()):
        p = PARAMETERS[name]
        unknown = [i for i in p.evidence if i not in ids]
        assert not unknown, f"{name} cites rows that are not in the evidence table: {unknown}"
        assert p.evidence or p.no_evidence, f"{name}: neither cites evidence nor says 'no evidence found'"
        for i in p.evidence:
            assert i in p.source, f"{name}: cites {i} without saying what it shows"


def test_an_effect_without_evidence_has_a_wide_range():
    """Wide: the top of the range at least twice its bottom, or the range reaching zero."""
    for name in drawn_parameters():
        p = PARAMETERS[name]
        lo, hi = p.range
        assert lo <= p.value <= hi, name
        if p.no_evidence:
            assert lo <= 0.0 or hi >= 2.0 * lo, f"{name}: no evidence, yet a narrow range {p.range}"


def test_the_evidence_can_say_an_effect_is_negative():
    """Crowding-out of firms' own R&D (PE01, PE03) and incubation's sales effect (PE21) reach below zero."""
    for name, rows in (("rd_reward_elasticity", {"PE01", "PE03"}), ("growth_incubator_boost", {"PE21"})):
        p = PARAMETERS[name]
        assert p.range[0] < 0.0 and p.bounds[0] < 0.0 and rows <= set(p.evidence), name


def test_posterior_draws_carry_effect_uncertainty():
    src = ParameterSource("posterior", ("exit_hazard_old",), ((0.05,), (0.12,)), (0.5, 0.5))
    draws = [src.draw(np.random.default_rng(i)) for i in range(400)]
    assert not set(BACKGROUND_DRAWN) & set(effect_parameters())  # one name drawn twice would shift the stream
    for name in drawn_parameters():
        v = np.array([d[name] for d in draws])
        lo, hi = PARAMETERS[name].range
        assert v.min() >= lo and v.max() <= hi, name
        assert v.std() > 0.1 * (hi - lo), f"{name} hardly varies: {v.std()}"
    # The same stream gives the same draws (common random numbers across scenarios).
    assert src.draw(np.random.default_rng(7)) == src.draw(np.random.default_rng(7))
    # Central values elsewhere: the defaults and the posterior mean draw nothing of the effects.
    assert ParameterSource().draw(np.random.default_rng(1)) == {}
    mean = ParameterSource("posterior-mean", ("exit_hazard_old",), ((0.05,), (0.12,)), (0.5, 0.5))
    assert set(mean.draw(np.random.default_rng(1))) == {"exit_hazard_old"}


def test_a_scenario_override_beats_the_draw():
    drawn = {"rd_reward_elasticity": draw_effect(PARAMETERS["rd_reward_elasticity"], np.random.default_rng(3))}
    assert resolve({**drawn, "rd_reward_elasticity": 0.9})["rd_reward_elasticity"] == 0.9


@pytest.mark.parametrize("name", ["rd_reward_elasticity", "growth_equity_boost", "equity_rd_uplift"])
def test_draws_centre_on_the_evidence(name):
    """Triangular draws: their mean is (low + central + high) / 3."""
    p = PARAMETERS[name]
    v = np.array([draw_effect(p, np.random.default_rng(i)) for i in range(4000)])
    assert abs(v.mean() - (p.range[0] + p.value + p.range[1]) / 3.0) < 0.03 * (p.range[1] - p.range[0])


def test_the_summary_and_report_say_which_effects_were_drawn_and_from_what():
    from conftest import PLAN

    from model import load_scenario, run_ensemble
    from model.output.report import console_table, markdown
    from model.output.results import build_summary

    sc = load_scenario(PLAN)
    posterior = ParameterSource("posterior", ("exit_hazard_old",), ((0.08,),), (1.0,))
    drawn = build_summary(run_ensemble(sc, replications=2, workers=1, parameters=posterior), 0.0, str(PLAN))
    held = build_summary(run_ensemble(sc, replications=2, workers=1), 0.0, str(PLAN))
    effects = drawn["lever_effects"]
    assert effects["drawn"] and not held["lever_effects"]["drawn"]
    assert set(effects["parameters"]) == set(effect_parameters()) | set(BACKGROUND_DRAWN)
    assert effects["parameters"]["rd_user_cost_elasticity"]["levers"] == []
    reward = effects["parameters"]["rd_reward_elasticity"]
    assert reward["range"][0] < 0 and "PE01" in reward["evidence"] and "budget.rd_growth_reward" in reward["levers"]
    assert "lever effects drawn per replication" in console_table(drawn)
    assert "lever effects drawn" not in console_table(held)
    md = markdown(drawn, sc, "en")
    assert "## Lever effects (drawn per replication" in md and "| PE13, PE19, PE11, PE01, PE03 |" in md
    assert "| PE13, PE19, PE11 | none (background rule) |" in md
    assert "| PE40; no evidence found |" in md and "| no evidence found |" in md
    md = markdown(drawn, sc, "zh")  # the same rows in Chinese: the evidence ids as they are
    assert "## 杠杆效应（每次模拟从区间内按三角分布抽取" in md and "| PE13, PE19, PE11 | 无（背景规则） |" in md
    assert "| PE40; 未找到已发表的估计 |" in md and "(`rd_user_cost_elasticity`) | 0.397 | 0.21 - 0.5 | - |" in md
