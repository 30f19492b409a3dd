"""Calibration: the distance, the posterior file, its use in runs, and parameter recovery."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from conftest import PLAN, make_scenario

from model.analysis import calibration as cal
from model.analysis.recovery import quick_recovery
from model.cli import main
from model.execution.ensemble import run_ensemble
from model.parameters import ParameterSource, drawn_parameters


def test_interval_distance_is_zero_inside_and_grows_outside():
    t = cal.Target("x", 10.0, 20.0, (), "")
    assert t.miss(10.0) == t.miss(15.0) == t.miss(20.0) == 0.0
    assert t.miss(25.0) == pytest.approx(0.5) and t.miss(0.0) == pytest.approx(1.0)
    d = cal.distance([t, cal.Target("y", 0.0, 1.0, (), "")])
    assert d({"x": 15.0, "y": 2.0}, {}) == pytest.approx(1.0)


def test_every_calibration_figure_is_in_the_registry():
    from test_history import known_ids

    ids = known_ids()
    for t in cal.TARGETS:
        assert set(t.figures) <= ids, t.name
        assert t.low < t.high


def test_priors_are_inside_the_parameters_hard_bounds():
    from model.parameters import PARAMETERS
    for name, (lo, hi) in cal.PRIORS.items():
        b_lo, b_hi = PARAMETERS[name].bounds
        assert b_lo <= lo < hi <= b_hi


def test_posterior_round_trip_and_draws(tmp_path):
    rng = np.random.default_rng(0)
    samples = {"exit_hazard_old": rng.uniform(0.05, 0.12, 50), "high_tech_apply_prob": rng.uniform(0.4, 0.6, 50)}
    post = cal.Posterior(samples, np.full(50, 1 / 50), {"created_utc": "now"})
    cal.save_posterior(post, tmp_path)
    back = cal.load_posterior(tmp_path)
    assert back.meta == {"created_utc": "now"}
    assert np.allclose(back.samples["exit_hazard_old"], post.samples["exit_hazard_old"])
    src = cal.parameter_source("posterior", tmp_path)
    draw = src.draw(np.random.default_rng(1))
    assert set(draw) == {"exit_hazard_old", "high_tech_apply_prob", *drawn_parameters()}
    mean = cal.parameter_source("posterior-mean", tmp_path).draw(None)
    assert mean["exit_hazard_old"] == pytest.approx(post.samples["exit_hazard_old"].mean())


def test_posterior_draws_change_runs_and_scenario_overrides_win():
    sc = make_scenario(end="2024-12")
    src = ParameterSource("posterior", ("exit_hazard_old",), ((0.05,), (0.12,)), (0.5, 0.5))
    a = run_ensemble(sc, replications=6, seed=3, workers=1, parameters=src)
    b = run_ensemble(sc, replications=6, seed=3, workers=2, parameters=src)
    assert np.array_equal(a.values, b.values)  # posterior draws are per replication, not per worker
    exits = a.series("exits_cum")[:, -1]
    base = run_ensemble(sc, replications=6, seed=3, workers=1).series("exits_cum")[:, -1]
    assert not np.array_equal(exits, base)
    from model.sim import EcosystemModel
    fixed = make_scenario(sc.model_dump(mode="json") | {"parameters": {"exit_hazard_old": 0.07}}, end="2024-12")
    m = EcosystemModel(fixed, replication=0, parameters=src)
    assert m.p["exit_hazard_old"] == 0.07


def test_run_records_and_rejects_parameter_modes(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cal, "CALIBRATION_DIR", tmp_path)  # no posterior there
    assert main(["run", str(PLAN), "-n", "1", "--workers", "1", "--parameters", "posterior-mean",
                 "--out", str(tmp_path / "x")]) == 2
    assert "innosim calibrate" in capsys.readouterr().err
    assert main(["run", str(PLAN), "-n", "2", "--workers", "1", "--until", "2027", "--out", str(tmp_path / "y")]) == 0
    s = json.loads((tmp_path / "y" / "summary.json").read_text("utf-8"))
    assert s["end"] == "2027-12" and s["parameters"]["mode"] == "defaults"
    assert "no posterior" in capsys.readouterr().err
    assert main(["run", str(PLAN), "-n", "1", "--until", "2025", "--out", str(tmp_path / "z")]) == 2


def test_parameter_recovery_small():
    """Known parameters of a small E-Town are found again: inside the 90% intervals, and the
    posterior is much narrower than the prior."""
    result = quick_recovery(workers=1)  # one process: pyabc's proposals are then seeded, the test repeatable
    assert all(result.inside.values()), result.table()
    assert all(r < 0.6 for r in result.sd_ratio.values()), result.table()


def test_an_interrupted_calibration_resumes_from_its_database(tmp_path):
    from model.analysis.recovery import end_statistics, small_scenario

    sc = {"bda": small_scenario()}
    targets = [cal.Target("high_tech_end", 150.0, 250.0, (), ""),
               cal.Target("exit_hazard_mature", 0.06, 0.1, (), "")]
    priors = {"exit_hazard_old": (0.05, 0.12)}
    db = tmp_path / "abc.db"
    first = cal.abc_smc(sc, targets, cal.Settings(population=12, simulations=30, replications=1, workers=1,
                                                  priors=priors), db, progress=False, statistic=end_statistics)
    t_first, n_first = first.max_t, first.total_nr_simulations
    # min_epsilon below 0: only the budget stops it, so the resumed session must use up the whole 90: its last
    # generation ends on it or is cut by it (test_the_simulation_budget_is_a_cap)
    again = cal.abc_smc(sc, targets, cal.Settings(population=12, simulations=90, replications=1, workers=1,
                                                  priors=priors, min_epsilon=-1.0), db, resume=True, progress=False,
                        statistic=end_statistics)
    assert again.id == first.id and again.max_t > t_first and n_first < again.total_nr_simulations <= 90
    assert again.budget_cut or again.total_nr_simulations == 90
    samples, weights = cal.posterior_table(again)
    x = samples["exit_hazard_old"]
    assert np.isclose(weights.sum(), 1.0) and ((x >= 0.05) & (x <= 0.12)).all()


def test_the_simulation_budget_is_a_cap(tmp_path):
    """pyabc checks its budget between generations only, and a generation runs until its population is full: a
    generation that would pass `--simulations` is cut, and the fit ends with the one before, saying so."""
    from model.analysis.recovery import end_statistics, small_scenario

    sc = {"bda": small_scenario()}
    targets = [cal.Target("high_tech_end", 150.0, 250.0, (), ""),
               cal.Target("exit_hazard_mature", 0.06, 0.1, (), "")]
    settings = cal.Settings(population=12, simulations=1, replications=1, workers=1,
                            priors={"exit_hazard_old": (0.05, 0.12)}, min_epsilon=-1.0)
    db = tmp_path / "abc.db"
    first = cal.abc_smc(sc, targets, settings, db, progress=False, statistic=end_statistics)
    assert first.max_t == 0 and not first.budget_cut  # the prior sample and generation 0 are never cut
    # 5 more: generation 1 cannot accept its 12 in them, whatever the acceptance rate
    settings = replace(settings, simulations=first.total_nr_simulations + 5)
    h = cal.abc_smc(sc, targets, settings, db, resume=True, progress=False, statistic=end_statistics)
    assert h.budget_cut == {"generation": 1, "simulations": 5, "accepted": h.budget_cut["accepted"]}
    assert h.budget_cut["accepted"] < 12 and h.max_t == 0 and h.total_nr_simulations == first.total_nr_simulations
    meta = cal.metadata(h, settings, targets, 1.0)
    assert meta["budget_cut"] == h.budget_cut and "the posterior is generation 0's" in meta["note"]
    _, weights = cal.posterior_table(h)
    assert len(weights) == 12  # the last whole generation


_CAP_CHECK = """
import sys, types
import pyabc
from pyabc.population import Particle
from model.analysis import abc_sampling

def rejected():
    return Particle(m=0, parameter=pyabc.Parameter(a=1.0), weight=1.0, sum_stat={}, distance=1.0, accepted=False)

sampler = abc_sampling.sampler(int(sys.argv[1]), None)
abc = types.SimpleNamespace(history=types.SimpleNamespace(total_nr_simulations=90))
cut = abc_sampling.within_budget(sampler, abc, 100)
ok = sampler.sample_until_n_accepted(10, rejected, 3).ok
print(ok, cut["generation"], cut["accepted"], cut["simulations"], sampler.nr_evaluations_)
abc.history.total_nr_simulations = 100  # spent: a generation runs nothing
ok = sampler.sample_until_n_accepted(10, rejected, 4).ok
print(ok, cut["generation"], cut["accepted"], cut["simulations"], sampler.nr_evaluations_)
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_a_generation_gets_only_what_the_budget_has_left(workers):
    """The sampler innosim calibrate uses, one process or several: a generation that cannot fill its population
    stops at the budget's remainder (with several workers a simulation more each, pyabc counting outside its lock).
    In a fresh interpreter: pyabc forks its workers, and this test process has threads."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _CAP_CHECK, str(workers)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    first, spent = (line.split() for line in out.stdout.split("\n")[:2])
    assert first[:3] == ["False", "3", "0"] and first[3] == first[4] and 10 <= int(first[3]) <= 10 + workers - 1
    assert spent == ["False", "4", "0", "0", "0"]


def test_until_extends_without_changing_the_horizon():
    from model.cli import extend_to
    from model.sim import EcosystemModel

    sc = make_scenario()
    longer = extend_to(sc, 2029, "plan")
    assert longer.months == 72 and longer.scenario.levers_end == "2026-12"
    a = EcosystemModel(sc, replication=1).run().indicator_table()
    b = EcosystemModel(longer, replication=1).run().indicator_table()
    for k in a:
        assert np.array_equal(a[k], b[k][: len(a[k])]), k
    assert b["new_municipal_incubators"][-1] >= a["new_municipal_incubators"][-1]  # the pace goes on



def test_the_report_gives_the_priors_the_posterior_was_fitted_with():
    """PRIORS may move for the next fit (exit_age_scale's did when PE44 came to be read by calendar year); the report of
    a saved posterior must still give the prior it was fitted with, not today's."""
    from model.analysis.calibration_report import identifiability, priors_of

    rng = np.random.default_rng(3)
    x = rng.uniform(6.0, 24.0, 40)
    recorded = {"settings": {"priors": {"exit_age_scale": [6.0, 24.0]}}}
    fitted = cal.Posterior({"exit_age_scale": x}, np.full(40, 1 / 40), recorded)
    unrecorded = cal.Posterior({"exit_age_scale": x}, np.full(40, 1 / 40), {})
    assert cal.PRIORS["exit_age_scale"] != (6.0, 24.0)
    assert priors_of(fitted)["exit_age_scale"] == (6.0, 24.0)
    assert priors_of(unrecorded)["exit_age_scale"] == cal.PRIORS["exit_age_scale"]
    ratio = {row[0]: row[4] for row in identifiability(fitted)}["exit_age_scale"]
    assert ratio == pytest.approx(np.std(x) / (18.0 / np.sqrt(12.0)))
