"""An interrupted `innosim calibrate` resumes from its database; one that cannot resume says so in one line.

The kill is real: a calibration on a tiny budget runs in a session of its own, its main process gets
SIGKILL while pyabc's workers are sampling, and nothing of it may be left 5 s later.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest
from processes import HAVE_PROC, abort_with_stacks, cpu_seconds, kill_main, start, wait_for, wait_gone, workers

from model.analysis import calibration as cal
from model.cli import main

# One replication a particle (the default); no law screen (tests/test_law_screen.py), so that the resumed session's
# posterior is the last generation's 10 particles, and the resume hint must carry the non-default --law-screen.
SETTINGS = ["--population", "10", "--law-screen", "0", "--workers", "2"]
# The killed session's budget only has to outlast generation 0. The budget counts the particles of every
# session and is a cap (abc_sampling.within_budget): the resumed one gets 10 more than were spent, so it samples
# the generation that was cut off, about 10 particles, and its time does not hang on acceptance rates.
FIRST = ["--simulations", "1000", *SETTINGS]


def started(log, generation: int) -> bool:
    """pyabc has logged the start of `generation`, so the one before is in the database."""
    return re.search(rf"^ABC INFO: t: {generation},", log.read_text(errors="replace"), re.M) is not None


def stored(db) -> dict[int, tuple]:
    """Generation -> (run, end time, particles simulated) of every generation in the database."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT t, abc_smc_id, population_end_time, nr_samples FROM populations").fetchall()
    finally:
        con.close()
    return {t: rest for t, *rest in rows}


@pytest.mark.skipif(not HAVE_PROC, reason="reads the process table from /proc (Linux)")
def test_kill_9_leaves_no_process_and_resume_ends_with_a_posterior(tmp_path):
    out, log = tmp_path / "cal", tmp_path / "log"
    db = out / cal.DB_FILE
    proc = start(["calibrate", "--out", str(out), *FIRST], log)
    wait_for(lambda: started(log, 1) and len(workers(proc.pid)) >= 2, proc, log,
             "generation 0 stored and workers sampling generation 1")
    left, _ = kill_main(proc)
    assert not left, f"alive 5 s after kill -9 of calibrate: {left}"
    assert not (out / cal.POSTERIOR_CSV).exists()
    before = stored(db)
    assert max(before) == 0, before  # generation 1 was cut off

    spent = sum(particles for _run, _end, particles in before.values())
    resumed = ["--simulations", str(spent + 10), *SETTINGS, "--report-replications", "2"]  # the report's cost is not
    # what this tests (20 runs of each place by default)
    again = subprocess.run([sys.executable, "-m", "model", "calibrate", "--out", str(out), *resumed, "--resume"],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert (out / cal.POSTERIOR_CSV).is_file() and "with this posterior, 2 replications of each place" in (
        out / "report.md").read_text("utf-8")
    after = stored(db)
    assert {t: after[t] for t in before} == before  # the same run
    post = cal.load_posterior(out)
    assert post is not None and len(post.weights) == 10 and abs(post.weights.sum() - 1) < 1e-9
    # continued: generation 1 was sampled again, and stored or cut by the budget (a simulation over it at most: two
    # workers, and pyabc counts outside its lock)
    cut = post.meta.get("budget_cut") or {}
    assert max(after) >= 1 or (cut.get("generation") == 1 and 0 < cut["simulations"] <= 11), (after, cut)


@pytest.mark.skipif(not HAVE_PROC, reason="reads the process table from /proc (Linux)")
def test_ctrl_c_stops_calibrate_and_says_how_to_resume(tmp_path):
    out, log = tmp_path / "cal", tmp_path / "log"
    proc = start(["calibrate", "--out", str(out), *FIRST], log)
    # Workers with some CPU time have made their first model call, where they leave Ctrl-C to the main process;
    # a signal in the instant between pyabc's fork and that call would still print a KeyboardInterrupt.
    wait_for(lambda: started(log, 0) and sum(cpu_seconds(pid) >= 0.3 for pid in workers(proc.pid)) >= 2, proc, log,
             "workers sampling generation 0")
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole foreground group
    try:
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        abort_with_stacks(proc.pid)
        raise AssertionError(f"calibrate still running 60 s after Ctrl-C; stacks:\n{log.read_text()[-8000:]}") from None
    assert code == 130
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]
    assert f"innosim: interrupted; the finished generations are kept in {out / cal.DB_FILE}" in text
    assert text.rstrip().endswith(f"resume with: innosim calibrate {' '.join(FIRST)} --out {out} --resume")
    assert not wait_gone(proc.pid, 5.0)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    """A real calibration database, from a few particles of the small E-Town in this process."""
    from model.analysis.recovery import end_statistics, small_scenario

    db = tmp_path_factory.mktemp("db") / cal.DB_FILE
    targets = [cal.Target("high_tech_end", 150.0, 250.0, (), "")]
    cal.abc_smc({"bda": small_scenario()}, targets,
                cal.Settings(population=6, simulations=12, replications=1, workers=1, max_generations=2,
                             priors={"exit_hazard_old": (0.05, 0.12)}),
                db, statistic=end_statistics, progress=False)
    return db


def _sql(db, *statements: str) -> None:
    con = sqlite3.connect(db)
    try:
        for s in statements:
            con.execute(s)
        con.commit()
    finally:
        con.close()


def _scribble(db) -> None:
    """Garbage over the pages after the first, as a bad disk or a half-finished copy would leave."""
    data = bytearray(db.read_bytes())
    data[4096:12288] = b"\xa5" * 8192
    db.write_bytes(bytes(data))


DAMAGE = {
    "empty": lambda db: db.write_bytes(b""),
    "a text file": lambda db: db.write_text("not a database\n"),
    "cut to half": lambda db: db.write_bytes(db.read_bytes()[: len(db.read_bytes()) // 2]),
    "cut to one page": lambda db: db.write_bytes(db.read_bytes()[:4096]),
    "scribbled over": _scribble,
    "another database": lambda db: (db.unlink(), _sql(db, "CREATE TABLE notes (text)")),
    "no calibration run": lambda db: _sql(db, "DELETE FROM abc_smc"),
    "an older pyabc format": lambda db: _sql(db, "UPDATE version SET version_num = '0'"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_database_that_cannot_resume_gives_one_line_and_exit_2(damage, small_db, tmp_path, capsys):
    db = tmp_path / cal.DB_FILE
    shutil.copy(small_db, db)
    DAMAGE[damage](db)
    assert main(["calibrate", "--resume", "--out", str(tmp_path), "--workers", "1"]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # refused before any work
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"innosim: error: {db}: --resume: ") and "Traceback" not in err


def test_the_undamaged_database_passes_the_check(small_db):
    from model.analysis.calibration_db import check_resumable

    check_resumable(small_db)


def test_resume_without_a_database_says_so(tmp_path, capsys):
    assert main(["calibrate", "--resume", "--out", str(tmp_path)]) == 2
    assert "no calibration database to resume" in capsys.readouterr().err

