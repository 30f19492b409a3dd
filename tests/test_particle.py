"""A fit's proposals stop at the first figure that rules them out (model/analysis/particle.py), and decide as full
runs would."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from model import history, laws
from model.analysis import calibration as cal
from model.analysis import particle
from model.sim import EcosystemModel

# the historical places at a coarse scale: the property tested does not depend on the number of firms
COARSE = {"bda": 10, "beijing": 200}
FITTED = [t for t in cal.TARGETS if t.fit]


@pytest.fixture(scope="module")
def places():
    return cal.historical_scenarios(COARSE)


@pytest.fixture(scope="module")
def params():
    post = cal.load_posterior()
    return {k: v for k, v in post.draw(np.random.default_rng(3)).items() if k in cal.PRIORS}


@pytest.fixture(scope="module")
def full(places, params):
    return particle.simulate(places, params, 1)


def test_every_figure_is_final_from_its_date(places, params):
    """What lets a run stop early: a figure measured on the rows up to its date is the figure of the whole run,
    unless it is read at the run's end (then only there)."""
    for run, scenario in places.items():
        model = EcosystemModel(particle.with_parameters(scenario, params), replication=0, seed=5,
                               parameters=particle.EFFECTS).run()
        values = model.indicator_table()
        whole = history.Table(values, model.start)
        for f in history.FIGURES:
            if f.run != run:
                continue
            row = whole.row(f.date)
            if getattr(f.measure, "at_end", False):
                assert row == len(values["high_tech"]) - 1, f.id  # dated at the end of the run, where it is read
                continue
            early = history.Table({k: v[:row + 1] for k, v in values.items()}, model.start)
            assert f.measure(early) == f.measure(whole), f.id


def test_the_growth_laws_excess_only_grows_as_a_run_goes_on(places, params):
    model = EcosystemModel(particle.with_parameters(places["beijing"], params), replication=0, seed=5,
                           parameters=particle.EFFECTS)
    seen = []
    for _ in range(model.months):
        model.step()
        seen.append(laws.growth_excess(model))
    assert all(b >= a for a, b in pairwise(seen))


def test_a_particle_within_any_tolerance_is_run_in_full(places, params, full):
    stats, complete = particle.simulate_within(places, params, FITTED, math.inf)
    assert complete and stats == full and list(stats) == list(full)


def test_a_particle_stopped_early_would_have_been_rejected(places, params, full):
    d = cal.distance(cal.TARGETS)(full, {})
    assert d > 0.5, "the particle fits too well to test stopping"
    stats, complete = particle.simulate_within(places, params, FITTED, d)
    assert complete and stats == full  # at the tolerance itself it is accepted, as pyabc's acceptor would
    for tolerance in (0.99 * d, 0.5 * d, 0.1 * d):
        stats, complete = particle.simulate_within(places, params, FITTED, tolerance)
        so_far = particle.distance_so_far(FITTED, stats)
        assert not complete and tolerance < so_far <= d + 1e-12, (tolerance, so_far, d)
        assert all(stats[k] == full[k] for k in stats)  # what it measured is what the full run measures


def test_a_fit_with_early_stops_decides_as_one_without(places, tmp_path, monkeypatch):
    """The same small fit (one process: pyabc's proposals seeded) with the proposals stopped early and run in full
    (a statistic other than run_statistics turns the stops off): the same particles in every generation, the same
    tolerances, the same number of simulations."""
    from model.analysis import abc_sampling

    stopped = []

    def counting(*args):
        stats, complete = particle.simulate_within(*args)
        stopped.append(not complete)
        return stats, complete

    monkeypatch.setattr(abc_sampling, "simulate_within", counting)
    settings = cal.Settings(population=6, simulations=30, max_generations=2, workers=1, law_screen=0)
    fits = {}
    for name, statistic in (("early", particle.run_statistics),
                            ("full", lambda run, model: particle.run_statistics(run, model))):
        h = cal.abc_smc(places, cal.TARGETS, settings, tmp_path / f"{name}.db", statistic=statistic,
                        progress=False)
        pops = h.get_all_populations()
        fits[name] = (h.total_nr_simulations, list(pops["epsilon"]),
                      [h.get_distribution(m=0, t=t)[0].to_numpy().tolist() for t in range(h.max_t + 1)])
    assert any(stopped), "no proposal was stopped early: the test tests nothing"
    assert fits["early"] == fits["full"]


def test_stops_are_on_only_where_they_decide_as_full_runs():
    """One run of each place, the fit's own statistics, and misses that never fall as a run goes on: a growth-law
    excess fitted to an interval above 0 (as `innosim calibrate --recovery` fits it) would count a miss early that
    the whole run may not have, so such a fit runs in full."""
    from dataclasses import replace

    assert cal.early_stops(cal.Settings(), cal.TARGETS)
    assert not cal.early_stops(cal.Settings(replications=2), cal.TARGETS)
    assert not cal.early_stops(cal.Settings(), cal.TARGETS, statistic=lambda run, model: {})
    raised = [replace(t, low=0.01) if t.name.startswith("growth_excess_") else t for t in cal.TARGETS]
    assert not cal.early_stops(cal.Settings(), raised)
