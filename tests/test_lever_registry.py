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
