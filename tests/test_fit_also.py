"""`innosim calibrate --fit-also`: an out-of-sample figure added to a fit's distance, recorded so that the backtest of
its posterior counts it calibrated on, and refused in one line where it cannot apply."""

from __future__ import annotations

import pytest

from model.analysis import backtest
from model.analysis import calibration as cal
from model.analysis import calibration_db as db
from model.cli import main
from model.cli.calibrate import not_fittable
from model.errors import InputError


def test_a_figure_fitted_as_well_is_in_the_distance_and_only_it():
    base = {t.name: t.fit for t in cal.targets(cal.DEFAULT_HOLD_OUT)}
    more = {t.name: t.fit for t in cal.targets(cal.DEFAULT_HOLD_OUT, fit_also=("bj-hightech-2023",))}
    assert not base["bj-hightech-2023"] and more["bj-hightech-2023"]
    assert {k for k in base if base[k] != more[k]} == {"bj-hightech-2023"}
    d = cal.distance(cal.targets(cal.DEFAULT_HOLD_OUT, fit_also=("bj-hightech-2023",)))
    inside = {t.name: 0.5 * (t.low + t.high) for t in cal.targets()}
    far = {**inside, "bj-hightech-2023": 40000.0}
    assert d(inside, {}) == 0.0 and d(far, {}) > 0.0
    assert cal.distance(cal.TARGETS)(far, {}) == 0.0  # the committed fit's distance does not see it


def test_the_backtest_counts_a_figure_fitted_as_well_calibrated_on():
    f = cal.history.BY_ID["bj-hightech-2023"]
    fitted = {t.name for t in cal.targets(cal.DEFAULT_HOLD_OUT, fit_also=("bj-hightech-2023",)) if t.fit}
    assert backtest.role_of(f, fitted) == "fit"
    assert backtest.role_of(f, {t.name for t in cal.TARGETS if t.fit}) == "out"


@pytest.mark.parametrize("ids, reason", [(("nonsense",), "not a figure"), (("PE27",), "fitted unless"),
                                         (("bj-gdp-2023",), "the run is built on it"),
                                         (("bj-hightech-2016",), "fitted unless")])
def test_only_out_of_sample_figures_can_be_fitted_as_well(ids, reason):
    refused = not_fittable(ids, cal.DEFAULT_HOLD_OUT)
    assert refused and refused[0] == ids[0] and reason in refused[1]
    assert not_fittable(("PE28", "bj-hightech-2023"), ()) is None
    assert "--hold-out" in not_fittable(("PE28",), ("PE28",))[1]


def test_calibrate_refuses_a_bad_fit_also_in_one_line(capsys):
    for given, reason in (("nonsense", "not a figure"), ("PE27", "fitted unless"),
                          ("bj-hightech-2023 --report-only", "only for a fit"),
                          ("bj-hightech-2023 --screen-only", "only for a fit"),
                          ("PE28 --hold-out PE28", "also in --hold-out")):
        code = main(["calibrate", "--fit-also", *given.split(), "--simulations", "1"])
        assert code == 2
        err = capsys.readouterr().err.strip()
        assert reason in err and len(err.splitlines()) == 1, err


def test_a_resume_must_repeat_the_figures_fitted_as_well(tmp_path):
    fit = {"fixed": {}, "fit_through": None, "growth_slack": 0.05, "fit_also": ["bj-hightech-2023"]}
    db.record_fit(tmp_path, fit)
    db.check_same_fit(tmp_path, dict(fit))
    with pytest.raises(InputError) as bad:
        db.check_same_fit(tmp_path, {**fit, "fit_also": []})
    assert "--fit-also" in str(bad.value)
    older = tmp_path / "older"  # a record from before --fit-also: resumable without it, not with it
    older.mkdir()
    db.record_fit(older, {k: v for k, v in fit.items() if k != "fit_also"})
    db.check_same_fit(older, {**fit, "fit_also": []})
    with pytest.raises(InputError):
        db.check_same_fit(older, fit)


def test_the_report_says_what_was_fitted_as_well():
    from model.analysis.calibration_report import _fit_setting_lines
    lines = _fit_setting_lines({"fit_also": ["bj-hightech-2023"], "growth_slack": cal.GROWTH_EXCESS_MAX})
    assert "`--fit-also`" in lines[0] and "`bj-hightech-2023`" in lines[0]
    assert _fit_setting_lines({"fit_also": [], "growth_slack": cal.GROWTH_EXCESS_MAX}) == []
