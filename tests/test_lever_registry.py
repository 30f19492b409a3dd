"""The lever registry names every lever of the schema once, and everything that describes a lever reads it."""

from __future__ import annotations

import pytest

from model import costs, government, levers
from model.analysis import discovery, sensitivity
from model.indicators import INDICATORS
from model.lever_registry import LEVERS, UNITS
from model.scenario import Budget, Levers


def schema_levers() -> set[str]:
    plain = {k for k, f in Levers.model_fields.items() if f.annotation is float}
    return plain | {f"budget.{k}" for k in Budget.model_fields}


def test_every_lever_of_the_schema_is_registered_once_and_nothing_else():
    assert set(LEVERS) == schema_levers()


@pytest.mark.parametrize("name", sorted(LEVERS))
def test_a_record_is_complete_and_consistent(name):
    lv = LEVERS[name]
    assert lv.zh and lv.en and lv.phrase_zh and lv.phrase_en and lv.explain
    assert lv.unit in UNITS and lv.style in ("count", "amount")
    assert all(ind in INDICATORS for ind in lv.serves)
    assert lv.channel is None or lv.channel.removeprefix("budget.") in Budget.model_fields
    if lv.cost is not None:
        low, high = lv.cost.range
        assert low <= lv.cost.value <= high and lv.cost.unit.startswith("万元")
        assert lv.channel is None  # a lever a channel pays for costs nothing more
    low, high = levers.valid_range(name)
    assert 0.0 <= low < high


def test_no_other_table_describes_levers():
    """The tables the registry replaced are gone; costs and the adaptive loop are derived from it."""
    for module, old in ((levers, "LABELS"), (discovery, "PHRASES"), (sensitivity, "LEVER_UNITS")):
        assert not hasattr(module, old), f"{module.__name__}.{old}"
    assert getattr(discovery, "UNITS", UNITS) is UNITS
    assert set(costs.UNIT_COSTS) == {n for n, lv in LEVERS.items() if lv.cost}
    assert all(ind in INDICATORS for ind in government.EFFORT)


def test_one_wording_per_unit_in_every_report():
    """A budget reads the same in the sensitivity table, discover's sentences and its chart axes."""
    name, value = "budget.rd_growth_reward", 23000.0  # 万元 a year
    assert sensitivity.lever_range(levers.LeverSpace((name,), [value], [2 * value]), 0, "en") == \
        "2.3–4.6 亿元 (100m yuan) a year"
    assert discovery.lever_axis(name, "en").endswith("(亿元 (100m yuan) a year)")
    assert discovery.lever_value(name, value, 10000.0, "en") == "2.30亿元"
    assert levers.valid_range("services_index") == (0.0, 1.0)


def test_a_count_paid_from_a_channel_brings_its_money():
    """Moving a platform or talent count moves its channel by the unit grant: the count is paid and costed."""
    from conftest import PLAN

    from model.costs import total_annual_cost
    from model.scenario import load_scenario

    sc = load_scenario(PLAN)
    grant = sc.levers.budget.platform_grant
    one_more = levers.with_levers(sc, {"national_platforms_per_year": sc.levers.national_platforms_per_year + 1})
    assert one_more.levers.budget.platform_grant == pytest.approx(grant + 5000.0)
    assert total_annual_cost(one_more) - total_annual_cost(sc) == pytest.approx(5000.0)
    # the channel's own value in the same move gets the counts' change on top; never less than they need
    teams = sc.levers.talent_teams_per_year + 2
    both = levers.with_levers(sc, {"talent_teams_per_year": teams, "budget.talent_grant": 9000.0})
    assert both.levers.budget.talent_grant == pytest.approx(9000.0 + 2 * 300.0)
    short = levers.with_levers(sc, {"talent_teams_per_year": teams, "budget.talent_grant": 1000.0})
    assert short.levers.budget.talent_grant == pytest.approx(30 * 50.0 + teams * 300.0)
    # fewer counts free money, but the channel never falls below what its remaining counts need (the
    # plan funds its platforms 29万 short of 5,629万, and stays that short): cutting the channel alone
    # leaves the counts paid; a scenario's own grant is used
    need = 0.34 * 5000 + 1.33 * 500 + 0.33 * 800  # national, joint labs, pilot bases; municipal cut to 0
    none = levers.with_levers(sc, {"municipal_platforms_per_year": 0.0, "budget.platform_grant": 0.0})
    assert none.levers.budget.platform_grant == pytest.approx(need - 29.0)
    unpaid = levers.with_levers(sc, {"budget.platform_grant": 0.0, "budget.talent_grant": 0.0})
    assert unpaid.levers.budget == sc.levers.budget
    assert levers.with_levers(sc, {"budget.platform_grant": 9000.0}).levers.budget.platform_grant == 9000.0
    cheap = sc.model_copy(update={"parameters": {**sc.parameters, "platform_grant_municipal": 600.0}})
    assert levers.with_levers(cheap, {"municipal_platforms_per_year": sc.levers.municipal_platforms_per_year + 1}
                              ).levers.budget.platform_grant == pytest.approx(grant + 600.0)
    # a lever no channel pays for moves no channel; the scenario's own values move nothing
    assert levers.with_levers(sc, {"attracted_firms_per_year": 0.0}).levers.budget == sc.levers.budget
    assert levers.with_levers(sc, {"joint_labs_per_year": sc.levers.joint_labs_per_year}).levers == sc.levers
