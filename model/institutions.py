"""Incubators (孵化器) and innovation platforms (创新平台) as Mesa agents.

Institutions are few (tens to hundreds), so one agent each is cheap and readable. Their
effect on firms is applied with array operations over the firm table.
"""

from __future__ import annotations

import mesa
import numpy as np

from .firms import NONE
from .sectors import N_SECTORS
from .streams import hashed_uniforms, keyed_uniforms


class Incubator(mesa.Agent):
    """A place that hosts start-ups for a while; hosted firms survive and grow better."""

    def __init__(self, model: mesa.Model, level: str, capacity: int, opened: int) -> None:
        super().__init__(model)
        self.level = level  # "ordinary" or "municipal"
        self.capacity = int(capacity)
        self.opened = opened  # model month
        self.occupancy = 0
        self.admitted = 0
        self.graduated = 0



def graduate(model: mesa.Model, incubators: list[Incubator]) -> int:
    """Release firms whose stay is over, who outgrew the incubator or who exited."""
    f, month = model.firms, model.month
    inside = f.incubator != NONE
    done = inside & (~f.alive | (f.incubated_until <= month) | (f.revenue >= 2000.0))
    by_owner = np.bincount(f.incubator[done & f.alive], minlength=model.agent_id_counter + 1)
    f.incubator[done] = NONE
    f.incubated_until[done] = np.minimum(f.incubated_until[done], month)
    occupancy = np.bincount(f.incubator[f.incubator != NONE], minlength=model.agent_id_counter + 1)
    for inc in incubators:
        inc.graduated += int(by_owner[inc.unique_id])
        inc.occupancy = int(occupancy[inc.unique_id])
    return int(done.sum())


def admit(model: mesa.Model, incubators: list[Incubator]) -> int:
    """Fill a share of free places with young firms not yet incubated, at random."""
    f, month, p = model.firms, model.month, model.p
    free = np.array([max(i.capacity - i.occupancy, 0) for i in incubators], dtype=int)
    # A yearly admission share spread over months, rounded stochastically; one draw per incubator,
    # keyed by the month and the incubator, so new incubators do not change the others' draws.
    want = free * p["incubator_admission_share"] / 12.0
    u = keyed_uniforms(model.keys["incubators"], month, 0, np.array([i.unique_id for i in incubators]))
    slots = np.floor(want + u).astype(int)
    total = int(slots.sum())
    if total == 0:
        return 0
    cand = np.flatnonzero(f.alive & (f.age < 24) & (f.incubator == NONE) & (f.incubated_until == NONE))
    if len(cand) == 0:
        return 0
    # at random: the firms with the smallest firm-keyed draws, so a firm's chance does not hang on the others
    luck = hashed_uniforms(model.keys["incubators"], month, 1, f.uid_hash[cand])  # only the candidates draw
    k = min(total, len(cand))
    first = np.argpartition(luck, k - 1)[:k] if k < len(cand) else np.arange(len(cand))
    chosen = cand[first[np.argsort(luck[first], kind="stable")]]  # the k smallest, in order
    owners = np.repeat([i.unique_id for i in incubators], slots)[: len(chosen)]
    f.incubator[chosen] = owners
    f.incubated_until[chosen] = month + round(p["incubation_months"])
    counts = dict(zip(*np.unique(owners, return_counts=True), strict=True))
    for inc in incubators:
        n = int(counts.get(inc.unique_id, 0))
        inc.admitted += n
        inc.occupancy += n
    return len(chosen)


class Platform(mesa.Agent):
    """An innovation platform: accredited after construction, then spills knowledge to its industry."""

    def __init__(self, model: mesa.Model, level: str, sector: int, ready: int, new: bool) -> None:
        super().__init__(model)
        self.level = level
        self.sector = int(sector)
        self.ready = ready  # model month from which it operates and counts
        self.new = new  # decided during the simulation (counts as "landed since start")

    @property
    def operating(self) -> bool:
        return self.model.month >= self.ready

    def rd_spending(self, p: dict[str, float]) -> float:
        key = {"national": "rd_per_national_platform", "municipal": "rd_per_municipal_platform",
               "joint_lab": "rd_per_joint_lab", "pilot_base": "rd_per_pilot_base"}[self.level]
        return p[key] if self.operating else 0.0


def spillover(platforms: list[Platform], p: dict[str, float], firms_by_sector: np.ndarray) -> np.ndarray:
    """Capability gain per year for firms of each industry from the density of operating platforms there
    (platforms per 1,000 firms of the industry; a national platform counts twice).

    Density, not counts: a city has thirty times a district's platforms and thirty times its firms, and
    its firms do not learn thirty times as much."""
    counts = np.zeros(N_SECTORS)
    for pl in platforms:
        if pl.operating:
            counts[pl.sector] += 2.0 if pl.level == "national" else 1.0
    density = 1000.0 * counts / np.maximum(firms_by_sector, 1.0)
    # Past the densities the evidence covers the gain is held, not extrapolated: linear, a small industry with many
    # platforms drew a capability gain of several units a year, and its firms outgrew the economy without bound.
    return p["spillover_per_density"] * np.minimum(density, p["spillover_density_cap"])
