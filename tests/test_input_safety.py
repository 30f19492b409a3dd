"""Safety of inputs and outputs: nothing in an input is executed, outputs stay inside their folder,
names are restricted, big or deeply nested files are refused before they cost anything."""

from __future__ import annotations

import ast
import base64
import copy
import json
import os
import tomllib
import tracemalloc
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from conftest import PLAN, ROOT, plan_doc, small_scale

from model import scenario
from model.cli import main
from model.errors import InputError
from model.execution.ensemble import run_replication
from model.output import plotting
from model.output.briefing import to_html
from model.output.results import atomic_folder
from model.profiles import PROFILE_NAMES, PROFILES, REQUIRED
from model.scenario import BASELINE_BOUNDS, MAX_COUNT, MAX_FILE_BYTES, MAX_MONEY, load_scenario, parse_scenario

PLAN_TEXT = PLAN.read_text("utf-8")
# The runs of it check what is written and where, not the model's numbers: a small scale does.
ONE_TARGET = small_scale(PLAN_TEXT[: PLAN_TEXT.index("[[targets]]", PLAN_TEXT.index("[[targets]]") + 1)])
TITLES = ('title = "三量齐升 action plan 2024-2026 (Tongzhou)"\n'
          'title_zh = "北京城市副中心科技创新“三量齐升”行动计划（2024-2026年）"')


def titled(text: str, title: str) -> str:
    """The file with both its titles (English and Chinese) set to `title`, a TOML string."""
    assert TITLES in text
    return text.replace(TITLES, f"title = {title}\ntitle_zh = {title}")


def rejected(capsys, args: list[str]) -> str:
    """Run the CLI, expect exit code 2 and one line; return the line."""
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("innosim: error: "), err
    return err


def write(tmp_path: Path, text: str | bytes, name: str = "s.toml") -> Path:
    f = tmp_path / name
    f.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return f


def doc_with(path: tuple, value, doc: dict | None = None) -> dict:
    d = copy.deepcopy(doc or plan_doc())
    node = d
    for p in path[:-1]:
        node = node.setdefault(p, {})
    node[path[-1]] = value
    return d


# ------------------------------------------------------------------ no code execution
CODE_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input"}
UNSAFE_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "joblib", "marshal", "shelve", "yaml", "toml", "tomli",
                  "jsonpickle"}
UNSAFE_METHODS = {"read_pickle", "to_pickle", "unsafe_load", "full_load"}


def package_sources() -> dict[str, ast.Module]:
    package = ROOT / "model"
    return {str(p.relative_to(package)): ast.parse(p.read_text("utf-8")) for p in sorted(package.rglob("*.py"))}


def test_no_eval_exec_or_unpickling_in_the_package():
    """The package never evaluates text, never unpickles, reads TOML with tomllib only; its only
    subprocess is git (the commit hash of the package folder), with an argument list and no shell."""
    found = []
    for name, tree in package_sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                fname = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if (isinstance(f, ast.Name) and fname in CODE_CALLS) or fname in UNSAFE_METHODS:
                    found.append(f"{name}:{node.lineno} {fname}()")
                # abc.load: pyabc resuming calibration/abc.db, the project's own output (pyabc stores arrays
                # with numpy, allow_pickle=False)
                if fname in ("load", "loads") and isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) \
                        and f.value.id not in ("json", "tomllib", "np", "abc"):
                    found.append(f"{name}:{node.lineno} {f.value.id}.{fname}()")
                for kw in node.keywords:
                    pickles = kw.arg == "allow_pickle" and getattr(kw.value, "value", True) is not False
                    if pickles or (kw.arg == "shell" and getattr(kw.value, "value", False)):
                        found.append(f"{name}:{node.lineno} {kw.arg}=")
                if fname == "run" and isinstance(f, ast.Attribute) and getattr(f.value, "id", "") == "subprocess":
                    argv = node.args[0]
                    if not (isinstance(argv, ast.List) and getattr(argv.elts[0], "value", None) == "git"):
                        found.append(f"{name}:{node.lineno} subprocess.run of something other than git")
                if fname == "import_module" and name != "cli/__init__.py":
                    found.append(f"{name}:{node.lineno} import_module")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{name}:{node.lineno} import {m}" for m in mods if m.split(".")[0] in UNSAFE_MODULES]
    assert not found, found


def test_cli_imports_only_its_own_analysis_modules():
    """The CLI's import_module takes module names from its fixed ANALYSES table (the command is one of
    argparse's choices), never text from the command line or a file."""
    from model import cli

    tree = ast.parse((ROOT / "model" / "cli" / "__init__.py").read_text("utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "import_module"]
    names = sorted(ast.unparse(c.args[0]) for c in calls)
    assert names == ["f'model.cli.{ANALYSES[args.command][0]}'", "f'model.cli.{module}'"]
    assert set(cli.ANALYSES) == {"compare", "sensitivity", "optimize", "discover"}


def test_code_in_scenario_strings_stays_text(capsys, tmp_path):
    """Python, shell and template snippets in every free-text field are carried as text."""
    marker = tmp_path / "PWNED"
    payload = f"__import__('os').system('touch {marker}') $(touch {marker}) `touch {marker}` {{0.__class__}}"
    text = titled(ONE_TARGET, toml_str(payload[:200]))
    text = text.replace('quote = "到2026年,高新技术企业力争突破1500"', f"quote = {toml_str(payload)}")
    f = write(tmp_path, text)
    out = tmp_path / "r"
    assert main(["run", str(f), "-n", "1", "-w", "1", "--no-progress", "--out", str(out)]) == 0
    assert not marker.exists()
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["title"] == summary["title_zh"] == payload[:200]


# ------------------------------------------------------------------ names
@pytest.mark.parametrize("name", ["../evil", "/abs", "a/b", "..", ".", "a\\b", "A", "a b", "名字", "x" * 81, "-x",
                                  "", "a\nb", "plan\x00", "a..b/c", "tongzhou-2023/../x"])
def test_scenario_name_is_a_slug(name, capsys, tmp_path):
    """A scenario's name becomes its results folder's name: only lower-case letters, digits, hyphens."""
    f = write(tmp_path, PLAN_TEXT.replace('name = "sanliang-qisheng-2024-2026"', f"name = {toml_str(name)}"))
    err = rejected(capsys, ["run", str(f), "--out", str(tmp_path / "r")])
    assert "scenario.name" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


@pytest.mark.parametrize(("old", "new"), [('id = "high-tech-2026"', 'id = "../../x"'),
                                          ('figure = "tz-plan-high-tech-2026"', 'figure = "../x"')])
def test_target_ids_are_slugs(old, new, capsys, tmp_path):
    """Target ids name chart files (sensitivity, discover): no path can hide in one."""
    err = rejected(capsys, ["validate", str(write(tmp_path, PLAN_TEXT.replace(old, new, 1)))])
    shown = "targets[1]" if old.startswith("id") else "targets[1] (high-tech-2026)"  # a bad id is not shown
    assert f"{shown}.{old.split()[0]}: " in err


@pytest.mark.parametrize("profile", ["haidian-2023", "../profiles/tongzhou-2023", "/etc/passwd", "Tongzhou-2023",
                                     "tongzhou-2023 ", "tongzhou-2023.toml", "x" * 1000])
def test_profile_must_be_a_known_name(profile, capsys, tmp_path):
    """Profiles are loaded by name from the package (PROFILE_NAMES), never from a path in the file."""
    f = write(tmp_path, PLAN_TEXT.replace('profile = "tongzhou-2023"', f"profile = {toml_str(profile)}"))
    err = rejected(capsys, ["validate", str(f)])
    assert "scenario.profile" in err and len(err) < 1000
    assert set(PROFILES) == set(PROFILE_NAMES)


@pytest.mark.parametrize("extends", ["../x.toml", "/etc/passwd", "sub/x.toml", "x.json", ".x.toml", "x.toml\x00"])
def test_extends_names_a_file_in_the_same_folder(extends, capsys, tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", PLAN_TEXT, "x.toml")
    f = write(tmp_path, f"extends = {toml_str(extends)}\n")
    err = rejected(capsys, ["validate", str(f)])
    assert ": extends: must be the name of a .toml file in the same folder" in err


def test_extends_through_a_symlink_loop_is_one_line(capsys, tmp_path):
    os.symlink("b.toml", tmp_path / "a.toml")
    os.symlink("a.toml", tmp_path / "b.toml")
    err = rejected(capsys, ["validate", str(write(tmp_path, 'extends = "a.toml"\n'))])
    assert "a.toml: (file): a broken or looping symbolic link" in err


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


# ------------------------------------------------------------------ outputs stay inside their folder
def test_results_stay_inside_the_out_folder(capsys, tmp_path):
    out = tmp_path / "runs" / "r"
    assert main(["run", str(write(tmp_path, ONE_TARGET)), "-n", "1", "-w", "1", "--no-progress",
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs", "s.toml"]
    assert [p.name for p in (tmp_path / "runs").iterdir()] == ["r"]  # no partial folder left beside it
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())


def test_atomic_folder_leaves_nothing_on_error(tmp_path):
    out = tmp_path / "r"
    with pytest.raises(RuntimeError), atomic_folder(out) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".r.writing-")
        (tmp / "x").write_text("half")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../x", "a/b", "/tmp/x", "..", ".hidden", ""])
def test_chart_names_cannot_leave_their_folder(name, tmp_path):
    inner = tmp_path / "charts"
    with pytest.raises(ValueError, match="unsafe chart file name"):
        plotting.save(plt.figure(), inner, name)
    assert list(tmp_path.iterdir()) == []


def test_report_html_embeds_only_its_own_charts(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"SECRET-BYTES")
    folder = tmp_path / "r"
    (folder / "charts").mkdir(parents=True)
    (folder / "charts" / "dashboard-zh.png").write_bytes(b"CHART-BYTES")
    md = "\n".join(["# t", f"![a]({secret})", "![b](../secret.png)", "![c](charts/../../secret.png)",
                    "![d](charts/dashboard-zh.png)"])
    page = to_html(md, folder, "t")
    assert base64.b64encode(b"SECRET-BYTES").decode() not in page
    assert base64.b64encode(b"CHART-BYTES").decode() in page


@pytest.mark.parametrize("key", ["title", "title_zh"])
def test_a_title_cannot_smuggle_an_image_line(capsys, tmp_path, key):
    """A newline in a title would have put '![x](/etc/hostname)' on a line of its own in report.md."""
    line = next(x for x in TITLES.splitlines() if x.startswith(f"{key} = "))
    text = ONE_TARGET.replace(line, f'{key} = "plan\\n![x](/etc/hostname)"')
    err = rejected(capsys, ["validate", str(write(tmp_path, text))])
    assert f"scenario.{key}:" in err


def test_chart_command_refuses_a_tampered_summary(capsys, tmp_path):
    out = tmp_path / "r"
    assert main(["run", str(write(tmp_path, ONE_TARGET)), "-n", "1", "-w", "1", "--no-progress",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    summary["targets"][0]["indicator"] = "../../../evil"
    (out / "summary.json").write_text(json.dumps(summary), "utf-8")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    err = rejected(capsys, ["chart", str(out)])
    assert "targets[1] (high-tech-2026).indicator: unknown indicator" in err
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_a_title_that_mathtext_cannot_parse_still_draws_its_charts(capsys, tmp_path):
    """The title goes into every fan chart. Its dollar signs are an even number, so mathtext, were it on, would
    read '$x^{$' as TeX and fail on the open brace as the chart is saved (an odd number it leaves as text)."""
    text = titled(ONE_TARGET, '"cost $x^{$ and $y$"')  # the Chinese charts carry title_zh
    out = tmp_path / "r"
    assert main(["run", str(write(tmp_path, text)), "-n", "1", "-w", "1", "--no-progress", "--out", str(out)]) == 0
    assert (out / "charts" / "fan-high_tech-zh.png").is_file()


@pytest.mark.parametrize("title", ["$x$ 2026", "cost $5 and $6"])
def test_dollar_signs_in_a_title_are_drawn_as_written(title):
    """Mathtext would draw '$x$' as an italic x and '$5 and $' as '5and', dropping the dollar signs and spaces:
    the fan chart's subtitle, which carries the scenario's title, is as wide as the same string as plain text."""
    import datetime as dt

    import numpy as np

    dates = [dt.date(2024 + m // 12, m % 12 + 1, 1) for m in range(36)]
    fig = plotting.fan_chart(np.linspace(1000, 1500, 36) * np.ones((5, 1)), dates, "high_tech", "en", title)
    subtitle = next(x for x in fig.texts if title in x.get_text())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    plain = fig.text(0, 0, subtitle.get_text(), fontproperties=subtitle.get_fontproperties(), parse_math=False)
    assert subtitle.get_window_extent(renderer).width == pytest.approx(plain.get_window_extent(renderer).width)
    plt.close(fig)


# ------------------------------------------------------------------ size limit, refused before parsing
def test_size_limit_is_exact_and_checked_before_parsing(capsys, tmp_path, monkeypatch):
    body = PLAN_TEXT.encode("utf-8")
    at_limit = write(tmp_path, body + b"#" * (MAX_FILE_BYTES - len(body)), "at.toml")
    assert at_limit.stat().st_size == MAX_FILE_BYTES
    assert main(["validate", str(at_limit)]) == 0
    over = write(tmp_path, body + b"#" * (MAX_FILE_BYTES - len(body) + 1), "over.toml")
    parsed = []
    monkeypatch.setattr(scenario.tomllib, "loads", lambda text: parsed.append(text) or tomllib.loads(text))
    err = rejected(capsys, ["validate", str(over)])
    assert "(file): file is 1000001 bytes, above the 1000000-byte limit" in err
    assert parsed == []


def test_a_file_that_lies_about_its_size_is_read_only_to_the_limit(tmp_path, monkeypatch):
    """/proc files report size 0; a file may grow after the size check: at most the limit + 1 byte is read."""
    f = write(tmp_path, PLAN_TEXT + "#" * 2_000_000)
    real_stat = Path.stat

    def small_stat(self, *a, **k):
        st = real_stat(self, *a, **k)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:])) if self == f else st

    monkeypatch.setattr(Path, "stat", small_stat)
    with pytest.raises(InputError, match="above the 1000000-byte limit"):
        load_scenario(f)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_not_a_regular_file_is_refused_without_reading(kind, capsys, tmp_path):
    """A named pipe would block a reader forever and /dev/zero never ends: neither is opened."""
    f = tmp_path / "s.toml"
    if kind == "fifo":
        os.mkfifo(f)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", f)
    else:
        f.mkdir()
    err = rejected(capsys, ["validate", str(f)])
    assert "(file): not a regular file" in err


def test_a_path_too_long_for_the_system_is_one_line(capsys, tmp_path):
    err = rejected(capsys, ["validate", str(tmp_path / ("a" * 5000))])
    assert "(file): cannot read the file: File name too long" in err and len(err) < 1000
    err = rejected(capsys, ["run", str(PLAN), "--out", str(tmp_path / ("b" * 5000))])
    assert "--out: cannot write the results folder: File name too long" in err


def test_schema_out_that_cannot_be_written_is_one_line(capsys, tmp_path):
    err = rejected(capsys, ["schema", "--out", str(tmp_path / "no-such-folder" / "x.json")])
    assert "--out: cannot write the schema: No such file or directory" in err


# ------------------------------------------------------------------ deep and huge documents
DEEP = {
    "nested-arrays": "x = " + "[" * 300_000 + "]" * 300_000,
    "nested-inline-tables": "x = " + "{a = " * 100_000 + "1" + "}" * 100_000,
    "dotted-key": "baseline." + ".".join(["a"] * 400_000) + " = 1",
    "inline-dotted-key": "x = {" + ".".join(["a"] * 400_000) + " = 1}",
    "table-header": "[" + ".".join(["b"] * 400_000) + "]",
    "moderately-deep": "x = " + "[" * 40 + "1" + "]" * 40,
    "deep-tables": "[" + ".".join(["b"] * 40) + "]\nx = 1",
    "huge-integer": "x = " + "9" * 900_000,
    "huge-array": "[costs]\nservices_index = [" + ", ".join(["0.5"] * 150_000) + "]",
    "many-targets": "\n".join(PLAN_TEXT[PLAN_TEXT.index("[[targets]]"):] for _ in range(60)),
    "long-key": "x" * 900_000 + " = 1",
}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_deep_or_huge_documents_are_refused_cheaply(kind, capsys, tmp_path):
    """Each ends in one line; none recurses (a RecursionError would escape), none takes quadratic time
    (a 400,000-part dotted key took tomllib hours), none holds more than 100 MB."""
    text = DEEP[kind] + "\n" + PLAN_TEXT if not DEEP[kind].startswith("[") else PLAN_TEXT + "\n" + DEEP[kind]
    f = write(tmp_path, text)
    assert f.stat().st_size <= MAX_FILE_BYTES
    tracemalloc.start()
    try:
        err = rejected(capsys, ["validate", str(f)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20, peak
    assert len(err) < 1000


def test_documents_nested_past_the_limit_name_the_place(capsys, tmp_path):
    text = PLAN_TEXT.replace("[levers]\n", "[levers]\nx = " + "[" * 20 + "1" + "]" * 20 + "\n", 1)
    err = rejected(capsys, ["validate", str(write(tmp_path, text))])
    assert "levers.x[1][1]" in err and "nested more than 16 levels" in err


def test_deep_tables_in_both_files_of_an_extends_chain(capsys, tmp_path):
    """merge() recurses over tables common to a file and its parent: depth is refused before it."""
    deep = "[" + ".".join(["t"] * 60) + "]\nx = 1\n"
    write(tmp_path, PLAN_TEXT + "\n" + deep, "base.toml")
    err = rejected(capsys, ["validate", str(write(tmp_path, 'extends = "base.toml"\n' + deep))])
    assert "nested more than 16 levels" in err


# ------------------------------------------------------------------ bounds that keep the model finite
@pytest.mark.parametrize("entry", ["tech_firms", "above_scale_share", "revenue_pareto_alpha", "rd_total", "gdp"])
def test_baseline_overrides_that_divided_by_zero_are_refused(entry):
    with pytest.raises(InputError, match=f"baseline: {entry} = 0.0 is outside"):
        parse_scenario(doc_with(("baseline", entry), 0.0), "f")


@pytest.mark.parametrize(("path", "value"), [
    (("baseline", "new_market_entities"), 1e9),  # ran for hours
    (("levers", "attracted_firms_per_year"), 1e6),  # ran for hours
    (("levers", "young_talents_per_year"), MAX_COUNT + 1),
    (("levers", "budget", "guidance_fund_equity"), MAX_MONEY * 1.01),
    (("costs", "attracted_firms_per_year"), 1e300),
    (("ranges", "services_index"), [0, 2]),  # a share's range above 1 was accepted
    (("ranges", "attracted_firms_per_year"), [0, 1e9]),
    (("ranges", "budget", "rent_subsidy"), [0, 1e300]),
])
def test_values_beyond_the_limits_are_refused(path, value):
    with pytest.raises(InputError, match=path[-1]):
        parse_scenario(doc_with(path, value), "f")


def test_every_profile_lies_within_the_baseline_bounds():
    assert set(BASELINE_BOUNDS) == set(REQUIRED)
    for name, profile in PROFILES.items():
        for key in REQUIRED:
            lo, hi = BASELINE_BOUNDS[key]
            e = profile.entries[key]
            vals = e["range"] if "range" in e else [e["value"]]
            assert all(lo <= float(v) <= hi for v in vals), (name, key, vals)


EDGES = [("tech_firms", 1), ("above_scale_share", 0.001), ("above_scale_share", 1), ("revenue_pareto_alpha", 0.5),
         ("revenue_pareto_alpha", 5), ("rd_total", 1), ("gdp", 1), ("gdp_growth", 1), ("rd_firm_share", 0),
         ("incubator_places", 0), ("researcher_slack", 0)]


@pytest.mark.parametrize(("entry", "value"), EDGES)
def test_the_model_runs_at_the_edges_of_the_bounds(entry, value):
    """The lowest and highest accepted values run a replication to the end with finite numbers."""
    import numpy as np

    doc = doc_with(("baseline", entry), value)
    doc["scenario"]["end"] = "2024-12"
    doc["targets"] = [t for t in doc["targets"] if t["year"] == 2024]
    values = run_replication(parse_scenario(doc, "f"), 0, 1)
    assert np.isfinite(values).all()


def test_messages_are_one_safe_line():
    err = InputError("f\n.toml", "levers.\x1b[31mred\u202e\nx", "a\nb " + "y" * 5000)
    text = str(err)
    assert "\n" not in text and "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[31mred\\u202e\\nx" in text and "f\\n.toml" in text and len(text) < 1000
