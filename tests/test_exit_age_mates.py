"""The exit hazard read against a firm's age-mates (parameter exit_size_age_mates, PE44).

PE44's exit rates are a registry's means over all the firms of an age, most of them far below the 500万 at which
the hazard's size term is 1. With exit_size_age_mates = 1 the size term is divided by its mean over the living
firms of the same whole year of age, so an age's mean hazard is the age term and size only sorts who exits. At 0
(the committed posterior's reading) nothing changes, draw for draw.
"""

from __future__ import annotations

import numpy as np
import pytest

from model.firms import AGE_MATE_YEARS, FirmTable, exit_mask, exit_size_means
from model.parameters import resolve
from model.reference.docking import ALPHA, CHECKPOINTS, TOLERANCE, compare, district, failures, run_docking, table

N = 200_000


def _firms(revenue: np.ndarray, age: np.ndarray) -> FirmTable:
    f = FirmTable(len(revenue))
    f.append({"revenue": revenue, "age": age.astype(np.int32), "labour": np.full(len(revenue), 0.02)})
    return f


def _sizes(rng: np.random.Generator) -> np.ndarray:
    return np.exp(rng.normal(np.log(40.0), 1.5, N))  # young firms: a median of 40万, far below 500万


def test_the_weight_reaches_the_run_and_at_zero_nothing_is_computed():
    """At 0 there are no means (the exits are those of tests/baseline.json, draw for draw: test_baseline.py); at 1 a
    district of small firms, the same replication, loses fewer firms to exits."""
    from model.scenario import load_scenario
    from model.sim import EcosystemModel
    from tests.conftest import NO_PLAN
    rng = np.random.default_rng(3)
    assert exit_size_means(_firms(_sizes(rng), rng.integers(1, 200, N)), resolve()) is None
    sc = load_scenario(NO_PLAN)
    exits = {}
    for w in (0.0, 1.0):
        m = EcosystemModel(sc.model_copy(update={"parameters": {**sc.parameters, "exit_size_age_mates": w}}),
                           replication=0)
        m.counters.exits = 0
        for _ in range(12):
            m.step()
        exits[w] = m.counters.exits
    assert exits[1.0] < 0.9 * exits[0.0], exits


def test_an_ages_mean_hazard_is_the_age_term_and_size_sorts_who_exits():
    """Firms all aged 30 months (the third year of life), small: at w = 0 the size term multiplies the age term by
    about (40/500)^-gamma; at w = 1 the mean hazard is the age term, and a firm 100 times another's size still exits
    at 100^-gamma of its rate."""
    rng = np.random.default_rng(4)
    p = resolve({"exit_size_age_mates": 1.0})
    f = _firms(_sizes(rng), np.full(N, 29))  # month-start age 29: 30 after the month's growth, as exit_mask sees it
    means = exit_size_means(f, p)
    assert means is not None and len(means) == AGE_MATE_YEARS + 1
    assert means[2] > 1.3 and np.all(means[[0, 1, 3, 4, 5, 6, 7, 8, 9, 10]] == 1.0)  # only year 2 has firms
    f.age[:] += 1
    age_term = p["exit_hazard_old"] * (1 - np.exp(-30 / p["exit_age_scale"])) ** 2
    rate = -12 * np.log1p(-np.mean([exit_mask(f, np.random.default_rng(s), 0, p, means).mean() for s in range(4)]))
    assert rate == pytest.approx(age_term, rel=0.05)
    unread = -12 * np.log1p(-exit_mask(f, np.random.default_rng(1), 0, resolve()).mean())
    assert unread > 1.3 * rate  # the same firms read against 500万 exit far more
    pair = _firms(np.array([10.0, 1_000.0] * (N // 2)), np.full(N, 29))
    means = exit_size_means(pair, p)
    pair.age[:] += 1
    out = np.mean([exit_mask(pair, np.random.default_rng(s), 0, p, means) for s in range(8)], axis=0)
    small, large = out[0::2].mean(), out[1::2].mean()
    assert large / small == pytest.approx(100 ** -p["exit_size_gamma"], rel=0.1)


def test_the_engines_dock_with_the_age_mates():
    """The reference engine (one agent per firm) and the fast core, both reading the age-mates' means, on the
    docking district (tests/test_docking.py: 80 replications, the same tests and tolerances)."""
    sc = district(2000)
    sc = sc.model_copy(update={"parameters": {**sc.parameters, "exit_size_age_mates": 1.0}})
    docking = run_docking(sc, range(80), workers=2)
    rows = compare(docking.series["fast"], docking.series["reference"], CHECKPOINTS)
    bad = failures(rows, ALPHA, TOLERANCE)
    assert not bad, "\n".join(bad) + "\n" + table(rows)
    base = run_docking(district(2000), range(20), workers=2, engines=("fast",))
    # the district's firms are small: read against their age-mates, fewer exit than against 500万
    assert docking.series["fast"]["exits_cum"][:20, -1].mean() < 0.9 * base.series["fast"]["exits_cum"][:, -1].mean()


def test_a_fit_holds_the_fixed_parameters_in_every_run_and_writes_them_into_the_posterior(tmp_path):
    from model.analysis import calibration as cal
    settings = cal.Settings(fixed={"exit_size_age_mates": 1.0}, fit_through=2023, growth_slack=0.01)
    runs = cal.fitting_scenarios(settings)
    assert all(sc.parameters["exit_size_age_mates"] == 1.0 for sc in runs.values())
    assert all(int(sc.scenario.end[:4]) >= 2023 for sc in runs.values())
    assert runs["bda"].scenario.levers_end == cal.historical_scenarios()["bda"].scenario.end  # its horizon's levers
    slack = [t for t in cal.targets((), 0.01) if t.name.startswith("growth_excess_")]
    assert {t.high for t in slack} == {0.01} and slack[0].miss(0.03) == pytest.approx(2.0)
    assert cal.GROWTH_EXCESS_MAX == 0.05  # the --growth-slack help gives it


def test_the_fixed_parameters_are_recorded_and_a_resume_must_repeat_them(tmp_path):
    from model.analysis import calibration_db as db
    from model.errors import InputError
    fit = {"fixed": {"exit_size_age_mates": 1.0}, "fit_through": 2023, "growth_slack": 0.01}
    db.record_fit(tmp_path, fit)
    db.check_same_fit(tmp_path, dict(fit))
    for change in ({"fixed": {}}, {"fit_through": None}, {"growth_slack": 0.05}):
        with pytest.raises(InputError) as bad:
            db.check_same_fit(tmp_path, {**fit, **change})
        assert "resume with the same --" in str(bad.value)
    db.check_same_fit(tmp_path / "older", {**fit, "fixed": {}})  # a database from before the record: not checked


def test_calibrate_refuses_a_bad_fix_in_one_line(capsys):
    from model.cli import main
    for fix, reason in (("exit_size_age_mates=1 --fix exit_size_age_mates=0", "given twice"),
                        ("exit_size_age_mates=1,exit_size_age_mates=0", "given twice"),
                        ("exit_size_age_mates=1 --report-only", "only for a fit"),
                        ("exit_size_age_mates=1 --recovery", "only for a fit"),
                        ("nonsense=1", "not a parameter"), ("growth_drift=0.03", "a fitted parameter"),
                        ("exit_size_age_mates=2", "outside its bounds"), ("exit_size_age_mates", "NAME=VALUE"),
                        ("exit_size_age_mates=1 --growth-slack 0", "must be in (0, 1]")):
        try:
            code = main(["calibrate", "--fix", *fix.split(), "--simulations", "1"])
        except SystemExit as stop:  # argparse's own usage errors
            code = stop.code
        assert code == 2
        err = capsys.readouterr().err.strip()
        assert reason in err and len(err.splitlines()) <= 2, err
