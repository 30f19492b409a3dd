"""The law screen drops the fitted particles whose fresh runs break a plausibility law, and keeps the others."""

from __future__ import annotations

import json
import os
import re
import types

import numpy as np
import pytest
from conftest import make_scenario

from model.analysis import calibration as cal
from model.analysis import law_screen
from model.cli import main
from model.errors import InputError
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


def test_the_screened_posterior_records_what_it_dropped_and_a_second_screen_adds_to_the_record(monkeypatch, tmp_path):
    monkeypatch.setattr(cal, "historical_scenarios", lambda scale=None: {"plan": make_scenario(end="2026-12")})
    once = cal.screened(posterior(SANE, RUNAWAY), 1, workers=1, years=0)  # the horizon: these test the record
    assert len(once.weights) == 1 and once.weights[0] == 1.0
    record = once.meta["law_screen"]
    assert (record["screened"], record["dropped"], len(record["particles_dropped"])) == (2, 1, 1)
    assert record["particles_dropped"][0]["replication"] == law_screen.FIRST_REPLICATION  # no run's replication
    twice = cal.screened(once, 2, workers=1, years=0)  # fresh runs of a sane particle: it passes them too
    again = twice.meta["law_screen"]
    first = [s["first_replication"] for s in again["screens"]]
    assert first == [law_screen.FIRST_REPLICATION, law_screen.FIRST_REPLICATION + 1]  # not the runs it passed
    assert (again["screened"], again["dropped"], again["particles_dropped"]) == (2, 1, record["particles_dropped"])
    assert [(s["replications"], s["screened"], s["dropped"]) for s in again["screens"]] == [(1, 2, 1), (2, 1, 0)]
    cal.save_posterior(twice, tmp_path)
    assert json.loads((tmp_path / cal.POSTERIOR_META).read_text("utf-8"))["law_screen"]["dropped"] == 1
    assert cal.load_posterior(tmp_path).samples["rd_active_median"].tolist() == [SANE[0]]
    with pytest.raises(InputError, match="every one of the 1 particles broke"):
        cal.screened(posterior(RUNAWAY), 1, workers=1, years=0)


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
    assert screen["screens"][0]["replications"] >= 1 and set(screen["screens"][0]["places"]) == set(cal.history.RUNS)
    assert screen["screened"] - screen["dropped"] == len(post.weights) == len(post.samples["old_staff_threshold"])
    assert len(screen["particles_dropped"]) == screen["dropped"]


def test_calibrate_stopped_in_the_screen_says_how_to_screen_the_saved_fit(tmp_path):
    from model.cli import build_parser, interrupted

    (tmp_path / cal.DB_FILE).write_bytes(b"")
    post = posterior(SANE)
    cal.save_posterior(cal.Posterior(post.samples, post.weights, {"law_screen": {"pending": 3}}), tmp_path)
    said = interrupted(build_parser().parse_args(["calibrate", "--out", str(tmp_path)]))
    assert said == (f"interrupted in the law screen; the fit is saved unscreened in {tmp_path}\n"
                    f"  screen it with: innosim calibrate --screen-only --law-screen 3 --out {tmp_path}")
    said = interrupted(build_parser().parse_args(["calibrate", "--screen-years", "0", "--out", str(tmp_path)]))
    assert said.endswith(f"--screen-only --law-screen 3 --screen-years 0 --out {tmp_path}")  # the fit's own screen
    args = build_parser().parse_args(["calibrate", "--out", str(tmp_path)])
    os.utime(tmp_path / cal.POSTERIOR_META, (1, 1))  # a screen stopped long ago, then a new fit stopped: resume it
    assert "resume with: innosim calibrate" in interrupted(args)
    (tmp_path / cal.POSTERIOR_META).write_text("{ cut short", "utf-8")  # read while Ctrl-C is handled: no error
    assert "resume with: innosim calibrate" in interrupted(args)
    cal.save_posterior(posterior(SANE), tmp_path)  # a finished fit: resume the database
    assert "resume with: innosim calibrate" in interrupted(args)


def test_weights_are_renormalised_and_an_older_record_is_read_as_one_screen(monkeypatch):
    from model.analysis.calibration_report import _screen_lines

    monkeypatch.setattr(cal, "historical_scenarios", lambda scale=None: {"plan": make_scenario(end="2026-12")})
    older = {"replications": 3, "places": ["plan"], "screened": 250, "dropped": 1, "particles_dropped": [
        {"values": {}, "place": "plan", "replication": 0, "breach": "x"}]}
    post = cal.Posterior(posterior(SANE, RUNAWAY, SANE).samples, np.array([0.5, 0.3, 0.2]), {"law_screen": older})
    out = cal.screened(post, 1, workers=1, years=0)
    assert out.weights.tolist() == pytest.approx([0.5 / 0.7, 0.2 / 0.7])
    assert [s["screened"] for s in out.meta["law_screen"]["screens"]] == [250, 3]
    assert out.meta["law_screen"]["dropped"] == 2 and out.meta["law_screen"]["screened"] == 250
    # an older record's screen ran 1,000,000-1,000,002, so this one's run (where RUNAWAY broke) is the next
    assert out.meta["law_screen"]["particles_dropped"][-1]["replication"] == law_screen.FIRST_REPLICATION + 3
    assert "each of the 250 accepted particles ran 3" in _screen_lines(older)[0]


def test_report_only_and_screen_only_together_are_one_line(tmp_path, capsys):
    assert main(["calibrate", "--report-only", "--screen-only", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == ("innosim: error: --screen-only: --report-only: give one of them "
                                               "(--screen-only rewrites the report too)")


def test_a_posterior_saved_before_its_screen_is_used_with_a_note_in_the_cli_and_the_app(monkeypatch, tmp_path, capsys):
    from model.app import adapter
    from model.cli import _parameter_source

    monkeypatch.setattr(cal, "CALIBRATION_DIR", tmp_path)
    post = posterior(SANE)
    cal.save_posterior(cal.Posterior(post.samples, post.weights, {"law_screen": {"pending": 3}}), tmp_path)
    source = _parameter_source("posterior")
    assert source.mode == "posterior" and source.provenance["law_screen_pending"] == 3  # recorded with the results
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "saved before its law screen" in err[0], err
    assert err[0].endswith("screen it with: innosim calibrate --screen-only --law-screen 3")  # the default folder
    cal.save_posterior(cal.Posterior(post.samples, post.weights, {"law_screen": {"pending": 3, "years": 5}}), tmp_path)
    _parameter_source("posterior")
    assert capsys.readouterr().err.strip().endswith("--screen-only --law-screen 3 --screen-years 5")
    assert adapter.parameter_source("posterior")[1] == "unscreened"
    assert adapter.parameters_note_key("unscreened") == "posterior_unscreened"
    cal.save_posterior(posterior(SANE), tmp_path)  # screened (or never to be): no note, nothing recorded
    source = _parameter_source("posterior")
    assert "law_screen_pending" not in source.provenance and capsys.readouterr().err == ""
    assert adapter.parameter_source("posterior")[1] is None


@pytest.mark.parametrize("record, note", [([], False), ("x", False), ({"pending": "3"}, True),
                                          ({"pending": True}, True), ({"pending": 0}, False), ({"screens": []}, False)])
def test_an_odd_law_screen_record_never_raises(monkeypatch, tmp_path, capsys, record, note):
    from model.cli import _parameter_source

    monkeypatch.setattr(cal, "CALIBRATION_DIR", tmp_path)
    post = posterior(SANE)
    cal.save_posterior(cal.Posterior(post.samples, post.weights, {"law_screen": record}), tmp_path)
    assert _parameter_source("posterior").mode == "posterior"
    err = capsys.readouterr().err
    assert ("--law-screen 3" in err) == note, err


def test_a_posterior_json_that_is_not_an_object_is_one_line(monkeypatch, tmp_path):
    from model.cli import _parameter_source

    monkeypatch.setattr(cal, "CALIBRATION_DIR", tmp_path)
    cal.save_posterior(posterior(SANE), tmp_path)
    (tmp_path / cal.POSTERIOR_META).write_text("[1, 2]", "utf-8")
    with pytest.raises(InputError, match="not a JSON object"):
        _parameter_source("posterior")


class _Stop(Exception):
    pass


def test_calibrate_says_what_the_screen_will_cost_before_it_starts(monkeypatch, capsys, tmp_path):
    def stop(*args, **kwargs):
        raise _Stop

    timed = []
    monkeypatch.setattr(cal, "calibrate", stop)
    monkeypatch.setattr(law_screen, "timed_run",
                        lambda sc, *rest: timed.append((sc.scenario.scale, sc.scenario.end)) or 30.0)
    with pytest.raises(_Stop):
        main(["calibrate", "--population", "40", "--simulations", "100", "--workers", "2", "--out", str(tmp_path)])
    said = capsys.readouterr().out
    # one run of each place at its own scale (the city at 1 in 10, not the fit's 1 in 20), ten years past its horizon:
    # 2 x 30 s, for 40 particles x 3 runs on 2 workers
    assert timed == [(1, "2030-12"), (10, "2034-12")]
    assert ("then the law screen, 3 runs of each place per accepted particle at the places' own scale to 10 years "
            "past their horizons, about 60 min") in said, said
    with pytest.raises(_Stop):
        main(["calibrate", "--law-screen", "0", "--workers", "2", "--out", str(tmp_path)])
    assert "law screen" not in capsys.readouterr().out


def test_a_screen_run_that_breaks_a_law_is_timed_to_its_horizon(monkeypatch):
    """The run stops at its first breach; the estimate scales the months it ran to the whole run."""
    sc = make_scenario(end="2026-12")
    breach = law_screen.first_breach(sc, NAMES, RUNAWAY, 0)
    month = int(re.search(r"month (\d+)", breach).group(1))
    assert month + 1 < sc.months
    clock = iter(range(100))  # each reading 1 s later: 1 s to build the model, 1 s to run it
    monkeypatch.setattr(law_screen, "time", types.SimpleNamespace(perf_counter=lambda: float(next(clock))))
    assert law_screen.timed_run(sc, NAMES, RUNAWAY, 0) == pytest.approx(1.0 + sc.months / (month + 1))
    clock = iter(range(100))
    assert law_screen.timed_run(sc, NAMES, SANE, 0) == pytest.approx(2.0)  # to the horizon: nothing to scale


@pytest.mark.parametrize("years", [10, 0])
def test_the_screen_runs_each_place_past_its_horizon(monkeypatch, years):
    """Ten years past the horizon by default, as the laws test runs every scenario; recorded with the screen."""
    seen = {}

    def screen(samples, scenarios, replications, pool, first):
        seen.update({k: (sc.scenario.end, sc.scenario.levers_end) for k, sc in scenarios.items()})
        return np.arange(len(samples[NAMES[0]])), []

    monkeypatch.setattr(cal, "historical_scenarios", lambda scale=None: {"plan": make_scenario(end="2026-12")})
    monkeypatch.setattr(law_screen, "screen", screen)
    post = cal.screened(posterior(SANE), 1, workers=1, **({} if years else {"years": 0}))
    assert seen == {"plan": (f"{2026 + years}-12", "2026-12" if years else None)}
    assert post.meta["law_screen"]["screens"][-1]["years"] == years
    with pytest.raises(SystemExit) as stop:  # at most 20: one line, exit 2
        main(["calibrate", "--screen-years", "21", "--out", "x"])
    assert stop.value.code == 2


def test_screen_only_runs_the_screen_the_command_asks_for(monkeypatch, tmp_path):
    asked = {}

    def stop(post, replications, workers, scheduler=None, progress=False, years=None, places=()):
        asked.update(replications=replications, years=years, places=places)
        raise _Stop

    cal.save_posterior(posterior(SANE), tmp_path)
    monkeypatch.setattr(cal, "screened", stop)
    with pytest.raises(_Stop):
        main(["calibrate", "--screen-only", "--screen-years", "0", "--law-screen", "2", "--out", str(tmp_path)])
    assert asked == {"replications": 2, "years": 0, "places": ()}
    with pytest.raises(_Stop):
        main(["calibrate", "--screen-only", "--out", str(tmp_path)])
    assert asked == {"replications": 3, "years": 10, "places": ()}
    cal.save_posterior(screened_once(), tmp_path)
    with pytest.raises(_Stop):
        main(["calibrate", "--screen-only", "--screen-places", " bda , bda ", "--out", str(tmp_path)])
    assert asked == {"replications": 3, "years": 10, "places": ("bda",)}


def screened_once() -> cal.Posterior:
    one = {"replications": 3, "places": ["bda", "beijing"], "years": 10, "screened": 1, "dropped": 0,
           "first_replication": law_screen.FIRST_REPLICATION}
    return cal.Posterior(posterior(SANE).samples, np.ones(1), {"law_screen": {
        "screened": 1, "dropped": 0, "screens": [one], "particles_dropped": []}})


@pytest.mark.parametrize("words, reason, post", [
    (["--screen-only", "--screen-places", "bda,etown"], "--screen-places: etown: not a historical place; known: "
                                                        "bda, beijing", screened_once),
    (["--screen-places", "bda"], "--screen-places: bda: only with --screen-only (a fit screens every place)",
     screened_once),
    (["--screen-only", "--screen-places", "bda"], "--screen-places: bda: the posterior has not been screened on every "
                                                  "place yet: screen it first without --screen-places",
     lambda: posterior(SANE))])
def test_screen_places_that_are_not_places_or_not_a_screen_are_one_line(tmp_path, capsys, words, reason, post):
    cal.save_posterior(post(), tmp_path)
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert main(["calibrate", *words, "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"innosim: error: {reason}"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files  # nothing written, no report


def test_screen_places_naming_no_place_is_one_line(tmp_path, capsys):
    cal.save_posterior(screened_once(), tmp_path)
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(SystemExit) as stop:  # argparse's own line (cli.arguments.id_list)
        main(["calibrate", "--screen-only", "--screen-places", ",", "--out", str(tmp_path)])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "--screen-places" in err[-1] and "give one or more comma-separated ids" in err[-1]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files


def test_a_screen_of_some_places_runs_those_only_on_fresh_replications(monkeypatch):
    seen = []

    def screen(samples, scenarios, replications, pool, first=law_screen.FIRST_REPLICATION):
        seen.append((list(scenarios), replications, first))
        return np.arange(len(samples[NAMES[0]])), []

    two = {"bda": make_scenario(end="2025-12"), "beijing": make_scenario(end="2026-12")}
    monkeypatch.setattr(cal, "historical_scenarios", lambda scale=None: two)
    monkeypatch.setattr(law_screen, "screen", screen)
    once = cal.screened(posterior(SANE), 3, workers=1, years=0)
    twice = cal.screened(once, 10, workers=1, years=0, places=("bda",))
    assert seen == [(["bda", "beijing"], 3, law_screen.FIRST_REPLICATION),
                    (["bda"], 10, law_screen.FIRST_REPLICATION + 3)]
    assert twice.meta["law_screen"]["screens"][-1]["places"] == ["bda"]
    with pytest.raises(ValueError, match="etown"):
        cal.screened(once, 1, workers=1, years=0, places=("etown",))


def test_the_report_says_how_far_each_screen_went():
    from model.analysis.calibration_report import _screen_lines

    one = {"replications": 3, "places": ["bda", "beijing"], "screened": 250, "dropped": 27}
    record = {"screened": 250, "dropped": 30, "particles_dropped": [],
              "screens": [one, {**one, "years": 10, "screened": 223, "dropped": 3}]}
    text = _screen_lines(record)[0]
    assert "at the scenario's own scale to its horizon, every" in text
    assert "Screened again with 3 runs to 10 years past its horizon: 3 more dropped." in text
    record["screens"].append({**one, "replications": 10, "places": ["bda"], "years": 10, "dropped": 2})
    assert "Screened again with 10 runs of bda only to 10 years past its horizon: 2 more dropped." in (
        _screen_lines(record)[0])
    assert "--screen-years 0 --out FOLDER" in _screen_lines({"pending": 3, "years": 0})[0]
