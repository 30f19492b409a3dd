"""The calibration database (pyabc's SQLite history), checked before `innosim calibrate --resume` trusts it.

A calibration killed at any moment leaves a database that resumes: pyabc writes each generation in
one transaction, and SQLite rolls an unfinished one back from its journal on the next open. What
cannot resume (a file cut short by a full disk or a bad copy, another file under the name, another
program's database, an older pyabc format) is said in one line, exit 2, rather than as a traceback
from deep inside SQLAlchemy halfway through the set-up.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..errors import InputError

HEADER = b"SQLite format 3\x00"
TABLES = ("version", "abc_smc", "populations", "models", "particles", "parameters", "samples",
          "summary_statistics")


def check_resumable(db: Path, field: str = "--resume") -> None:
    """Nothing if `db` is a pyabc calibration database SQLite reads whole; else a one-line InputError."""

    def unusable(reason: str) -> InputError:
        return InputError(str(db), field, f"{reason}; delete it and calibrate again without --resume")

    if not db.is_file():
        raise InputError(str(db), field, "no calibration database to resume")
    try:
        with db.open("rb") as fh:
            head = fh.read(len(HEADER))
    except OSError as exc:
        raise InputError(str(db), field, f"cannot read the calibration database: {exc.strerror or exc}") from None
    if head != HEADER:
        raise unusable("not an SQLite database (empty, cut short, or another kind of file)")
    try:
        # Read-write, as pyabc will open it: a journal left by a kill is rolled back now, not mistaken for damage.
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
        try:
            found = [row[0] for row in con.execute("PRAGMA integrity_check(3)")]
            if found != ["ok"]:
                raise unusable(f"the database is damaged ({'; '.join(found)})")
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = [t for t in TABLES if t not in tables]
            if missing:
                raise unusable(f"not a calibration database written by innosim calibrate (no table {missing[0]!r})")
            version = [str(row[0]) for row in con.execute("SELECT version_num FROM version")]
            from pyabc.storage.version import __db_version__

            if version != [str(__db_version__)]:
                raise unusable(f"written in pyabc's database format {version or '0'}, this pyabc reads "
                               f"{__db_version__}")
            if not con.execute("SELECT count(*) FROM abc_smc").fetchone()[0]:
                raise unusable("holds no calibration run")
            if not con.execute("SELECT count(*) FROM populations").fetchone()[0]:
                raise unusable("holds no generation, not even pyabc's set-up")
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise unusable(f"the database is damaged ({exc})") from None
    _read_as_pyabc(db, unusable)


def _read_as_pyabc(db: Path, unusable) -> None:
    """What resuming reads first, read now: values damaged inside a sound file (the particles and summary
    statistics are pickled) would otherwise fail deep in pyabc, after the set-up."""
    import pyabc

    try:
        history = pyabc.History(f"sqlite:///{db}", create=False)
        last = history.max_t
        history.observed_sum_stat()
        history.get_population(t=last)
        history.get_model_probabilities(last)
        int(history.total_nr_simulations)
    except Exception as exc:  # anything that stops pyabc reading it stops the resume as well
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise unusable(f"pyabc cannot read it ({reason})") from None


# What defines a fit's model and distance beyond its priors (calibration.Settings): a resume must keep them.
FIT_SETTINGS = {"fixed": "--fix", "fit_through": "--fit-through", "growth_slack": "--growth-slack",
                "fit_also": "--fit-also"}
FIT_RECORD = "fit-settings.json"


def record_fit(folder: Path, settings: dict) -> None:
    """Beside the database, the settings a later --resume must repeat."""
    (folder / FIT_RECORD).write_text(json.dumps(settings, sort_keys=True) + "\n", "utf-8")


def check_same_fit(folder: Path, settings: dict) -> None:
    """A one-line InputError if the database beside `folder`'s record was fitted with other --fix, --fit-through,
    --growth-slack or --fit-also (a database from before the record is not checked, and a setting the record
    predates counts as not given)."""
    record = folder / FIT_RECORD
    if not record.is_file():
        return
    try:
        earlier = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(record), "--resume", f"cannot read the fit's settings ({exc})") from None
    now = json.loads(json.dumps(settings, sort_keys=True))  # the same types a record reads back (tuples as lists)
    for key in sorted(set(earlier) | set(now)):
        if earlier.get(key) != now.get(key) and (key in earlier or now.get(key)):
            option = FIT_SETTINGS.get(key, key)
            raise InputError(str(record), option, f"the database was fitted with {earlier.get(key)!r}, this run asks "
                             f"for {now.get(key)!r}: resume with the same {option}, or calibrate afresh")
