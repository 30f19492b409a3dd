"""Generated scenario files: `innosim validate` and `innosim run` end every one with success, or with
exit code 2 and one line `innosim: error: FILE: FIELD: reason`; never a traceback, never anything
written for an invalid file. The strategies are in scenario_gen.py.

The suite runs a few hundred cases (derandomized, so CI sees the same ones every time);
`make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs thousands, randomly, remembering failures in .hypothesis/.
INNOSIM_FUZZ_RECORD=FILE records every case's outcome as a JSON line instead of failing (a survey:
how many inputs were tried and how many failed, by kind); there a case still running after
INNOSIM_FUZZ_HANG seconds (default 120) is recorded as a hang.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import traceback
import unicodedata
import warnings
from pathlib import Path

import pytest
import scenario_gen as gen
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from model.cli import main

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "suite")
RECORD = os.environ.get("INNOSIM_FUZZ_RECORD")
HANG_SECONDS = int(os.environ.get("INNOSIM_FUZZ_HANG", "120"))
if RECORD:  # a survey must survive the cases that would eat the machine's memory: they become MemoryError
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (12 * 2**30, resource.getrlimit(resource.RLIMIT_AS)[1]))
RUN_FILES = {"charts", "indicators.parquet", "report.html", "report.md", "scenario.json", "summary.json"}

# examples per test: (suite, fuzz)
EXAMPLES = {
    "validate_mutated": (200, 4000),
    "validate_extreme": (80, 1000),
    "validate_text": (100, 1500),
    "validate_garbage": (50, 800),
    "validate_extends": (80, 1000),
    "validate_shapes": (40, 500),
    "run_any": (40, 600),
    "subprocess": (4, 40),
}
_common = dict(deadline=None, print_blob=True, suppress_health_check=list(HealthCheck))
settings.register_profile("suite", derandomize=True, database=None, **_common)
settings.register_profile("fuzz", **_common)


def budget(name: str) -> settings:
    suite, fuzz = EXAMPLES[name]
    return settings(settings.get_profile("fuzz" if PROFILE == "fuzz" else "suite"),
                    max_examples=fuzz if PROFILE == "fuzz" else suite)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"still running after {HANG_SECONDS} s")


def call(argv: list[str], capsys) -> tuple[object, str, str, BaseException | None, list[str]]:
    """main(argv) in this process: (exit code, stdout, stderr, uncaught exception, RuntimeWarnings)."""
    capsys.readouterr()
    exc = None
    if RECORD:
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(HANG_SECONDS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code
        except Exception as e:
            code, exc = None, e
        finally:
            if RECORD:
                signal.alarm(0)
    cap = capsys.readouterr()
    runtime = sorted({f"{Path(w.filename).name}: {str(w.message)[:60]}" for w in caught
                      if issubclass(w.category, RuntimeWarning)})
    return code, cap.out, cap.err, exc, runtime


def where(exc: BaseException) -> str:
    """The innermost frame of the project's code (else the innermost frame) that raised `exc`."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}model{os.sep}" in f.filename] or frames
    f = ours[-1] if ours else None
    return f"{Path(f.filename).name}:{f.lineno}" if f else "?"


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


def message_problems(err: str, folder: Path) -> list[str]:
    """What is wrong with an error message: it must be one line naming a file of the case and a field."""
    out = []
    if err.count("\n") != 1 or not err.endswith("\n"):
        return ["message not one line"]
    line = err[:-1]
    prefix = "innosim: error: "
    if not line.startswith(prefix):
        return ["message without the innosim: error: prefix"]
    parts = line[len(prefix):].split(": ", 2)
    if len(parts) < 3 or not parts[0].startswith(str(folder)) or not parts[1].strip() or not parts[2].strip():
        out.append("message not FILE: FIELD: reason")
    if len(line) > 1000:
        out.append("message over 1000 characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in line):
        out.append("control characters in message")
    return out


def _event(text: str) -> None:
    if currently_in_test_context():
        event(text)


def check(case: gen.Case, command: str, capsys, test: str) -> tuple[object, list[str]]:
    """Write the case, run the command on it: its exit code and the problems found (none: it behaved)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, outroot = Path(tmp) / "case", Path(tmp) / "out"
        folder.mkdir()
        outroot.mkdir()
        path = case.write(folder)
        before = listing(folder)
        out_dir = outroot / "r"
        argv = [command, str(path)]
        if command == "run":
            argv += ["--replications", "1", "--workers", "1", "--no-progress", "--out", str(out_dir)]
        code, stdout, err, exc, runtime = call(argv, capsys)
        if currently_in_test_context():
            note(f"exit {code}; stderr {err[:500]!r}")
        problems = []
        if exc is not None:
            problems.append(f"{'hang' if isinstance(exc, Hang) else 'exception'} {type(exc).__name__} at {where(exc)}")
        elif code not in (0, 2):
            problems.append(f"exit code {code}")
        elif code == 2:
            _event(f"{command}: rejected")
            problems += message_problems(err, folder)
            if out_dir.exists() or listing(outroot) or listing(folder) != before:
                problems.append("written for an invalid file")
        else:
            _event(f"{command}: accepted")
            if command == "validate" and ": ok" not in stdout:
                problems.append("validate: no ok line")
            if command == "run" and not (out_dir.is_dir() and {p.name for p in out_dir.iterdir()} == RUN_FILES):
                problems.append("run: incomplete results folder")
            if command == "run" and listing(outroot) - {"r"} - {f"r/{p}" for p in listing(out_dir)}:
                problems.append("run: stray files next to the results folder")
            if listing(folder) != before:
                problems.append("run: wrote into the scenario's folder")
            if runtime:
                problems.append(f"accepted, but the model warned: {runtime[0]}")
        if RECORD:
            record(test, command, case, code, problems, err)
            return code, []
        return code, problems


def record(test: str, command: str, case: gen.Case, code, problems: list[str], err: str) -> None:
    with open(RECORD, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"test": test, "command": command, "case": case.kind, "exit": code,
                             "problems": problems, "message": err[:300]}, ensure_ascii=False) + "\n")


def assert_behaves(case, command, capsys, test):
    _, problems = check(case, command, capsys, test)
    assert not problems, problems


@budget("validate_mutated")
@given(case=gen.mutated_case())
def test_validate_mutated(case, capsys):
    assert_behaves(case, "validate", capsys, "validate_mutated")


@budget("validate_extreme")
@given(case=gen.extreme_case())
def test_validate_extreme(case, capsys):
    assert_behaves(case, "validate", capsys, "validate_extreme")


@budget("validate_text")
@given(case=gen.text_case())
def test_validate_text(case, capsys):
    assert_behaves(case, "validate", capsys, "validate_text")


@budget("validate_garbage")
@given(case=gen.garbage_case())
def test_validate_garbage(case, capsys):
    assert_behaves(case, "validate", capsys, "validate_garbage")


@budget("validate_extends")
@given(case=gen.extends_case())
def test_validate_extends(case, capsys):
    assert_behaves(case, "validate", capsys, "validate_extends")


@budget("validate_shapes")
@given(case=gen.shape_case())
def test_validate_shapes(case, capsys):
    assert_behaves(case, "validate", capsys, "validate_shapes")


@budget("run_any")
@given(case=gen.any_case(cheap=True))
def test_run(case, capsys):
    assert_behaves(case, "run", capsys, "run_any")


@budget("subprocess")
@given(case=gen.any_case(cheap=True), command=st.sampled_from(["validate", "run"]))
def test_real_process(case, command):
    """A few cases in a real process: what a planner sees, tracebacks included."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        folder.mkdir()
        path = case.write(folder)
        out_dir = Path(tmp) / "r"
        argv = [sys.executable, "-m", "model", command, str(path)]
        if command == "run":
            argv += ["--replications", "1", "--workers", "1", "--out", str(out_dir)]
        env = {**os.environ, "PYTHONPATH": str(gen.ROOT)}
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=gen.ROOT, env=env, timeout=900)
        note(f"exit {proc.returncode}; stderr {proc.stderr[-2000:]!r}")
        problems = []
        if "Traceback" in proc.stderr:
            problems.append("traceback: " + proc.stderr.strip().splitlines()[-1][:120])
        elif proc.returncode not in (0, 2):
            problems.append(f"exit code {proc.returncode}")
        elif proc.returncode == 2:
            problems += message_problems(proc.stderr, folder)
            if out_dir.exists():
                problems.append("written for an invalid file")
        if RECORD:
            record("subprocess", command, case, proc.returncode, problems, proc.stderr)
        else:
            assert not problems, problems


def test_strategies_reach_both_outcomes(capsys):
    """The generators are not all-invalid: an unchanged library file is accepted, a broken one rejected."""
    valid = gen.Case("mutated", gen.with_library({}, cheap=True), gen.PLAN)
    assert check(valid, "validate", capsys, "self-check") == (0, [])
    broken = gen.Case("text", {"s.toml": b"[levers"}, "s.toml")
    assert check(broken, "validate", capsys, "self-check") == (2, [])
    assert message_problems("innosim: error: x: y: z\nmore\n", Path("x")) == ["message not one line"]
    assert message_problems("innosim: error: /elsewhere: y: z\n", Path("/tmp")) == ["message not FILE: FIELD: reason"]


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, *sys.argv[1:]])
