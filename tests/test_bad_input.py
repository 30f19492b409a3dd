"""Bad input: one line naming the file, the field and the reason; exit code 2; nothing written."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import PLAN, ROOT

from model.cli import main
from model.scenario import load_scenario

PLAN_TEXT = PLAN.read_text("utf-8")


def edit(old: str, new: str) -> str:
    assert old in PLAN_TEXT, old
    return PLAN_TEXT.replace(old, new, 1)


CASES = {
    # name: (file content, expected field in the message, expected words of the reason)
    "malformed-toml": (PLAN_TEXT.replace("[levers]", "[levers", 1), "(toml)", "malformed TOML"),
    "unknown-key": (edit("[levers]\n", "[levers]\nplatfroms_per_year = 5\n"), "levers.platfroms_per_year", "unknown key"),
    "unknown-section": (PLAN_TEXT + "\n[extras]\nx = 1\n", "extras", "unknown key"),
    # a blank or dotted key is named quoted, as TOML writes it (the fuzz campaign found ' : unknown key')
    "blank-key": (PLAN_TEXT + '\n" " = 1\n', '" "', "unknown key"),
    "dotted-key": (edit("[levers]\n", '[levers]\n"a.b" = 5\n'), 'levers."a.b"', "unknown key"),
    "wrong-type": (edit("young_talents_per_year = 30", 'young_talents_per_year = "thirty"'),
                   "levers.young_talents_per_year", "number"),
    "negative-budget": (edit("rd_growth_reward = 8000", "rd_growth_reward = -5"),
                        "levers.budget.rd_growth_reward", "greater than or equal to 0"),
    "negative-count": (edit("talent_teams_per_year = 10", "talent_teams_per_year = -1"),
                       "levers.talent_teams_per_year", "greater than or equal to 0"),
    "probability-above-1": (edit("scenarios_for_attracted_share = 0.5", "scenarios_for_attracted_share = 1.5"),
                            "levers.scenarios_for_attracted_share", "less than or equal to 1"),
    "probability-parameter": (PLAN_TEXT.replace("[levers]", "[parameters]\nhigh_tech_approval_prob = 1.2\n\n[levers]", 1),
                              "parameters", "outside [0.0, 1.0]"),
    "nan": (edit("services_index = 0.5", "services_index = nan"), "levers.services_index", "finite"),
    "target-after-horizon": (edit("year = 2026\ncomparator = \">\"\nthreshold = 1500", "year = 2027\ncomparator = \">\"\nthreshold = 1500"),
                             "targets[1] (high-tech-2026).year", "outside the horizon"),
    "target-before-start": (edit("year = 2026\ncomparator = \">\"\nthreshold = 1500", "year = 2020\ncomparator = \">\"\nthreshold = 1500"),
                            "targets[1] (high-tech-2026).year", "outside the horizon"),
    "end-before-start": (edit('end = "2026-12"', 'end = "2023-06"'), "scenario.end", "before start"),
    "start-not-after-baseline": (edit('start = "2024-01"', 'start = "2024-03"'), "scenario.start", "month after profile"),
    "bad-month": (edit('start = "2024-01"', 'start = "2024-13"'), "scenario.start",
                  "'2024-13' is not a month: write it as \"YYYY-MM\""),
    "month-with-slash": (edit('start = "2024-01"', 'start = "2024/01"'), "scenario.start", "YYYY-MM"),
    "toml-date": (edit('start = "2024-01"', 'start = 2024-01-01'), "scenario.start",
                  "a TOML date or time, not text: write a month in quotes"),
    "unknown-profile": (edit('profile = "tongzhou-2023"', 'profile = "haidian-2023"'), "scenario.profile", "unknown profile"),
    "unknown-indicator": (edit('indicator = "high_tech"', 'indicator = "hightech"'), "targets[1] (high-tech-2026).indicator",
                          "unknown indicator 'hightech'; did you mean high_tech?"),
    "missing-section": ("[levers]\nservices_index = 0.5\n", "scenario", "required"),
    # a misspelt name makes two errors (unknown, and the field it meant missing): the typo is the one to show
    "misspelt-section": (PLAN_TEXT.replace("[scenario]", "[scenaro]", 1), "scenaro",
                         "unknown key; did you mean scenario? (it is missing)"),
    "misspelt-field": (edit("threshold = 1500", "treshold = 1500"), "targets[1] (high-tech-2026).treshold",
                       "unknown key; did you mean threshold?"),
    "missing-key": (edit('title = "三量齐升 action plan 2024-2026 (Tongzhou)"\n', ""), "scenario.title", "required"),
    # each value in its own TOML type: nothing is converted (true was read as 1 team a year, "10" as 10)
    "bool-for-count": (edit("talent_teams_per_year = 10", "talent_teams_per_year = true"),
                       "levers.talent_teams_per_year", "true is a boolean, not a number"),
    "quoted-count": (edit("talent_teams_per_year = 10", 'talent_teams_per_year = "10"'),
                     "levers.talent_teams_per_year", '"10" is text (in quotes), not a number: write a number, '
                     "without quotes"),
    "quoted-budget": (edit("rd_growth_reward = 8000", 'rd_growth_reward = "8000"'),
                      "levers.budget.rd_growth_reward", '"8000" is text (in quotes), not a number'),
    "quoted-threshold": (edit("threshold = 1500", 'threshold = "1500"'), "targets[1] (high-tech-2026).threshold",
                         '"1500" is text (in quotes), not a number'),
    "bool-for-parameter": (PLAN_TEXT.replace("[levers]", "[parameters]\nhigh_tech_approval_prob = true\n\n[levers]", 1),
                           "parameters.high_tech_approval_prob", "true is a boolean, not a number"),
    "quoted-range": (edit("municipal_platforms_per_year = [0, 8]", 'municipal_platforms_per_year = [0, "8"]'),
                     "ranges.municipal_platforms_per_year[2]", '"8" is text (in quotes), not a number'),
    "quoted-replications": (edit("replications = 200", 'replications = "200"'), "scenario.replications",
                            '"200" is text (in quotes), not a whole number: write a whole number, without quotes'),
    "decimal-replications": (edit("replications = 200", "replications = 200.0"), "scenario.replications",
                             "200.0 has a decimal point: write a whole number, 200"),
    "quoted-switch": (edit("adaptive = false", 'adaptive = "yes"'), "levers.adaptive",
                      '"yes" is text (in quotes), not a boolean: write true or false, without quotes'),
    "quoted-switch-off": (edit("adaptive = false", 'adaptive = "no"'), "levers.adaptive", "not a boolean"),
    "number-for-switch": (edit("adaptive = false", "adaptive = 1"), "levers.adaptive",
                          "1 is a number, not a boolean: write true or false"),
}


def table(name: str, body: str) -> str:
    """The plan with a [name] table of `body` before its [levers]."""
    return edit("[levers]\n", f"[{name}]\n{body}\n\n[levers]\n")


# The whole message after the file name, for the mistakes a planner makes most: a misspelt key in any table gets
# the valid key closest to it, or the table's valid keys if they are few, or where they are listed.
MESSAGES = {
    "typo-top": (edit('[scenario]\n', 'extend = "x.toml"\n\n[scenario]\n'), "extend: unknown key; did you mean extends?"),
    "typo-scenario": (edit("seed = 20240227", "sede = 20240227"), "scenario.sede: unknown key; did you mean seed?"),
    "unknown-scenario": (edit("seed = 20240227", "zzz = 1"), "scenario.zzz: unknown key; valid keys: name, title, title_zh, "
                         "profile, start, end, seed, levers_end, replications, scale"),
    "typo-levers": (edit("municipal_platforms_per_year = 3.0", "municipal_platfroms_per_year = 3.0"),
                    "levers.municipal_platfroms_per_year: unknown key; did you mean municipal_platforms_per_year?"),
    "unknown-lever": (edit("municipal_platforms_per_year = 3.0", "zzz = 3.0"),
                      "levers.zzz: unknown key; see `innosim schema` for the valid keys"),
    "typo-budget": (edit("rent_subsidy = 6000", "rent_subsdy = 6000"),
                    "levers.budget.rent_subsdy: unknown key; did you mean rent_subsidy?"),
    "typo-ranges": (edit("services_index = [0, 1]", "service_index = [0, 1]"),
                    "ranges.service_index: unknown key; did you mean services_index?"),
    "typo-ranges-budget": (edit("rent_subsidy = [0, 12000]", "rent_subsidi = [0, 12000]"),
                           "ranges.budget.rent_subsidi: unknown key; did you mean rent_subsidy?"),
    "typo-target": (edit("tolerance = 0.05", "tolerence = 0.05"),
                    "targets[2] (specialized-sme-2026).tolerence: unknown key; did you mean tolerance?"),
    "typo-costs": (table("costs", "servces_index = 1"), "costs.servces_index: unknown key; did you mean services_index?"),
    "unknown-cost": (table("costs", "zzz = 1"), "costs.zzz: unknown key; valid keys: talents_placed_per_year, "
                     "high_tech_pool_per_year, listing_pool_size, application_scenarios_per_year, "
                     "attracted_firms_per_year, new_municipal_incubators, new_ordinary_incubators, services_index"),
    "typo-parameters": (table("parameters", "high_tech_aproval_prob = 0.5"),
                        "parameters.high_tech_aproval_prob: unknown key; did you mean high_tech_approval_prob?"),
    "unknown-parameter": (table("parameters", "zzz = 0.5"),
                          "parameters.zzz: unknown key; see model/parameters.py for the valid keys"),
    "typo-baseline": (table("baseline", "high_teck = 1000"), "baseline.high_teck: unknown key; did you mean high_tech?"),
    "unknown-baseline": (table("baseline", "zzz = 1000"), "baseline.zzz: unknown key; see the [baseline] tables of "
                         "model/profiles/*.toml for the valid keys"),
    # a target is named by its place, counted from 1 as a planner counts the [[targets]] blocks, and by its id
    "target-comparator": (edit('comparator = ">="\nthreshold = 400', 'comparator = "=>"\nthreshold = 400'),
                          "targets[2] (specialized-sme-2026).comparator: Input should be '>=', '>', '<=' or '<'"),
    "target-without-id": (edit('id = "high-tech-2026"\n', ""), "targets[1].id: Field required"),
    "duplicate-id": (edit('id = "listed-2026"', 'id = "high-tech-2026"'),
                     "targets[4] (high-tech-2026).id: duplicate id: targets[1] (high-tech-2026) has it too"),
    "target-after-a-mid-year-end": (edit('end = "2026-12"', 'end = "2026-06"'), "targets[1] (high-tech-2026).year: "
                                    "2026 is outside the horizon 2024-01..2026-06; its December is after end 2026-06"),
    # the horizon is checked before the targets read against it; end = start is a run of one month
    "end-before-start": (edit('end = "2026-12"', 'end = "2023-11"'), "scenario.end: 2023-11 is before start 2024-01: "
                         "end, the last simulated month, must not be before start"),
    "one-month-horizon": (edit('end = "2026-12"', 'end = "2024-01"'), "targets[1] (high-tech-2026).year: 2026 is "
                          "outside the horizon 2024-01..2024-01"),
    # a threshold that cannot be in its indicator's unit: P(meet) would be 100% whatever the levers
    "negative-count": (edit("threshold = 1500", "threshold = -1500"),
                       "targets[1] (high-tech-2026).threshold: -1500 is below 0, which high_tech (unit: firms) never is"),
    "negative-multiple": (edit("threshold = 2.0", "threshold = -2"), "targets[5] (rd-doubling-2026).threshold: -2 is "
                          "below 0, which rd_vs_baseline (unit: x) never is"),
    "percent-as-fraction": (edit("threshold = 4.0", "threshold = 0.04"), "targets[6] (rd-intensity-2026).threshold: "
                            "0.04 reads as 0.04%: rd_intensity is in percent, so write 4 for 4%"),
    "percent-as-share": (edit('indicator = "high_tech"\nyear = 2026\ncomparator = ">"\nthreshold = 1500',
                              'indicator = "above_scale_high_tech_share"\nyear = 2026\ncomparator = ">"\nthreshold = 60'),
                         "targets[1] (high-tech-2026).threshold: 60 is above 1: above_scale_high_tech_share is a share, "
                         "so write 0.6 for 60%"),
}


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_the_message_says_what_to_write(name, capsys, tmp_path):
    text, message = MESSAGES[name]
    f = tmp_path / "s.toml"
    f.write_text(text, "utf-8")
    assert main(["validate", str(f)]) == 2
    assert capsys.readouterr().err == f"innosim: error: {f}: {message}\n"


@pytest.mark.parametrize("threshold", ["-5", "0.1", "0"])
def test_the_growth_index_may_be_small_or_negative(threshold, capsys, tmp_path):
    """增量 (increment_index) is a growth in %: a shrinking or barely growing district is a sensible target."""
    f = tmp_path / "s.toml"
    f.write_text(edit('indicator = "high_tech"\nyear = 2026\ncomparator = ">"\nthreshold = 1500',
                      f'indicator = "increment_index"\nyear = 2026\ncomparator = ">"\nthreshold = {threshold}'), "utf-8")
    assert main(["validate", str(f)]) == 0, capsys.readouterr().err


def check_rejected(capsys, tmp_path, args, field, reason, path_shown):
    out_dir = tmp_path / "out"
    code = main(args + (["--out", str(out_dir)] if args[0] == "run" else []))
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert path_shown in lines[0] and field in lines[0] and reason in lines[0], lines[0]
    assert not out_dir.exists()
    assert {p.name for p in tmp_path.iterdir()} <= {"s.toml"}  # nothing written next to the input either


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_scenario_is_rejected(name, command, capsys, tmp_path):
    text, field, reason = CASES[name]
    f = tmp_path / "s.toml"
    f.write_text(text, "utf-8")
    check_rejected(capsys, tmp_path, [command, str(f)], field, reason, str(f))


def test_missing_file(capsys, tmp_path):
    missing = tmp_path / "nope.toml"
    check_rejected(capsys, tmp_path, ["run", str(missing)], "(file)", "no such file", str(missing))


def test_a_scenario_named_without_its_folder_gets_the_shipped_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    check_rejected(capsys, tmp_path, ["run", "sanliang-qisheng-2024-2026"], "(file)",
                   "no such file; did you mean scenarios/sanliang-qisheng-2024-2026.toml?", "sanliang")
    assert main(["validate", "scenarios/no-such-plan"]) == 2
    assert capsys.readouterr().err.strip().endswith("(file): no such file")  # no shipped file to name
    assert main(["validate", "x" * 252]) == 2  # with .toml the name is too long for the file system: no hint
    assert capsys.readouterr().err.strip().endswith("(file): no such file")


def test_non_utf8_file(capsys, tmp_path):
    f = tmp_path / "s.toml"
    f.write_bytes(PLAN_TEXT.encode("gb18030"))
    check_rejected(capsys, tmp_path, ["validate", str(f)], "(file)", "not UTF-8", str(f))


def test_oversized_file(capsys, tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(PLAN_TEXT + "#" * 1_100_000, "utf-8")
    check_rejected(capsys, tmp_path, ["run", str(f)], "(file)", "limit", str(f))


def test_bad_command_line_values(capsys):
    assert main_exit(["run", str(PLAN), "--replications", "0"]) == 2
    assert "replications" in capsys.readouterr().err
    assert main_exit(["run", str(PLAN), "--workers", "two"]) == 2
    assert "workers" in capsys.readouterr().err


def main_exit(args):
    try:
        return main(args)
    except SystemExit as e:
        return e.code


def test_real_process_exit_code_and_no_traceback(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(CASES["negative-budget"][0], "utf-8")
    proc = subprocess.run([sys.executable, "-m", "model", "run", str(f), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    assert "levers.budget.rd_growth_reward" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_valid_files_validate(capsys):
    library = sorted((ROOT / "scenarios").glob("*.toml"))
    for path in library:
        assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.count(": ok") == len(library) >= 2


def test_a_whole_number_stands_for_a_decimal_one():
    """The library writes `threshold = 1500` and `rd_growth_reward = 8000`: TOML integers, read as the numbers."""
    assert "threshold = 1500\n" in PLAN_TEXT and "rd_growth_reward = 8000\n" in PLAN_TEXT
    plan = load_scenario(PLAN)
    assert plan.targets[0].threshold == 1500.0 and type(plan.targets[0].threshold) is float
    assert plan.levers.budget.rd_growth_reward == 8000.0 and plan.levers.talent_teams_per_year == 10.0


def test_a_wrong_type_in_a_file_that_extends_another_is_refused(capsys, tmp_path):
    (tmp_path / "plan.toml").write_text(PLAN_TEXT, "utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "plan.toml"\n\n[levers]\nadaptive = "yes"\n', "utf-8")
    assert main(["validate", str(child)]) == 2
    assert capsys.readouterr().err.strip() == (f'innosim: error: {child}: levers.adaptive: "yes" is text (in quotes), '
                                               "not a boolean: write true or false, without quotes")


def test_out_folder_that_cannot_be_created(capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["run", str(PLAN), "-n", "1", "--workers", "1", "--out", str(blocker / "r")])
    err = capsys.readouterr().err
    assert code == 2 and "--out" in err and "cannot write" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_an_about_target_below_zero_loosens_towards_the_side_that_does_not_meet_it():
    from model.targets import measured_threshold

    assert measured_threshold(400, ">=", 0.05) == 380 and measured_threshold(100, "<=", 0.05) == 105
    assert measured_threshold(-5, ">=", 0.05) == -5.25  # -4.75 would be stricter than the written -5
    assert measured_threshold(-5, "<=", 0.05) == -4.75



def test_validate_counts_targets_in_english(capsys):
    """bda-2016-2020 has one target: 'ok (..., 1 target)', not '1 targets'."""
    assert main(["validate", "scenarios/bda-2016-2020.toml"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(", 1 target)")
