"""Scenario comparison: common random numbers, paired differences, the scenario library, extends."""

from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest
from conftest import NO_PLAN, PLAN, ROOT, SMALL_SCALE, make_scenario, small_scale

from model.analysis.compare import INDEPENDENT_OFFSET, compare, target_values
from model.cli import main
from model.costs import total_annual_cost
from model.execution.ensemble import run_ensemble
from model.execution.parallel import Pool
from model.scenario import load_scenario

LIBRARY = ROOT / "scenarios"
EQUAL_COST = ("talent-first", "platforms-first", "incubators-first", "attraction-first", "plan-adaptive")


N_CRN = 24


@pytest.fixture(scope="module")
def pool():
    """One pool for the ensembles below: its workers start once, and keep their spin-ups as `innosim compare`'s do."""
    with Pool(2) as p:
        yield p


@pytest.fixture(scope="module")
def plan_runs(pool):
    """The reference of both cases below, run once."""
    plan = load_scenario(PLAN)
    return run_ensemble(plan, N_CRN, plan.scenario.seed, pool=pool)


def _trio(plan_runs, pool, other: str):
    """Plan and `other` with common random numbers, and `other` again on independent seeds."""
    alt, seed = load_scenario(LIBRARY / other), plan_runs.seed
    return (plan_runs, run_ensemble(alt, N_CRN, seed, pool=pool),
            run_ensemble(alt, N_CRN, seed + INDEPENDENT_OFFSET, pool=pool))


@pytest.fixture(scope="module")
def ensembles(plan_runs, pool):
    return _trio(plan_runs, pool, "plan-budget-plus-30.toml")


@pytest.fixture(scope="module")
def attraction(plan_runs, pool):
    """A lever that brings in more firms: without firm-keyed draws this is where CRN broke down."""
    return _trio(plan_runs, pool, "attraction-first.toml")


@pytest.mark.parametrize("case", ["ensembles", "attraction"])
@pytest.mark.parametrize("target", ["high-tech-2026", "rd-intensity-2026", "specialized-sme-2026", "upgrades-2026"])
def test_common_random_numbers_shrink_the_variance_of_paired_differences(request, case, target):
    a, b, c = request.getfixturevalue(case)
    t = next(t for t in a.scenario.targets if t.id == target)
    crn = np.var(target_values(b, t) - target_values(a, t))
    independent = np.var(target_values(c, t) - target_values(a, t))
    # Measured with 40 replications: ratios 0.000-0.014 for these targets (0.02-0.25 with row-ordered
    # draws); 0.1 leaves room for the sampling error of 24 replications.
    assert crn < 0.1 * independent, (case, target, crn, independent)


def test_newcombe_interval_is_not_fooled_by_a_few_discordant_pairs():
    from model.analysis.stats import paired_difference

    ref = np.zeros(200, bool)
    alt = ref.copy()
    alt[:4] = True  # 4 of 200 pairs differ, all one way: exact McNemar p = 0.125
    d, lo, hi = paired_difference(ref, alt)
    assert d == pytest.approx(0.02) and lo < 0.0 < hi
    alt[:40] = True
    assert paired_difference(ref, alt)[1] > 0.0


def test_newcombe_interval_is_not_certain_when_every_pair_agrees():
    from model.analysis.stats import paired_difference

    ref = np.arange(200) < 100  # met in half the replications, the same half in both scenarios
    d, lo, hi = paired_difference(ref, ref.copy())
    assert d == 0.0 and lo < -0.005 and hi > 0.005 and hi - lo < 0.05  # narrow (CRN), not zero


def test_newcombe_interval_covers_the_true_difference():
    from model.analysis.stats import paired_difference

    rng = np.random.default_rng(0)
    hits = 0
    for _ in range(400):  # correlated pairs, P(ref) = 0.5, P(alt) = 0.55
        u = rng.random(200)
        ref, alt = u < 0.5, (u < 0.52) | (rng.random(200) < 0.0625)
        true = 0.52 + 0.48 * 0.0625 - 0.5
        _, lo, hi = paired_difference(ref, alt)
        hits += lo <= true <= hi
    assert hits / 400 > 0.92


def test_identical_scenarios_differ_by_exactly_nothing():
    """Exactly nothing at any size: a small plan, and enough replications for a median and a bootstrap."""
    a = run_ensemble(make_scenario(scale=SMALL_SCALE), 6, 11, workers=1)
    twin = a.scenario.model_copy(update={"scenario": a.scenario.scenario.model_copy(update={"name": "twin"})})
    b = run_ensemble(twin, a.replications, a.seed, workers=1)
    for d in compare([a, b], seed=1):
        assert d.d_p50 == d.d_p50_low == d.d_p50_high == 0.0
        assert d.d_p_meet == 0.0 and d.d_p_meet_low <= 0.0 <= d.d_p_meet_high


def test_paired_intervals_cover_the_difference(ensembles):
    a, b, _ = ensembles
    for d in compare([a, b], seed=1):
        assert d.d_p50_low <= d.d_p50 <= d.d_p50_high
        assert d.d_p_meet_low <= d.d_p_meet <= d.d_p_meet_high
        assert 0.0 <= d.crn_factor


def test_compare_cli_writes_table_chart_and_markdown(small_plan, tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", str(small_plan), str(small_plan.parent / NO_PLAN.name), "-n", "3", "-w", "1",
                 "--out", str(out), "--no-progress", "--parameters", "defaults"])
    assert code == 0
    text = capsys.readouterr().out
    assert "no-plan-baseline" in text and "高新技术企业" in text
    # beside the change in P(meet), the change in P50 in the indicator's own units
    assert "the change in P50 of each alternative (its P50 minus the reference's)" in text
    assert "Δ P50 [95%]" in (out / "compare.md").read_text("utf-8")
    rows = (out / "compare.csv").read_text("utf-8").strip().splitlines()
    assert len(rows) == 1 + 15
    # the change printed is what its label says: the difference of the two P50s (with 3 replications, a median of
    # paired differences would differ from it in most targets)
    for r in csv.DictReader(rows):
        assert float(r["d_p50"]) == pytest.approx(float(r["alt_p50"]) - float(r["ref_p50"]), abs=1e-9)
    meta = json.loads((out / "compare.json").read_text("utf-8"))
    assert meta["common_random_numbers"] and meta["replications"] == 3
    assert (out / "charts" / "compare-delta.png").stat().st_size > 10_000
    assert "charts/compare-delta.png" in (out / "compare.md").read_text("utf-8")
    # the charts are Chinese (--lang zh, the default): they name the scenarios by their Chinese titles
    plan, none = load_scenario(small_plan), load_scenario(small_plan.parent / NO_PLAN.name)
    delta, legend = ((out / "charts" / f"{n}.svg").read_text("utf-8") for n in ("compare-delta", "compare"))
    assert f"相对“{plan.scenario.title_zh}”" in delta and plan.scenario.title not in delta
    assert plan.scenario.title_zh in legend and none.scenario.title_zh in legend
    # the plan's levers deliver the application scenarios; without them the count is 0
    d = next(r for r in meta["differences"] if r["target"] == "scenarios-published-2026")
    assert d["alt_p_meet"] == 0.0 and d["ref_p_meet"] == 1.0


@pytest.mark.parametrize(("indicator", "v", "interval", "shown"), [
    (None, 0.004, (0.001, 0.008), "+<1*"),  # P(meet), whole points: a significant rise under half a point
    (None, 0.005, (0.001, 0.010), "+<1*"),  # 0.5 points rounds to 0 (half to even)
    (None, 0.006, (0.001, 0.010), "+1*"),
    (None, -0.004, (-0.008, -0.001), "-<1*"),
    (None, 0.0, (0.001, 0.010), "+<1*"),  # the median's bootstrap interval can exclude its own 0: its side shows
    (None, 0.004, (-0.001, 0.008), "0"),
    (None, -0.004, (-0.008, 0.001), "0"),  # was "-0", read as a loss
    (None, 0.2, (0.1, 0.3), "+20*"),
    ("rd_intensity", 5.7e-05, (1.2e-07, 3.3e-04), "+<0.01 pp*"),  # compare plan vs guidance fund +5%, 20 runs
    ("rd_intensity", 0.006, (0.001, 0.010), "+0.01 pp*"),
    ("rd_vs_baseline", 9.3e-05, (9.8e-11, 1.5e-04), "+<0.01x*"),
    ("high_tech", 0.5, (0.5, 1.0), "+<1*"),
    ("high_tech", -2.0, (-3.0, 1.0), "-2"),
    ("budget_disbursed_cum", 400.0, (100.0, 900.0), "+<0.1亿*"),
])
def test_a_significant_change_too_small_to_print_is_not_0_star(indicator, v, interval, shown):
    """`innosim compare` printed "0.00 pp*" and "0.00x*" (a change of 0.00006 pp whose interval excludes 0): zero and
    significant at once. Such a change prints its side and the smallest step shown; an insignificant one is "0"."""
    from model.analysis.compare import _delta, _pp

    assert (_pp(v, interval) if indicator is None else _delta(indicator, v, interval)) == shown


def test_the_compare_table_and_the_app_never_print_0_star():
    from types import SimpleNamespace

    from model.analysis.compare import Difference, console, markdown
    from model.app import outcome

    plan = load_scenario(PLAN)
    tiny = {"rd-intensity-2026": (5.7e-05, 1.2e-07, 3.3e-04), "rd-doubling-2026": (9.3e-05, 9.8e-11, 1.5e-04)}
    diffs = []
    for t in plan.targets:
        d, lo, hi = tiny.get(t.id, (0.0, 0.0, 0.0))
        p = (0.004, 0.001, 0.008) if t.id in tiny else (0.0, -0.1, 0.1)
        diffs.append(Difference(t.id, t.indicator, t.threshold, "alt", 1.0, 1.0 + d, d, lo, hi, 0.5, 0.5 + p[0], *p,
                                d, 0.0, 0.0))
    meta = {"scenarios": [plan.scenario.name, "alt"], "replications": 20, "common_random_numbers": True}
    text = "\n".join(console([SimpleNamespace(scenario=plan)], diffs, meta))
    cells = [c for line in text.splitlines() for c in line.split()]
    assert "+<0.01" in cells and "+<0.01x*" in cells and "+<1*" in cells, text
    assert not re.search(r"(^|\s)[+-]?0(\.0+)?(x| pp)?\*", text), text  # "0*", "+0*", "0.00 pp*", "0.00x*"
    assert "-0" not in cells and "+<1*, -<0.01 pp*: a change up (+) or down (-)" in text
    result = SimpleNamespace(summary={"targets": [{"id": t.id, "kind": "outcome"} for t in plan.targets]},
                             differences=diffs)
    rows = {r["id"]: r for r in outcome.comparison_rows(result, "en")}
    # the interval's ends too: a lower end of +0.001 beside a star is "+<1", not "0" (an interval seeming to hold 0)
    assert rows["rd-intensity-2026"]["d_p_meet"] == "+<1* [+<1, +1]"
    assert rows["rd-intensity-2026"]["d_p50"] == "+<0.01 pp* [+<0.01 pp, +<0.01 pp]"
    assert rows["high-tech-2026"]["d_p_meet"] == "0 [-10, +10]"
    md = markdown([SimpleNamespace(scenario=plan)], diffs, {**meta, "files": ["plan.toml"], "seed": 1,
                                                            "parameters": "defaults", "wall_seconds": 1.0,
                                                            "bootstrap": 2000})
    assert "| +<1* [+<1, +1] |" in md and "| +<0.01 pp* [+<0.01 pp, +<0.01 pp] |" in md, md
    assert not re.search(r"(^|\s)[+-]?0(\.0+)?(x| pp)?\*", md), md


def test_compare_cli_names_the_indicators_in_lang(small_plan, tmp_path, capsys):
    no_plan = small_plan.parent / NO_PLAN.name
    assert main(["compare", str(small_plan), str(no_plan), "-n", "2", "-w", "1", "--lang", "en",
                 "--out", str(tmp_path / "en"), "--no-progress", "--parameters", "defaults"]) == 0
    text, err = capsys.readouterr()
    assert "National high-tech firms" in text and "高新技术企业" not in text and "目标" not in text
    assert err == ""  # the no-plan baseline sets the plan's targets: no warning


def test_an_alternative_setting_the_targets_otherwise_is_named_before_it_runs(tmp_path, capsys):
    """A copy of the plan asking 1,700 high-tech firms was compared in silence against the plan's 1,500 (P(meet)
    change 0): every scenario is read against the reference's targets, and compare now says which it overrides."""
    import copy
    import tomllib

    from model.analysis.compare import targets_unlike

    doc = tomllib.loads(PLAN.read_text("utf-8"))
    bold = copy.deepcopy(doc)
    bold["scenario"]["name"] = "bold"
    bold["targets"][0]["threshold"] = 1700.0
    fewer = copy.deepcopy(doc)
    del fewer["targets"][1]
    first, second = doc["targets"][0]["id"], doc["targets"][1]["id"]
    ref, alt, short = make_scenario(doc), make_scenario(bold), make_scenario(fewer)
    assert targets_unlike([ref, make_scenario(copy.deepcopy(doc))], ["a", "b"]) == ""
    assert targets_unlike([ref, alt, short], ["a", "bold.toml", "c"]) == f"bold.toml ({first}); c ({second})"
    text = PLAN.read_text("utf-8")
    (tmp_path / "plan.toml").write_text(small_scale(text), "utf-8")
    bold_text = text.replace("threshold = 1500\n", "threshold = 1700\n", 1).replace(
        f'name = "{doc["scenario"]["name"]}"', 'name = "bold"', 1)
    (tmp_path / "bold.toml").write_text(small_scale(bold_text), "utf-8")
    assert main(["compare", str(tmp_path / "plan.toml"), str(tmp_path / "bold.toml"), "-n", "2", "-w", "1",
                 "--out", str(tmp_path / "cmp"), "--no-progress", "--parameters", "defaults"]) == 0
    err = capsys.readouterr().err
    assert err == (f"innosim: warning: {tmp_path / 'bold.toml'} ({first}): set the reference's targets otherwise; "
                   "every scenario is read against the reference's targets\n")
    # the folder keeps it for whoever reads the results later
    md = (tmp_path / "cmp" / "compare.md").read_text("utf-8")
    bold = tmp_path / "bold.toml"
    assert f"Set the reference's targets otherwise (read against the reference's all the same): {bold} ({first})." in md
    saved = json.loads((tmp_path / "cmp" / "compare.json").read_text("utf-8"))
    assert saved["targets_set_otherwise"] == f"{tmp_path / 'bold.toml'} ({first})"


@pytest.mark.parametrize("args, field", [
    ([str(PLAN)], "scenarios"),
    ([str(PLAN), "nowhere.toml"], "(file)"),
    ([str(PLAN), str(PLAN)], "scenario.name"),
    ([str(PLAN), str(LIBRARY / "bda-2016-2020.toml")], "scenario.start"),
])
def test_compare_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, args, field):
    out = tmp_path / "cmp"
    assert main(["compare", *args, "-n", "2", "-w", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and field in err
    assert not out.exists() and not list(tmp_path.iterdir())


# ------------------------------------------------------------------ the scenario library
LIBRARY_FILES = ["sanliang-qisheng-2024-2026", "no-plan-baseline", "plan-budget-minus-30", "plan-budget-plus-30",
                 "talent-first", "platforms-first", "incubators-first", "attraction-first", "plan-adaptive",
                 "plan-city-pace-entry"]


@pytest.mark.parametrize("name", LIBRARY_FILES)
def test_library_scenario_is_documented_and_valid(name):
    path = LIBRARY / f"{name}.toml"
    lines = path.read_text("utf-8").splitlines()[1:]
    head = [line for line in lines[:next(i for i, line in enumerate(lines) if not line.startswith("#"))]
            if len(line) > 10]
    assert len(head) >= 3, "document the scenario at its top"
    sc = load_scenario(path)
    assert sc.scenario.name == name
    assert len(sc.targets) == 15


@pytest.mark.parametrize("name", EQUAL_COST)
def test_reallocations_cost_what_the_plan_costs(name):
    plan = total_annual_cost(load_scenario(PLAN))
    assert total_annual_cost(load_scenario(LIBRARY / f"{name}.toml")) == pytest.approx(plan, rel=0.01)


@pytest.mark.parametrize("name, factor", [("plan-budget-minus-30", 0.7), ("plan-budget-plus-30", 1.3)])
def test_budget_variants_scale_every_channel(name, factor):
    plan, variant = load_scenario(PLAN), load_scenario(LIBRARY / f"{name}.toml")
    for k, v in plan.levers.budget.model_dump().items():
        assert getattr(variant.levers.budget, k) == pytest.approx(v * factor)
    assert variant.levers.model_dump(exclude={"budget"}) == plan.levers.model_dump(exclude={"budget"})


def test_extends_merges_tables_and_keeps_the_parent_targets(tmp_path):
    (tmp_path / "base.toml").write_text(PLAN.read_text("utf-8"), "utf-8")
    (tmp_path / "child.toml").write_text('extends = "base.toml"\n[scenario]\nname = "child"\n'
                                         '[levers]\nmunicipal_platforms_per_year = 5\n', "utf-8")
    base, child = load_scenario(tmp_path / "base.toml"), load_scenario(tmp_path / "child.toml")
    assert child.scenario.name == "child" and child.scenario.title == base.scenario.title
    assert child.levers.municipal_platforms_per_year == 5
    assert child.levers.joint_labs_per_year == base.levers.joint_labs_per_year
    assert child.targets == base.targets and child.ranges == base.ranges
    assert child.scenario.title_zh == base.scenario.title_zh


def test_a_file_that_retitles_what_it_extends_does_not_keep_its_chinese_title(tmp_path):
    """A variant with a title of its own and none in Chinese is read in Chinese by that title, not by the plan's."""
    (tmp_path / "base.toml").write_text(PLAN.read_text("utf-8"), "utf-8")
    (tmp_path / "child.toml").write_text('extends = "base.toml"\n[scenario]\nname = "child"\ntitle = "A variant"\n',
                                         "utf-8")
    child = load_scenario(tmp_path / "child.toml")
    assert child.scenario.title_zh is None and child.scenario.title_in("zh") == "A variant"
    (tmp_path / "both.toml").write_text('extends = "base.toml"\n[scenario]\nname = "both"\ntitle = "A variant"\n'
                                        'title_zh = "变体"\n', "utf-8")
    both = load_scenario(tmp_path / "both.toml")
    assert (both.scenario.title_in("zh"), both.scenario.title_in("en")) == ("变体", "A variant")
    # down a chain: a file that extends the variant and sets no title keeps both of the variant's
    (tmp_path / "grandchild.toml").write_text('extends = "both.toml"\n[scenario]\nname = "grandchild"\n', "utf-8")
    assert load_scenario(tmp_path / "grandchild.toml").scenario.title_in("zh") == "变体"
    # a Chinese title alone retitles in Chinese only: the English one is the plan's still
    (tmp_path / "zh.toml").write_text('extends = "base.toml"\n[scenario]\nname = "zh"\ntitle_zh = "变体"\n', "utf-8")
    zh = load_scenario(tmp_path / "zh.toml")
    assert (zh.scenario.title_in("zh"), zh.scenario.title_in("en")) == ("变体", load_scenario(PLAN).scenario.title)


@pytest.mark.parametrize("content, reason", [
    ('extends = "child.toml"\n', "cycle"),
    ('extends = "../scenarios/x.toml"\n', "same folder"),
    ('extends = "missing.toml"\n', "child.toml: extends: no such file missing.toml"),  # the file that asked
    ('extends = 3\n', "same folder"),
])
def test_extends_errors_are_one_line(tmp_path, capsys, content, reason):
    (tmp_path / "child.toml").write_text(content + '[scenario]\nname = "child"\n', "utf-8")
    assert main(["validate", str(tmp_path / "child.toml")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and reason in err


def test_ranges_are_checked(tmp_path, capsys):
    text = PLAN.read_text("utf-8").replace("municipal_platforms_per_year = [0, 8]",
                                           "municipal_platforms_per_year = [8, 0]")
    (tmp_path / "bad.toml").write_text(text, "utf-8")
    assert main(["validate", str(tmp_path / "bad.toml")]) == 2
    err = capsys.readouterr().err
    assert "ranges.municipal_platforms_per_year" in err and "above high" in err


# ------------------------------------------------------------------ firm-by-firm random numbers
def _table(uids):
    from model.firms import FirmTable

    f = FirmTable(len(uids))
    f.append({"revenue": np.ones(len(uids)), "uid": np.asarray(uids, dtype=np.uint64)})
    return f


def test_a_firms_draw_depends_on_the_firm_not_on_the_others():
    from model.streams import FirmStream

    few, many = _table([5, 7, 9]), _table([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    a, b = FirmStream(42, few), FirmStream(42, many)
    a.start_month(3)
    b.start_month(3)
    np.testing.assert_array_equal(a.random(3), b.random(10)[[4, 6, 8]])
    # the second call of the month, another month, another key: other numbers
    a.start_month(3)
    first = a.random(3)
    assert not np.array_equal(first, a.random(3))
    a.start_month(4)
    assert not np.array_equal(first, a.random(3))
    assert not np.array_equal(first, FirmStream(43, few).random(3))


def test_firm_draws_have_the_intended_distributions():
    from scipy import stats

    from model.streams import FirmStream

    s = FirmStream(7, _table(np.arange(200_000)))
    s.start_month(0)
    u = s.random(200_000)
    assert 0.0 < u.min() and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert abs(np.corrcoef(u, s.random(200_000))[0, 1]) < 0.01  # successive calls are independent
    assert stats.kstest(s.laplace(0.0, np.full(200_000, 0.3)), "laplace", args=(0.0, 0.3)).pvalue > 0.001
    assert stats.kstest(s.gumbel(0.0, 0.3, 200_000), "gumbel_r", args=(0.0, 0.3)).pvalue > 0.001


def test_a_lever_named_with_an_empty_range_is_an_error(tmp_path):
    from model.errors import InputError
    from model.levers import LeverSpace, with_levers

    text = PLAN.read_text("utf-8").replace("services_index = [0, 1]", "services_index = [0.5, 0.5]")
    (tmp_path / "fixed.toml").write_text(text, "utf-8")
    sc = load_scenario(tmp_path / "fixed.toml")
    assert "services_index" not in LeverSpace.from_scenario(sc).names  # not explored by default
    with pytest.raises(InputError, match="nothing to explore"):
        LeverSpace.from_scenario(sc, ["services_index"])
    point = with_levers(sc, {"budget.platform_grant": 1234.0, "municipal_platforms_per_year": 2.5})
    # a platform channel below what the counts need is raised to it (the plan's 5,629万 less half a municipal
    # platform's 1,000万, less the plan's own shortfall of 29万): the counts are paid (channel_follows_counts)
    assert point.levers.budget.platform_grant == 5100.0 and point.levers.municipal_platforms_per_year == 2.5
    with pytest.raises(ValueError):
        with_levers(sc, {"services_index": 1.5})  # a share above 1 fails as it would in a file


def test_wilson_interval_holds_its_estimate_at_the_ends():
    from model.analysis.stats import wilson

    # discovery shrinks n by a design effect: not always whole; at n = 10 the upper end rounds to just under 1
    for n in (1, 3, 7.5, 10, 40, 97.3, 100, 333):
        assert wilson(0, n)[0] == 0.0 and wilson(n, n)[1] == 1.0
        lo, hi = wilson(0.3 * n, n)
        assert 0.0 < lo < 0.3 < hi < 1.0
