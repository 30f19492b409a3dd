"""innosim sensitivity: Morris finds an effect the model fixes, Sobol after a screen, noise, bad input, determinism."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import PLAN

from model import cli
from model.analysis.sensitivity import matters, morris_indices, replication_noise, sobol_indices

LEVERS = "municipal_platforms_per_year,services_index"


@pytest.fixture(scope="module")
def sens_cli():
    return lambda *argv: cli.main(["sensitivity", *map(str, argv)])


def _rows(folder: Path) -> list[dict]:
    with open(folder / "sensitivity.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _value(rows: list[dict], target: str, lever: str, index: str) -> float:
    [row] = [r for r in rows if (r["target"], r["lever"], r["index"]) == (target, lever, index)]
    return float(row["value"])


def _plan_with_ranges(tmp_path: Path, keep: set[str], plan: Path = PLAN) -> Path:
    """The plan with only the `keep` lines of [ranges] and [ranges.budget] (keys as written there)."""
    out, section = [], ""
    for line in plan.read_text("utf-8").splitlines():
        if line.startswith("["):
            section = line.split("]")[0] + "]"
        key = line.split("=")[0].strip()
        if section in ("[ranges]", "[ranges.budget]") and "=" in line and key not in keep:
            continue
        out.append(line)
    path = tmp_path / "plan.toml"
    path.write_text("\n".join(out) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def morris_run(sens_cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("sens") / "morris"
    code = sens_cli(PLAN, "--levers", LEVERS, "--trajectories", 3, "--replications", 2, "--workers", 1,
                        "--targets", "municipal-platforms-2026,talents-placed-2026,high-tech-2026",
                        "--parameters", "defaults", "--lang", "en", "--no-progress", "--out", out)
    return code, out


def test_a_notebook_gets_the_cli_numbers_with_plain_arguments(morris_run):
    """sensitivity.analyse takes a RunContext and plain settings, no argparse Namespace."""
    from model import load_scenario, parameter_source, select_targets
    from model.analysis import sensitivity
    from model.execution.context import RunContext
    from model.execution.parallel import Pool
    from model.levers import LeverSpace

    plan = load_scenario(PLAN)
    targets = select_targets(plan, ["municipal-platforms-2026", "talents-placed-2026", "high-tech-2026"], "test")
    with Pool(1) as pool:
        context = RunContext(pool, parameter_source("defaults"), plan.scenario.seed)
        main, screen = sensitivity.analyse(plan, LeverSpace.from_scenario(plan, LEVERS.split(",")), targets, context,
                                           method="morris", trajectories=3, replications=2, per_run=0.1)
    assert screen is None
    rows = _rows(morris_run[1])
    for r in main.results:
        for i, lever in enumerate(main.space.names):
            assert r.index["mu_star"][i] == pytest.approx(_value(rows, r.target.id, lever, "mu_star"), rel=1e-12)


def test_morris_ranks_the_lever_that_builds_municipal_platforms_first(morris_run):
    code, out = morris_run
    assert code == 0
    rows = _rows(out)
    platforms = _value(rows, "municipal-platforms-2026", "municipal_platforms_per_year", "mu_star")
    services = _value(rows, "municipal-platforms-2026", "services_index", "mu_star")
    assert platforms > 1.0  # 0 -> 8 platforms a year for three years adds several platforms
    assert services < 0.05 * platforms  # talent services do not build platforms
    summary = json.loads((out / "sensitivity.json").read_text("utf-8"))
    [t] = [t for t in summary["analysis"]["targets"] if t["id"] == "municipal-platforms-2026"]
    assert t["ranking"][0] == "municipal_platforms_per_year"
    assert t["matters"] == ["municipal_platforms_per_year"]


def test_a_target_no_explored_lever_moves_is_said_so_not_nan(morris_run):
    _, out = morris_run
    summary = json.loads((out / "sensitivity.json").read_text("utf-8"))
    [t] = [t for t in summary["analysis"]["targets"] if t["id"] == "talents-placed-2026"]
    assert t["constant"] and t["matters"] == []
    rows = [r for r in _rows(out) if r["target"] == "talents-placed-2026"]
    assert rows and not any(r["value"].lower() == "nan" for r in rows)
    md = (out / "sensitivity.md").read_text("utf-8")
    assert "none of the levers explored moves it" in md
    assert not re.search(r"\bnan\b", md, re.IGNORECASE)


def test_morris_writes_its_files_and_a_chart_per_target(morris_run):
    _, out = morris_run
    for name in ("sensitivity.md", "sensitivity.csv", "sensitivity.json", "samples-morris.parquet"):
        assert (out / name).stat().st_size > 0, name
    for target in ("municipal-platforms-2026", "talents-placed-2026", "high-tech-2026"):
        png = out / "charts" / f"sensitivity-{target}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / "charts" / f"sensitivity-{target}.svg").exists()
    md = (out / "sensitivity.md").read_text("utf-8")
    assert "18 runs" in md and "市级平台/年 · municipal platforms a year" in md


@pytest.mark.parametrize("argv, needle", [
    (["--levers", "nonsense"], "nonsense"),
    (["--levers", "municipal_platforms_per_year,nonsense"], "nonsense"),
    (["--targets", "no-such-target"], "no-such-target"),
])
def test_bad_names_exit_2_with_one_line_and_no_folder(sens_cli, tmp_path, capsys, argv, needle):
    out = tmp_path / "out"
    assert sens_cli(PLAN, *argv, "--workers", 1, "--out", out) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_lever_without_a_range_exits_2(sens_cli, tmp_path, capsys):
    scenario = _plan_with_ranges(tmp_path, keep={"services_index"})
    out = tmp_path / "out"
    assert sens_cli(scenario, "--levers", LEVERS, "--workers", 1, "--out", out) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "ranges.municipal_platforms_per_year" in err
    assert not out.exists()


def test_sobol_sample_size_must_be_a_power_of_two(sens_cli, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        sens_cli(PLAN, "--method", "sobol", "--samples", 48, "--out", tmp_path / "out")
    assert exit_.value.code == 2 and "power of two" in capsys.readouterr().err


SOBOL_RANGES = {"municipal_platforms_per_year", "services_index", "rd_growth_reward"}
SOBOL = ["--method", "sobol", "--trajectories", 2, "--samples", 2, "--replications", 2, "--max-levers", 2,
         "--targets", "municipal-platforms-2026,rd-intensity-2026", "--parameters", "defaults", "--no-progress"]


def test_sobol_screens_first_and_keeps_a_lever_that_matters(sens_cli, tmp_path):
    """At the plan's size: which levers the screen keeps is a lever effect (at a small scale the platforms lever
    moves its target in steps of 10, and the screen kept the two others)."""
    scenario = _plan_with_ranges(tmp_path, keep=SOBOL_RANGES)
    one = tmp_path / "w1"
    assert sens_cli(scenario, *SOBOL, "--workers", 1, "--out", one) == 0
    summary = json.loads((one / "sensitivity.json").read_text("utf-8"))
    assert len(summary["screen"]["levers"]) == 3  # the Morris screen saw every lever with a range
    chosen = list(summary["analysis"]["levers"])
    assert 1 <= len(chosen) <= 2 and "municipal_platforms_per_year" in chosen
    methods = {r["method"] for r in _rows(one)}
    assert methods == {"morris", "sobol"}
    assert (one / "charts" / "screening-rd-intensity-2026.png").exists()
    assert (one / "charts" / "sensitivity-rd-intensity-2026.png").exists()
    md = (one / "sensitivity.md").read_text("utf-8")
    assert re.search(r"--method sobol --levers [a-z_.,]+", md)


def test_sobol_after_its_screen_is_identical_on_1_and_2_workers(sens_cli, small_plan, tmp_path):
    """The same numbers at any size: the plan at a small scale."""
    scenario = _plan_with_ranges(tmp_path, keep=SOBOL_RANGES, plan=small_plan)
    for workers in (1, 2):
        assert sens_cli(scenario, *SOBOL, "--workers", workers, "--out", tmp_path / f"w{workers}") == 0
    one, two = tmp_path / "w1", tmp_path / "w2"
    assert {r["method"] for r in _rows(one)} == {"morris", "sobol"}
    assert (one / "sensitivity.csv").read_text() == (two / "sensitivity.csv").read_text()
    assert (one / "samples-sobol.parquet").read_bytes() == (two / "samples-sobol.parquet").read_bytes()


# ------------------------------------------------------------------ the analysis on synthetic outputs

def _target(plan_targets, target_id: str):
    return next(t for t in plan_targets if t.id == target_id)


@pytest.fixture(scope="module")
def a_target():
    from model.scenario import load_scenario

    return _target(load_scenario(PLAN).targets, "high-tech-2026")


def test_replication_noise_separates_shared_luck_from_noise():
    rng = np.random.default_rng(1)
    points, reps = 400, 4
    level = rng.normal(0, 10, points)[:, None]
    luck = rng.normal(0, 50, reps)[None, :]  # common random numbers: shared by every point
    between, noise = replication_noise(level + luck)
    assert noise == pytest.approx(0, abs=1e-9) and between == pytest.approx(100, rel=0.2)
    _, noise = replication_noise(level + luck + rng.normal(0, 2, (points, reps)))
    assert noise == pytest.approx(4 / reps, rel=0.2)
    assert np.isnan(replication_noise(level)[1])  # one replication: unknown, not zero


def test_constant_outputs_give_zero_indices_not_nan(a_target):
    problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1], [0, 1]]}
    y = np.full((8, 2), 1500.0)
    for r in (morris_indices(problem, np.zeros((6, 2)), y[:6], a_target, 0), sobol_indices(problem, y, a_target, 0)):
        assert r.constant and not any(np.isnan(v).any() for v in r.index.values())


def _crn_breaking(X: np.ndarray, reps: int, seed: int) -> np.ndarray:
    """y[point, replication] = 10 a + luck; changing b (no effect on the mean) redraws the luck, changing a does not.

    Like a lever that adds firms: it shifts every later random draw, so common random numbers stop cancelling.
    """
    out = np.empty((len(X), reps))
    for p, (a, b) in enumerate(X):
        for r in range(reps):
            out[p, r] = 10 * a + np.random.default_rng([seed, r, round(b * 1e6)]).normal(0, 3)
    return out


def test_morris_noise_threshold_is_the_levers_own(a_target):
    from SALib.sample import morris as morris_sample

    problem = {"num_vars": 2, "names": ["acts", "reshuffles"], "bounds": [[0, 1], [0, 1]]}
    X = morris_sample.sample(problem, N=10, num_levels=4, seed=5)
    r = morris_indices(problem, X, _crn_breaking(X, 4, 5), a_target, seed=5)
    assert r.noise[0] == pytest.approx(0, abs=1e-9) and r.noise[1] > 1  # a's steps keep the luck, b's redraw it
    assert r.index["mu_star"][1] > 0.5  # b shows an "effect" made of luck...
    assert list(matters(r, "morris")) == [True, False]  # ...which its own noise threshold recognises


def test_sobol_removes_the_noise_part_of_the_total_index(a_target):
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": 2, "names": ["acts", "reshuffles"], "bounds": [[0, 1], [0, 1]]}
    X = sobol_sample.sample(problem, 128, calc_second_order=False, seed=5)
    r = sobol_indices(problem, _crn_breaking(X, 4, 5), a_target, seed=5)
    assert r.index["ST"][1] > 0.1  # the raw total index of b is all noise
    assert r.key("sobol")[1] == pytest.approx(0, abs=0.06) and r.noise[0] == pytest.approx(0, abs=1e-9)
    assert list(r.order("sobol")) == [0, 1] and list(matters(r, "sobol")) == [True, False]


def test_sobol_gives_the_whole_variance_to_the_only_lever_that_acts(a_target):
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": 2, "names": ["acts", "idle"], "bounds": [[0, 1], [0, 1]]}
    X = sobol_sample.sample(problem, 256, calc_second_order=False, seed=3)
    noise = np.random.default_rng(3).normal(0, 0.05, (len(X), 2))
    y = 10 * X[:, :1] ** 2 + noise
    r = sobol_indices(problem, y, a_target, seed=3)
    assert r.index["S1"][0] == pytest.approx(1, abs=0.1) and r.index["ST"][1] < 0.05
    assert list(matters(r, "sobol")) == [True, False]
    assert r.noise_share < 0.01
