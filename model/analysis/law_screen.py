"""The law screen: a fitted particle is kept only if fresh runs of the historical places obey the plausibility laws.

ABC-SMC accepts a particle on one run of each place, at the fit's scale (the city at one firm in 20), and reads
the growth laws as one more figure (`growth_excess_*`, a miss measured in its width, which the final tolerance
forgives in part). A particle whose stocks break a law in most runs can so pass on one run: with the fit of
2026-12-04, Beijing's run broke a growth law in 7 of 40 replications, mostly the 2016 high-tech jump of particles
with a strict pre-2016 staff rule, whose held-back firms the 2016 rules released in one year (docs/history.md, "The
law screen", gives what the screen dropped and the laws measured after it). The laws are not figures to be fitted
but bounds no documented place has crossed (model/laws.py), so a particle that crosses them in a fresh run of a
documented place is not a plausible account of it. The screen runs every particle `replications` times on each
historical scenario (or those `--screen-places` names) at its own scale to SCREEN_YEARS past its horizon
(`--screen-years`) with every law checked each month (`--debug`), and drops those that break one.

It trims the tail; it does not make a breach impossible: a particle that passed its runs can still break a law
in another.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import laws
from ..execution.parallel import Pool
from ..months import run_until
from ..parameters import ParameterSource
from ..scenario import Scenario
from ..sim import EcosystemModel

SCREEN_REPLICATIONS = 3  # fresh runs of each place per particle (`innosim calibrate --law-screen N`)
# Years past each place's horizon the screen runs (`--screen-years N`): the laws test runs every shipped scenario ten
# years past its horizon (tests/test_laws.py), and a place's horizon can fall before a rule change its extension
# meets (E-Town's ends in 2020, before the 2022 专精特新 rules).
SCREEN_YEARS = 10
# The first screen's runs are replications FIRST_REPLICATION, +1, ... of each scenario's seed, a further screen's
# those after the earlier screens' runs (next_replication): no run, backtest or law measurement of the historical
# scenarios (at most 100,000 replications) uses them, so a measurement after the screen is of runs it never saw.
FIRST_REPLICATION = 1_000_000


@dataclass(frozen=True)
class Dropped:
    particle: int  # row of the screened posterior
    values: dict[str, float]
    place: str
    replication: int
    breach: str  # the law, the month and the value, as LawBroken says them


def _checked(scenario: Scenario, names: tuple[str, ...], values: tuple[float, ...], replication: int
             ) -> EcosystemModel:
    """A run of the particle with every law checked each month."""
    return EcosystemModel(scenario, replication=replication, debug=True, parameters=_particle(names, values))


def _particle(names: tuple[str, ...], values: tuple[float, ...]) -> ParameterSource:
    """One particle as a posterior of one row: every replication draws it."""
    return ParameterSource("posterior", names, (values,), (1.0,))


def first_breach(scenario: Scenario, names: tuple[str, ...], values: tuple[float, ...], replication: int) -> str:
    """The first law one run of the particle breaks ('' when it keeps every law to the horizon)."""
    return replication_breach(scenario, replication, None, _particle(names, values))


def replication_breach(scenario: Scenario, replication: int, seed: int | None, parameters: ParameterSource) -> str:
    """The first law a replication breaks, as `innosim run --debug` draws it ('' when it keeps every law)."""
    try:
        EcosystemModel(scenario, replication=replication, seed=seed, debug=True, parameters=parameters).run()
    except laws.LawBroken as e:
        return str(e).removeprefix("plausibility law broken: ")
    return ""


def past(years: int) -> str:
    """How far a screen's runs go, in words."""
    return f"{years} years past its horizon" if years else "its horizon"


def extended(scenarios: dict[str, Scenario], years: int) -> dict[str, Scenario]:
    """Each scenario run `years` past its horizon (as `innosim run --until`)."""
    return {k: run_until(sc, int(sc.scenario.end[:4]) + years) if years else sc for k, sc in scenarios.items()}


def timed_run(scenario: Scenario, names: tuple[str, ...], values: tuple[float, ...], replication: int) -> float:
    """Seconds of one screen run to the scenario's end. A run that breaks a law stops there, so its months after the
    spin-up are timed to the breach and scaled to the whole run."""
    t0 = time.perf_counter()
    model = _checked(scenario, names, values, replication)
    t1 = time.perf_counter()
    try:
        model.run()
        done = model.months
    except laws.LawBroken:  # raised in the month's step, before its count moves on
        done = model.month + 1
    return (t1 - t0) + (time.perf_counter() - t1) * model.months / done


def screen(samples: dict[str, np.ndarray], scenarios: dict[str, Scenario], replications: int,
           pool: Pool, first: int = FIRST_REPLICATION) -> tuple[np.ndarray, list[Dropped]]:
    """(rows kept, the particles dropped with the first breach each showed) of a posterior's particles, each run
    on replications `first`, `first` + 1, ... of each place."""
    names = tuple(sorted(samples))
    n = len(samples[names[0]]) if names else 0
    rows = [tuple(float(samples[k][i]) for k in names) for i in range(n)]
    reps = range(first, first + replications)
    tasks = [(sc, names, rows[i], r) for i in range(n) for sc in scenarios.values() for r in reps]
    where = [(i, place, r) for i in range(n) for place in scenarios for r in reps]
    found: dict[int, Dropped] = {}
    for (i, place, r), breach in zip(where, pool.map(first_breach, tasks, desc="law screen"), strict=True):
        if breach and i not in found:
            found[i] = Dropped(i, dict(zip(names, rows[i], strict=True)), place, r, breach)
    kept = np.array([i for i in range(n) if i not in found], dtype=int)
    return kept, [found[i] for i in sorted(found)]


def records(dropped: list[Dropped]) -> list[dict]:
    """What posterior.json records of each particle a screen dropped."""
    return [{"values": d.values, "place": d.place, "replication": d.replication, "breach": d.breach} for d in dropped]


# ------------------------------------------------------------------ the record in posterior.json
def unscreened(meta: object) -> int | None:
    """The law screen's runs per particle when a posterior was saved before its screen (stopped by Ctrl-C), else
    None: its particles have not been checked against the plausibility laws. Never an error: a record edited by hand
    that still says pending, but not as a count of runs, gives the default count."""
    record = meta.get("law_screen") if isinstance(meta, dict) else None
    pending = record.get("pending") if isinstance(record, dict) else None
    if pending is None or pending is False or pending == 0:
        return None
    return pending if type(pending) is int and pending > 0 else SCREEN_REPLICATIONS


def next_replication(record: dict) -> int:
    """The first replication of a further screen: past every run the earlier screens made (a screen recorded before
    2026-12-05's seventh stop started at FIRST_REPLICATION), so that a screen repeated on a place (`--screen-places`)
    runs fresh replications, not those its particles already passed."""
    return max((s.get("first_replication", FIRST_REPLICATION) + s.get("replications", 0)
                for s in screens_of(record)), default=FIRST_REPLICATION)


def screens_of(record: dict) -> list[dict]:
    """The screens a posterior's law_screen record lists (a record of d0fdfe5's form, one screen, read as a list)."""
    if "screens" in record:
        return record["screens"]
    keys = ("replications", "places", "screened", "dropped")
    return [{k: record[k] for k in keys}] if "replications" in record else []


def screen_pending(meta_file: Path, db: Path) -> int | None:
    """The law screen's runs when the fit in `meta_file` was saved unscreened after the database's last generation
    (a Ctrl-C in the screen), else None; never an error (it runs while Ctrl-C is handled)."""
    try:
        if meta_file.stat().st_mtime < db.stat().st_mtime:
            return None
        return unscreened(json.loads(meta_file.read_text("utf-8")))
    except (OSError, ValueError):
        return None
