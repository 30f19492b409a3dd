"""The law screen: a fitted particle is kept only if fresh runs of the historical places obey the plausibility laws.

ABC-SMC accepts a particle on one run of each place, at the fit's scale (the city at one firm in 20), and reads
the growth laws as one more figure (`growth_excess_*`, a miss measured in its width, which the final tolerance
forgives in part). A particle whose stocks break a law in most runs can so pass on one run. With the posterior of
2026-12-04, Beijing's run broke a growth law in 7 of 40 replications; the screen (three fresh runs of each place
per particle) dropped 28 of its 250 particles, most of them for the 2016 high-tech jump (Beijing 10, E-Town 9) and
with a strict pre-2016 staff rule (`old_staff_threshold` 0.123-0.165, the kept ones at most 0.151): the 2016 rules
released their held-back firms in one year. The laws are not figures to be fitted but bounds no documented place has
crossed (model/laws.py), so a particle that crosses them in a fresh run of a documented place is not a plausible
account of it. The screen runs every particle `replications` times on each historical scenario at its own
scale to its horizon with every law checked each month (`--debug`), and drops those that break one.

It trims the tail; it does not make a breach impossible: a particle that passed its runs can still break a law
in another (docs/history.md gives the rate measured after the screen).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import laws
from ..execution.parallel import Pool
from ..parameters import ParameterSource
from ..scenario import Scenario
from ..sim import EcosystemModel

SCREEN_REPLICATIONS = 3  # fresh runs of each place per particle (`innosim calibrate --law-screen N`)


@dataclass(frozen=True)
class Dropped:
    particle: int  # row of the screened posterior
    values: dict[str, float]
    place: str
    replication: int
    breach: str  # the law, the month and the value, as LawBroken says them


def first_breach(scenario: Scenario, names: tuple[str, ...], values: tuple[float, ...], replication: int) -> str:
    """The first law one run of the particle breaks ('' when it keeps every law to the horizon)."""
    source = ParameterSource("posterior", names, (values,), (1.0,))
    try:
        EcosystemModel(scenario, replication=replication, debug=True, parameters=source).run()
    except laws.LawBroken as e:
        return str(e).removeprefix("plausibility law broken: ")
    return ""


def screen(samples: dict[str, np.ndarray], scenarios: dict[str, Scenario], replications: int,
           pool: Pool) -> tuple[np.ndarray, list[Dropped]]:
    """(rows kept, the particles dropped with the first breach each showed) of a posterior's particles."""
    names = tuple(sorted(samples))
    n = len(samples[names[0]]) if names else 0
    rows = [tuple(float(samples[k][i]) for k in names) for i in range(n)]
    tasks = [(sc, names, rows[i], r) for i in range(n) for sc in scenarios.values() for r in range(replications)]
    where = [(i, place, r) for i in range(n) for place in scenarios for r in range(replications)]
    found: dict[int, Dropped] = {}
    for (i, place, r), breach in zip(where, pool.map(first_breach, tasks, desc="law screen"), strict=True):
        if breach and i not in found:
            found[i] = Dropped(i, dict(zip(names, rows[i], strict=True)), place, r, breach)
    kept = np.array([i for i in range(n) if i not in found], dtype=int)
    return kept, [found[i] for i in sorted(found)]


def summary(dropped: list[Dropped], screened: int, replications: int, places: list[str]) -> dict:
    """What posterior.json records of a screen."""
    return {"replications": replications, "places": places, "screened": screened, "dropped": len(dropped),
            "particles_dropped": [{"values": d.values, "place": d.place, "replication": d.replication,
                                   "breach": d.breach} for d in dropped]}
