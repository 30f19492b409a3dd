"""The law screen drops the fitted particles whose fresh runs break a plausibility law, and keeps the others."""

from __future__ import annotations

import json

import numpy as np
from conftest import make_scenario

from model.analysis import calibration as cal
from model.analysis import law_screen
from model.cli import main
from model.execution.parallel import Pool
from model.parameters import PARAMETERS

NAMES = ("rd_active_median", "rd_ceiling_exponent", "rd_size_elasticity")
SANE = tuple(PARAMETERS[n].value for n in NAMES)
RUNAWAY = (0.4, 0.0, 0.3)  # R&D that does not fall with size and no ceiling (tests/test_laws.py: it breaks a law)


def posterior(*rows: tuple[float, ...]) -> cal.Posterior:
    samples = {n: np.array([r[i] for r in rows]) for i, n in enumerate(NAMES)}
    return cal.Posterior(samples, np.full(len(rows), 1.0 / len(rows)), {"fitted": []})


def test_a_particle_that_breaks_a_law_is_dropped_and_the_others_kept():
    post = posterior(SANE, RUNAWAY, SANE)
    with Pool(1) as pool:
        kept, dropped = law_screen.screen(post.samples, {"plan": make_scenario(end="2026-12")}, 1, pool)
    assert kept.tolist() == [0, 2]
    assert [d.particle for d in dropped] == [1] and dropped[0].values == dict(zip(NAMES, RUNAWAY, strict=True))
    assert dropped[0].place == "plan" and dropped[0].breach.split(":")[0] in ("rd_share_by_size", "rd_intensity")


def test_the_screened_posterior_records_what_it_dropped_and_a_second_screen_keeps_the_record(monkeypatch, tmp_path):
    monkeypatch.setattr(cal, "historical_scenarios", lambda scale=None: {"plan": make_scenario(end="2026-12")})
    once = cal.screened(posterior(SANE, RUNAWAY), 1, workers=1)
    assert len(once.weights) == 1 and once.weights[0] == 1.0
    assert once.meta["law_screen"]["screened"] == 2 and once.meta["law_screen"]["dropped"] == 1
    twice = cal.screened(once, 1, workers=1)
    same = [k for k in once.meta["law_screen"] if k != "wall_seconds"]
    assert {k: twice.meta["law_screen"][k] for k in same} == {k: once.meta["law_screen"][k] for k in same}
    cal.save_posterior(twice, tmp_path)
    assert json.loads((tmp_path / cal.POSTERIOR_META).read_text("utf-8"))["law_screen"]["dropped"] == 1
    assert cal.load_posterior(tmp_path).samples["rd_active_median"].tolist() == [SANE[0]]


def test_screen_only_without_runs_or_without_a_posterior_is_one_line(tmp_path, capsys):
    assert main(["calibrate", "--screen-only", "--law-screen", "0", "--out", str(tmp_path)]) == 2
    assert main(["calibrate", "--screen-only", "--out", str(tmp_path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and "no posterior" in lines[1], lines
    assert "--law-screen: 0: --screen-only needs at least one run per particle" in lines[0], lines
    assert not any(tmp_path.iterdir())


def test_the_committed_posterior_is_the_fit_after_its_law_screen():
    post = cal.load_posterior()
    screen = post.meta["law_screen"]
    assert screen["replications"] >= 1 and set(screen["places"]) == set(cal.history.RUNS)
    assert screen["screened"] - screen["dropped"] == len(post.weights) == len(post.samples["old_staff_threshold"])
    assert len(screen["particles_dropped"]) == screen["dropped"]
