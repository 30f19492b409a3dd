"""Talent: the researcher pool, the talent programmes and placements of high-level talents.

Researchers are pools (people) by industry, not agents: a firm's R&D staff is limited by the
pool of its industry. High-level talents and funded teams are cohorts placed into firms for
HOST_MONTHS; while they are there the host grows faster (growth_talent_boost, growth_team_boost),
and a firm hosts one talent and one team at a time, so placements spread over firms rather than
piling onto the same few. Placements count towards the plan's '服务企业引进人才不少于100人'.
"""

from __future__ import annotations

import mesa
import numpy as np

from .funds import month_merit, ranking_scores, top_k
from .sectors import N_SECTORS
from .streams import skip

PROGRAMME_MONTH = 3  # March: programme calls are decided early in the year
HOST_MONTHS = 36  # a placed talent or a funded team works with its host for three years (estimate)


class TalentMarket(mesa.Agent):
    def __init__(self, model: mesa.Model, slack: float, high_level_per_year: float) -> None:
        super().__init__(model)
        self.pool = self.demand() * (1.0 + slack)  # researchers by industry
        self.high_level_per_year = float(high_level_per_year)
        self.arrived = 0  # high-level talents arrived since start
        self.waiting = 0  # arrived and not yet placed
        self.placed = 0  # since start
        self.young_funded = 0
        self.teams_funded = 0
        self.fill = np.ones(N_SECTORS)  # share of desired R&D staff each industry's pool can fill

    def hold_scarcity(self) -> None:
        """Before the settle changes the firms: remember each industry's pool over its demand (rescale_pool)."""
        d = self.demand()
        self._ratio = np.divide(self.pool, d, out=np.ones(N_SECTORS), where=d > 0)

    def rescale_pool(self) -> None:
        """After the settle changed the firms (count, sizes, staff wanted): each industry's pool follows its demand,
        keeping the scarcity or surplus the spin-up's market reached. Resetting it to demand plus the
        profile's slack instead filled every firm's R&D staff at the hand-over, a state the market then
        left within the first years (mean fill 1.0 at the baseline, 0.93-0.97 three years on), so more
        firms met the high-tech staff rule in year 1 than later."""
        f = self.model.firms
        self.pool = self.demand() * self._ratio
        self.fill = np.minimum(1.0, self._ratio)
        f.staff_eff[:] = f.staff_share * self.fill[f.sector]

    def restart(self) -> None:
        """The run starts: the pool stays as the settle left it (rescale_pool), the plan's counts start from zero."""
        self.arrived = self.waiting = self.placed = 0
        self.young_funded = self.teams_funded = 0

    @property
    def researchers(self) -> float:
        return float(self.pool.sum())

    def demand(self) -> np.ndarray:
        """Desired R&D staff by industry."""
        f = self.model.firms
        want = f.staff_share * f.employees()
        want[~f.alive] = 0.0
        return np.bincount(f.sector, weights=want, minlength=N_SECTORS)

    def add(self, people: float, sectors: np.ndarray) -> None:
        """Researchers who arrive with placements and programmes join their host's industry."""
        if len(sectors):
            self.pool += people * np.bincount(sectors, minlength=N_SECTORS)

    def step(self) -> None:
        m = self.model
        p, levers = m.p, m.levers
        services = 1.0 + p["talent_services_effect"] * levers.services_index
        demand = self.demand()
        # Migration closes the gap to demand both ways (surplus researchers leave); net inflow,
        # raised by services (温度), keeps a pool above demand.
        self.pool += self.pool * (p["talent_inflow_rate"] * services - p["talent_outflow_rate"]) / 12.0
        self.pool += p["talent_market_response"] * (demand - self.pool) / 12.0
        self.pool = np.maximum(self.pool, 0.0)
        self.fill = np.minimum(1.0, np.divide(self.pool, demand, out=np.ones(N_SECTORS), where=demand > 0))
        f = m.firms
        f.staff_eff[:] = f.staff_share * self.fill[f.sector]
        arrivals = np.random.default_rng([m.keys["talent"], m.month])  # keyed by month, not by what came before
        new = int(arrivals.poisson(self.high_level_per_year * services / 12.0))
        self.arrived += new
        self.waiting += new
        # one host-score draw a month for placements, then one in March for the programmes: neither
        # depends on the other's quota
        self._place(m.government.take("talents_placed_per_year"))
        if m.calendar_month == PROGRAMME_MONTH:
            self._programmes()

    def _host_score(self, mask: np.ndarray) -> np.ndarray:
        m = self.model
        # firm-keyed: which firms host talents does not depend on how many firms there are
        return ranking_scores(month_merit(m), mask, m.firm_streams["talent"], m.p["review_noise"])

    def _place(self, quota: int) -> None:
        """Place up to `quota` waiting talents, never more than have arrived."""
        n = min(quota, self.waiting)
        f = self.model.firms
        if n <= 0:
            skip(self.model.firm_streams["talent"], f.n)
            return
        month = self.model.month
        mask = f.alive & (f.rd_ratio > 0.02) & (f.talent_until <= month)
        hosts = top_k(self._host_score(mask), mask, n)
        f.talent_until[hosts] = month + HOST_MONTHS
        self.waiting -= len(hosts)
        self.placed += len(hosts)
        self.add(1.0, f.sector[hosts])

    def _programmes(self) -> None:
        """Fund the year's young talents and teams as far as the talent-grant budget allows."""
        m, p = self.model, self.model.p
        ledger = m.fund.ledgers["talent_grant"]
        teams = round(m.government.yearly("talent_teams_per_year"))
        young = round(m.government.yearly("young_talents_per_year"))
        teams = ledger.buy(teams, p["team_grant"])
        young = ledger.buy(young, p["young_talent_grant"])
        f, month = m.firms, m.month
        free = f.alive & ((f.team_until <= month) | (f.talent_until <= month))
        score = self._host_score(free)
        team_hosts = top_k(score, free & (f.team_until <= month), teams)
        taken = np.zeros(f.n, bool)
        taken[team_hosts] = True
        young_hosts = top_k(score, free & ~taken & (f.talent_until <= month), young)
        f.team_until[team_hosts] = month + HOST_MONTHS
        f.talent_until[young_hosts] = month + HOST_MONTHS
        self.teams_funded += teams
        self.young_funded += young
        self.add(1.0, f.sector[young_hosts])
        self.add(5.0, f.sector[team_hosts])  # a team brings about five researchers
