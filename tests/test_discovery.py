"""`innosim discover`: PRIM on synthetic data, the planner's sentences, and the command end to end."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from conftest import PLAN

from model.analysis.discovery import (
    Box,
    Finding,
    at_limits,
    box_stats,
    nice_step,
    prim,
    round_box,
    screen,
    sentence,
    tighten,
    validated_interval,
)
from model.cli import main
from model.levers import LeverSpace
from model.scenario import load_scenario


def corner(n: int, d: int, seed: int, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """y = 1 when x0 > 0.6 and x1 < 0.3, each label flipped with probability `noise`."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    y = ((x[:, 0] > 0.6) & (x[:, 1] < 0.3)).astype(float)
    flip = rng.random(n) < noise
    return x, np.where(flip, 1 - y, y)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_recovers_the_corner_and_leaves_the_other_levers_free(seed):
    x, y = corner(1000, 8, seed)
    res = prim(x, y, 0.8)
    assert res.reached
    assert res.box.restricted() == [0, 1]
    assert 0.52 <= res.box.lo[0] <= 0.68 and res.box.hi[0] == 1.0
    assert res.box.lo[1] == 0.0 and 0.22 <= res.box.hi[1] <= 0.38
    s = box_stats(x, y, res.box)
    # noise puts ~88 of the ~200 successes outside the corner: the box can cover at most ~55%
    assert s.density >= 0.8 and s.coverage > 0.45


def test_prim_in_many_dimensions_does_not_pick_up_noise_levers():
    x, y = corner(1000, 21, 4, noise=0.15)
    assert prim(x, y, 0.8).box.restricted() == [0, 1]


def test_screen_keeps_only_levers_that_change_success():
    x, y = corner(800, 6, 3)
    assert screen(x, y) == [0, 1]
    assert screen(x, np.random.default_rng(0).random(800) < 0.5) == []


def test_prim_says_whole_range_or_not_reached():
    rng = np.random.default_rng(5)
    x = rng.random((500, 4))
    everywhere = prim(x, (rng.random(500) < 0.95).astype(float), 0.8)
    assert everywhere.reached and everywhere.box.restricted() == []
    nowhere = prim(x, (rng.random(500) < 0.3).astype(float), 0.8)
    assert not nowhere.reached


def test_a_box_that_reaches_the_probability_only_after_pruning_is_checked_on_fresh_runs(plan, monkeypatch):
    """Peeling did not reach the probability, but the box it settled on does in sample: the box goes to the fresh-run
    check (status 'box'), instead of a sentence saying the probability is reached nowhere beside a higher figure."""
    from model.analysis.discovery import method

    space = LeverSpace.from_scenario(plan, ["listing_pool_size", "budget.rd_growth_reward"])
    x = np.random.default_rng(0).random((400, 2))
    y = (x[:, 0] > 0.9).astype(float)  # met whenever the listing pool is in the top tenth of its range
    box = Box(np.array([0.9, 0.0]), np.ones(2))  # a listing pool of at least 54 (range 0-60)
    monkeypatch.setattr(method, "prim", lambda *a, **k: method.PrimResult(box, False, [0]))
    listed = next(t for t in plan.targets if t.id == "listed-2026")
    f = method.find(x, y, space, 0.8, listed.id, listed)
    assert f.stats.density >= 0.8 and f.status == "box"
    monkeypatch.setattr(method, "prim", lambda *a, **k: method.PrimResult(Box(np.array([0.5, 0.0]), np.ones(2)),
                                                                          False, [0]))
    assert method.find(x, y, space, 0.8, listed.id, listed).status == "none"  # a box at ~20%: still out of reach


def test_tighten_moves_a_limit_to_where_the_target_starts_being_met():
    # A box from 0.27 averages above 80% on y = [x0 > 0.4], but doing just what it says (x0 = 0.27) fails.
    x = np.random.default_rng(6).random((1000, 2))
    y = (x[:, 0] > 0.4).astype(float)
    loose = Box(np.array([0.27, 0.0]), np.ones(2))
    assert box_stats(x, y, loose).density >= 0.8
    tight = tighten(x, y, loose, 0.8)
    assert 0.36 <= tight.lo[0] <= 0.42 and tight.restricted() == [0]


def test_tighten_pulls_in_the_corner_when_levers_combine():
    # Met when x0 + x1 > 1.2: the box from (0.5, 0.5) averages 92%, but its corner fails. Limit by limit
    # the box barely moves (the other lever makes up for it); the corner check moves it to near the line.
    x = np.random.default_rng(7).random((2000, 3))
    y = (x[:, 0] + x[:, 1] > 1.2).astype(float)
    tight = tighten(x, y, Box(np.array([0.5, 0.5, 0.0]), np.ones(3)), 0.8)
    assert tight.restricted() == [0, 1] and 1.1 <= tight.lo[0] + tight.lo[1] <= 1.25


def test_nice_step_and_inward_rounding(plan):
    assert nice_step(8) == 0.2 and nice_step(40000) == 2000 and nice_step(1) == 0.05 and nice_step(60) == 2
    space = LeverSpace.from_scenario(plan, ["municipal_platforms_per_year", "budget.rd_growth_reward"])
    box = round_box(Box(np.array([0.4312, 0.0]), np.array([1.0, 0.9123])), space)  # 3.45 platforms, 36,492 万元
    assert box.lo[0] * 8 == pytest.approx(3.6) and box.hi[1] * 40000 == pytest.approx(36000)
    assert round_box(Box(np.array([0.004, 0.0]), np.ones(2)), space).lo[0] == pytest.approx(0.025)


def finding(status: str, box: Box, order: list[int], density: float = 0.86, validated: float = 0.82) -> Finding:
    plan = load_scenario(PLAN)
    f = Finding("high-tech-2026", plan.targets[0], status, box, order, {}, box_stats(np.full((1, 2), 0.99),
                np.ones(1), box), 0.5, validated=validated, validated_runs=80)
    f.stats = f.stats.__class__(density, 0.5, 0.2, 100)
    f.at_limits, f.at_limits_runs = 0.7, 40
    return f


def test_sentences_read_like_a_planner_writes(plan):
    space = LeverSpace.from_scenario(plan, ["municipal_platforms_per_year", "budget.rd_growth_reward"])
    box = Box(np.array([0.5, 0.575]), np.ones(2))  # >= 4 platforms a year, >= 23,000 万元 a year
    f = finding("box", box, [0, 1])
    zh = sentence(f, space, 0.8, "zh")
    assert zh.startswith("若每年新增市级平台不少于4.0家且每年研发投入增长奖励不低于2.3亿元，"
                         "则2026年高新技术企业超过1,500家")
    assert "约为82%（新模拟验证" in zh and "样本内 86%" in zh and "恰好取临界值时 70%" in zh
    en = sentence(f, space, 0.8, "en")
    assert en.startswith("With at least 4.0 municipal platforms a year and R&D-growth rewards of at least "
                         "2.3亿元 a year, P(national high-tech firms > 1,500 in 2026) is about 82% on fresh runs "
                         "(86% in sample;")
    weak = finding("box", box, [0, 1], validated=0.7)
    assert "not confirmed" in sentence(weak, space, 0.8, "en") and "结论不稳" in sentence(weak, space, 0.8, "zh")
    whole = finding("whole", Box.full(2), [], density=0.93)
    assert "no lever condition needed" in sentence(whole, space, 0.8, "en")
    assert "无需附加杠杆条件" in sentence(whole, space, 0.8, "zh")
    assert "not met in any run" in sentence(finding("never", Box.full(2), []), space, 0.8, "en")
    upper = finding("none", Box(np.zeros(2), np.array([1.0, 0.5])), [1], density=0.4)
    assert "R&D-growth rewards of at most 2.0亿元 a year" in sentence(upper, space, 0.8, "en")
    assert "不高于2.0亿元" in sentence(upper, space, 0.8, "zh") and "达不到80%" in sentence(upper, space, 0.8, "zh")
    # no lever screened in: a statement about what the sample could detect, not that no lever matters
    flat = finding("none", Box.full(2), [], density=0.42)
    n = flat.stats.n
    assert f"in {n} mixes no lever was shown to change it" in sentence(flat, space, 0.8, "en")
    assert f"{n}个杠杆组合中没有检出能改变它的杠杆" in sentence(flat, space, 0.8, "zh")


def test_at_limits_puts_conditioned_levers_on_their_limits():
    box = Box(np.array([0.4, 0.0, 0.2]), np.array([1.0, 0.7, 0.6]))
    u = at_limits(box, 50, 4, seed=1, stream=3)
    assert np.all(u[:, 0] == 0.4) and np.all(u[:, 1] == 0.7)
    assert set(np.unique(u[:, 2])) == {0.2, 0.6}  # 'between': either end
    assert u[:, 3].min() < 0.1 and u[:, 3].max() > 0.9  # free levers over their whole range


def test_validated_interval_widens_for_runs_clustered_by_mix():
    rng = np.random.default_rng(2)
    independent = rng.random((40, 4)) < 0.7
    clustered = np.repeat(rng.random((40, 1)) < 0.7, 4, axis=1)  # the runs of a mix agree: 40 draws, not 160
    _, (lo_i, hi_i) = validated_interval(independent)
    _, (lo_c, hi_c) = validated_interval(clustered)
    assert hi_c - lo_c > 1.5 * (hi_i - lo_i)


# ------------------------------------------------------------------------------- end to end

ARGS = ["--levers", "new_municipal_incubators,talents_placed_per_year", "--targets", "municipal-incubators-2026",
        "--samples", "24", "--replications", "2", "--validation", "4", "--seed", "11", "--parameters", "defaults",
        "--no-progress"]


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    out = tmp_path_factory.mktemp("discover") / "w1"
    assert main(["discover", str(PLAN), *ARGS, "--workers", "1", "--out", str(out)]) == 0
    return out


def rows(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_discover_writes_report_tables_and_charts(one_worker, capsys):
    names = sorted(p.name for p in one_worker.iterdir())
    assert names == ["boxes.csv", "charts", "discovery.md", "samples.csv"]
    samples = rows(one_worker / "samples.csv")
    assert len(samples) == 24
    assert {"new_municipal_incubators", "talents_placed_per_year", "p_meet:municipal-incubators-2026",
            "p_meet:all"} <= set(samples[0])
    assert {float(r["p_meet:municipal-incubators-2026"]) for r in samples} <= {0.0, 0.5, 1.0}
    boxes = rows(one_worker / "boxes.csv")
    assert {r["target"] for r in boxes} == {"municipal-incubators-2026", "all"}
    md = (one_worker / "discovery.md").read_text("utf-8")
    assert "2026年新增市级孵化器达到2家" in md and "municipal incubators added since start ≥ 2 in 2026" in md
    assert "24 lever mixes x 2 run(s) = 48 runs" in md
    assert (one_worker / "charts" / "discover-overview.png").stat().st_size > 10_000
    assert (one_worker / "charts" / "discover-overview.svg").exists()


def test_discover_finds_the_incubator_lever_and_checks_it(one_worker):
    # The target is met exactly when the district adds about 2 incubators: the only lever that can matter.
    boxes = [r for r in rows(one_worker / "boxes.csv") if r["target"] == "municipal-incubators-2026"]
    assert [r["lever"] for r in boxes] == ["new_municipal_incubators"]
    r = boxes[0]
    assert r["status"] == "box" and r["high"] == "5" and 1.0 <= float(r["low"]) <= 2.6
    assert float(r["p_meet_in_box"]) >= 0.8 and int(r["fresh_runs"]) == 8 and int(r["at_limits_runs"]) == 4
    assert (one_worker / "charts" / "discover-municipal-incubators-2026.png").exists()


def test_same_seed_same_numbers_and_fresh_runs_whatever_the_workers(small_plan, tmp_path, monkeypatch):
    """The same numbers at any size: the plan at a small scale, on a target its levers still decide there (it never
    adds a tenth of 2 municipal incubators), so that the workers also share a box's fresh runs.

    The box's share of fresh runs meeting the target sits at 0 or 1 whatever their draws, so the fresh runs' own
    indicator values are compared too, with the firm count of high-tech-2026 among them: it moves with every draw."""
    from model.analysis.discovery import method

    fresh, real_run_mixes = {}, method.run_mixes

    def run_mixes(*args, **kwargs):
        values = real_run_mixes(*args, **kwargs)
        if kwargs.get("desc") == "validation":
            fresh[workers] = values
        return values

    monkeypatch.setattr(method, "run_mixes", run_mixes)
    args = [a.replace("municipal-incubators-2026", "talents-placed-2026,high-tech-2026") for a in ARGS]
    for workers in ("1", "2"):
        assert main(["discover", str(small_plan), *args, "--workers", workers, "--out", str(tmp_path / workers)]) == 0
    checked = [int(r["fresh_runs"]) for r in rows(tmp_path / "1" / "boxes.csv") if r["target"] == "talents-placed-2026"]
    assert checked and min(checked) > 0
    for name in ("samples.csv", "boxes.csv"):
        assert (tmp_path / "2" / name).read_bytes() == (tmp_path / "1" / name).read_bytes()
    assert len(np.unique(fresh["1"][:, :, 1])) > 1  # high-tech firms: not one value whatever the draws
    np.testing.assert_array_equal(fresh["2"], fresh["1"])


def exit_code(argv: list[str]) -> int:
    """main's return code, or the code argparse exits with."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code)


@pytest.mark.parametrize("bad", [["--targets", "no-such-target"], ["--levers", "no_such_lever"],
                                 ["--probability", "1.5"], ["--samples", "3"]])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, bad):
    out = tmp_path / "never"
    assert exit_code(["discover", str(PLAN), *bad, "--out", str(out), "--workers", "1"]) == 2
    assert "error" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
