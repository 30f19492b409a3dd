"""`innosim optimize` on a tiny problem: two levers, a small firm base, few candidates and replications.

The test region has 3,000 firms instead of ~26,000 (a [baseline] override), so a run takes about
0.06 s; the target is the plan's municipal platforms target at a threshold the two levers
(platforms a year, free; platform grant, priced) decide, plus an absurd one nothing can reach.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tomllib

import numpy as np
import pytest
from conftest import PLAN, ROOT, SMALL_SCALE, make_scenario, plan_doc

from model.analysis.optimize import reach_status
from model.analysis.stats import wilson
from model.cli import main
from model.execution.outcomes import blocks as _blocks
from model.levers import with_levers
from model.output.toml_writer import toml_document
from model.scenario import load_scenario, parse_scenario

P = "0.75"
TINY = ["--probability", P, "--replications", "6", "--initial", "6", "--generations", "1", "--population", "6",
        "--confirm", "12", "--finalists", "2", "--parameters", "defaults", "--no-progress"]


def small_doc() -> dict:
    doc = plan_doc()
    doc["baseline"] = {"tech_firms": 3000, "new_market_entities": 3000}
    doc["ranges"] = {"municipal_platforms_per_year": [0, 8], "budget": {"platform_grant": [0, 20000]}}
    doc["costs"] = {"attracted_firms_per_year": 250}
    doc["parameters"] = {"high_tech_approval_prob": 0.5}
    mp = next(t for t in doc["targets"] if t["id"] == "municipal-platforms-2026")
    doc["targets"] = [dict(mp, threshold=51), dict(mp, id="absurd-platforms-2026", threshold=500)]
    return doc


def write_small(folder, **meta):
    path = folder / "small.toml"
    sc = make_scenario(small_doc(), **meta)
    path.write_text(toml_document(sc.model_dump(mode="json", exclude_none=True), ["tiny optimize test"]), "utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return write_small(tmp_path_factory.mktemp("opt"))


@pytest.fixture(scope="module")
def run1_log(small):
    """The search whose results most tests read, run once; what it printed (a module's fixture has no capsys)."""
    out, log = small.parent / "out1", io.StringIO()
    with contextlib.redirect_stdout(log):
        assert main(["optimize", str(small), *TINY, "--workers", "1", "--lang", "en", "--out", str(out)]) == 0
    return out, log.getvalue()


@pytest.fixture(scope="module")
def run1(run1_log):
    return run1_log[0]


def read(out):
    summary = json.loads((out / "optimize.json").read_text("utf-8"))
    with open(out / "candidates.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return summary, rows


def test_finds_a_feasible_mix_cheaper_than_everything_high(run1):
    summary, rows = read(run1)
    high = next(r for r in rows if r["phase"] == "all-high")
    assert summary["confirmed"]
    assert summary["winner_cost"] < float(high["cost_wan_per_year"]) - 1000
    assert summary["winner_levers"]["budget.platform_grant"] < 20000
    target = next(t for t in summary["targets"] if t["id"] == "municipal-platforms-2026")
    assert target["status"] == "required"
    assert target["winner_search_p"] >= float(P) and target["winner_rerun_p"] >= float(P)
    assert target["scenario_rerun_p"] < float(P)  # the scenario's own mix does not meet it: the search had work
    assert len(rows) == len({tuple(r[k] for k in ("municipal_platforms_per_year", "budget.platform_grant"))
                             for r in rows})  # no candidate simulated twice
    for name in ("optimize.md", "winner.toml", "charts/optimize.png", "charts/optimize.svg"):
        assert (run1 / name).is_file(), name


def test_unreachable_target_is_reported_and_left_out(run1):
    summary, _ = read(run1)
    assert summary["unreachable"] == ["absurd-platforms-2026"]
    absurd = next(t for t in summary["targets"] if t["id"] == "absurd-platforms-2026")
    assert absurd["status"] == "cannot reach P" and absurd["best_p"] == 0
    md = (run1 / "optimize.md").read_text("utf-8")
    assert "cannot reach" in md and "absurd-platforms-2026" in md


def test_winner_toml_round_trips_validates_and_runs(run1, small, capsys):
    summary, _ = read(run1)
    path = run1 / "winner.toml"
    loaded = load_scenario(path)
    base = load_scenario(small)
    expected = with_levers(base, summary["winner_levers"])
    meta = expected.scenario.model_copy(update={"name": "sanliang-qisheng-2024-2026-cheapest-p75",
                                                "title": loaded.scenario.title, "title_zh": loaded.scenario.title_zh})
    assert loaded == expected.model_copy(update={"scenario": meta})
    assert "cheapest mix" in loaded.scenario.title
    # the Chinese title says what the file is too, not the plan's title unchanged
    zh = loaded.scenario.title_zh
    assert zh.startswith(base.scenario.title_zh) and "成本最低的杠杆组合" in zh
    assert loaded.costs == base.costs and loaded.parameters == base.parameters and loaded.baseline == base.baseline
    assert main(["validate", str(path)]) == 0
    assert main(["run", str(path), "-n", "2", "--workers", "1", "--no-progress", "--parameters", "defaults",
                 "--out", str(run1.parent / "winner-run")]) == 0
    capsys.readouterr()


def test_the_search_generations_are_numbered_from_one(run1):
    """--generations 1 is generation 1 after generation 0 (the log and candidates.csv called it generation 2)."""
    _, rows = read(run1)
    assert {r["generation"] for r in rows if r["phase"] == "search"} == {"1"}
    assert {r["generation"] for r in rows if r["phase"] in ("sample", "trim")} == {"0"}


def test_the_log_and_the_table_follow_lang(run1_log):
    out = run1_log[1]
    assert out.startswith("optimize: 2 levers, 2 targets, ")
    assert "generation 0 " in out and ", generation 1 " in out and "generations" not in out.split("\n")[0]
    assert "  generation 1: " in out and "generation 2" not in out
    assert "Municipal innovation platforms >= 51 (2026)" in out and "市级创新平台" not in out
    assert "lever  " in out and "政策" not in out and "cost: " in out


def test_same_seed_same_result_with_two_workers(run1, small):
    out = small.parent / "out2"
    assert main(["optimize", str(small), *TINY, "--workers", "2", "--out", str(out)]) == 0
    a, b = read(run1), read(out)
    assert a[1] == b[1]
    skip = {"wall_seconds", "where"}
    assert {k: v for k, v in a[0].items() if k not in skip} == {k: v for k, v in b[0].items() if k not in skip}


@pytest.mark.parametrize("extra, words", [
    (["--targets", "municipal-platforms-2026,nope"], ["--targets", "nope", "unknown target id"]),
    (["--probability", "1.5"], ["--probability", "(0, 1]"]),
    (["--probability", "0"], ["--probability", "(0, 1]"]),
    (["--budget-max", "1000"], ["--budget-max", "below the cheapest mix"]),
    (["--levers", "platfroms"], ["--levers", "platfroms", "unknown lever", "keys of the scenario's [ranges] table"]),
    # the 22 names do not fit on one line: the closest is named whole (the list used to be cut mid-name)
    (["--levers", "attracted_firms_per_yer"], ["unknown lever; did you mean attracted_firms_per_year?"]),
])
def test_bad_input_exits_2_and_writes_nothing(small, tmp_path, capsys, extra, words):
    out = tmp_path / "out"
    code = main(["optimize", str(small), "--probability", "0.8", *extra, "--workers", "1", "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert all(w in err[0] for w in words), err[0]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_non_number_probability_is_an_argparse_error(small, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["optimize", str(small), "--probability", "high"])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_reach_uses_the_wilson_upper_bound():
    # 10 of 16 is 62.5% < 80%, but 16 runs cannot rule 80% out: keep the target, probe it.
    assert reach_status(10, 16, 0.8) == "uncertain"
    assert reach_status(5, 16, 0.8) == "unreachable"
    assert reach_status(13, 16, 0.8) == "reachable"
    assert reach_status(40, 64, 0.8) == "unreachable"  # the same rate on 64 runs is ruled out
    lo, hi = wilson(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-3) and hi == pytest.approx(0.9433, abs=1e-3)


@pytest.mark.parametrize("points, reps, workers", [(1, 120, 2), (3, 120, 2), (40, 16, 2), (7, 5, 1), (1, 1, 8)])
def test_task_blocks_cover_every_run_once(points, reps, workers):
    seen = np.zeros((points, reps), int)
    for a, b, c, d in _blocks(points, reps, workers):
        seen[a:b, c:d] += 1
    assert (seen == 1).all()
    if workers > 1 and points * reps >= 8 * workers:
        assert len(_blocks(points, reps, workers)) >= 2 * workers  # few points still keep every worker busy


def test_toml_writer_round_trips_awkward_strings():
    awkward = 'a "quoted" \\ back\tslash\nnew line \x01 \x7f “专精特新” 左右 # not a comment'
    data = {"scenario": {"title": awkward}, "targets": [{"quote": awkward}]}
    assert tomllib.loads(toml_document(data, ["header # with a hash", ""])) == data
    doc = plan_doc()
    doc["targets"][0]["quote"] = 'a "quoted" \\ back\tslash “专精特新” 左右'  # the schema refuses control characters
    doc["parameters"] = {"high_tech_approval_prob": 0.123456789012345}
    doc["baseline"] = {"tech_firms": 1e-05 + 25000}
    sc = parse_scenario(doc)
    text = toml_document(sc.model_dump(mode="json", exclude_none=True), ["header # with a hash", ""])
    assert parse_scenario(tomllib.loads(text)) == sc




@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("*.toml")))
def test_every_file_innosim_writes_of_a_shipped_scenario_loads_again_unchanged(name, tmp_path):
    """The schema refuses 200.0 for a whole number: a writer that turned seed, replications, scale or a target's year
    into a decimal would write a file that does not load. Levers are decimals in the schema (10.0 loads as 10). Each
    writer, load -> write -> load: the results folder's scenario.json (as `innosim chart` reads it), the TOML writer
    (optimize's winner.toml), the app's scenario file, and whole-number lever values written as decimals."""
    from model.app.exports import scenario_toml

    sc = load_scenario(ROOT / "scenarios" / name)
    flat = sc.model_copy(update={"extends": None})  # a written file is complete: it extends nothing
    folder = json.loads(json.dumps(sc.model_dump(mode="json"), ensure_ascii=False))  # model/output/results.py
    assert parse_scenario(folder, "scenario.json") == sc
    whole = with_levers(flat, {"municipal_platforms_per_year": 10.0, "budget.rd_growth_reward": 8000.0})
    for expected, text in ((flat, toml_document(flat.model_dump(mode="json", exclude_none=True), [name])),
                           (flat, scenario_toml(sc, sc.scenario.replications, sc.scenario.seed, name, False, sc)),
                           (whole, toml_document(whole.model_dump(mode="json", exclude_none=True), [name]))):
        path = tmp_path / name
        path.write_text(text, "utf-8")
        assert load_scenario(path) == expected
        assert main(["validate", str(path)]) == 0
    assert "municipal_platforms_per_year = 10.0" in text and f"seed = {sc.scenario.seed}\n" in text


def test_a_search_no_target_holds_says_so_in_its_winner(tmp_path, capsys):
    """With no chosen target shown to reach P, nothing constrains the search: its cheapest mix is no plan that meets
    anything, and winner.toml must not call it confirmed (a new user's reading of 'CONFIRMED ... every required target
    met' when none was required). The absurd target is out of reach at any size, so the search runs at a small scale."""
    out, small = tmp_path / "none", write_small(tmp_path, scale=SMALL_SCALE)
    assert main(["optimize", str(small), *TINY, "--targets", "absurd-platforms-2026", "--workers", "1",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    text = (out / "winner.toml").read_text("utf-8")
    assert "NO TARGET HELD THIS MIX" in text and "CONFIRMED:" not in text
    loaded = load_scenario(out / "winner.toml")
    assert loaded.scenario.name.endswith("-cheapest-no-target")
    assert "no target reaches P(meet)" in loaded.scenario.title
    assert "没有目标的达成概率能达到" in loaded.scenario.title_zh


def test_an_about_target_is_named_by_what_the_search_holds_it_to():
    from model.analysis.optimize.report import _target_name

    sme = next(t for t in load_scenario(PLAN).targets if t.tolerance)
    assert _target_name(sme, "zh") == "专精特新企业 >= 400 (2026; about: >= 380 counts)"

