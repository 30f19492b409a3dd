"""Targets told apart: outcomes the model decides, commitments a lever delivers by arithmetic, and baselines
that say where they come from (a † when the estimate leans on the plan's own targets)."""

from __future__ import annotations

import pytest
from conftest import PLAN

from model import load_scenario, run_ensemble
from model.indicators import BASELINE_ENTRY, COMMITMENTS, INDICATORS
from model.output.report import console_table, markdown
from model.output.results import build_summary
from model.profiles import PROFILES


@pytest.fixture(scope="module")
def plan():
    sc = load_scenario(PLAN)
    return sc, build_summary(run_ensemble(sc, replications=2, workers=1), 0.0, str(PLAN))


def test_the_summary_carries_each_targets_kind_and_baseline_source(plan):
    _, summary = plan
    by_id = {t["id"]: t for t in summary["targets"]}
    promised = {i for i, t in by_id.items() if t["kind"] == "commitment"}
    assert promised == {"talents-placed-2026", "scenarios-published-2026", "scenarios-for-attracted-2026"}
    assert by_id["talents-placed-2026"]["delivery"] == "talents_placed_per_year 35 a year x 3 years = 105"
    for t in summary["targets"]:
        if t["kind"] == "commitment":  # arithmetic, so every replication delivers the same
            assert t["p10"] == t["p50"] == t["p90"]
    high_tech = by_id["high-tech-2026"]["baseline_source"]
    assert high_tech == {"how": "estimate", "entry": "high_tech", "source": None, "from_plan": True}
    assert by_id["upgrades-2026"]["baseline_source"]["how"] == "by definition"


def test_commitments_stand_apart_and_derived_baselines_are_marked(plan):
    sc, summary = plan
    table = console_table(summary)
    outcomes, _, rest = table.partition("commitment 承诺事项")
    assert "服务企业引进人才" in rest and "服务企业引进人才" not in outcomes and "P(meet)" in outcomes
    assert "1,500" in outcomes and "†" in outcomes.split("高新技术企业")[1].splitlines()[0]
    assert "† baseline estimated partly from the plan's own targets" in table
    md = markdown(summary, sc, "en")
    assert "## Commitments (delivered by a lever)" in md and "marked †" in md
    md = markdown(summary, sc, "zh")
    assert "## 政府承诺事项（由杠杆直接交付）" in md and "（标 †）" in md
    assert "| talents_placed_per_year 每年 35 × 3 年 = 105 |" in md  # summary.json's delivery, in Chinese


def test_the_tables_behind_kinds_are_consistent():
    assert set(COMMITMENTS) <= set(INDICATORS) and set(BASELINE_ENTRY) <= set(INDICATORS)
    marked = {k for k, e in PROFILES["tongzhou-2023"].entries.items() if e.get("from_plan")}
    assert {"high_tech", "listed", "rd_total", "municipal_platforms"} <= marked
    assert all("seed 004" in e["estimate"] or "plan" in e["estimate"]
               for k, e in PROFILES["tongzhou-2023"].entries.items() if k in marked)
