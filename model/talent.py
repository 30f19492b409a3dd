"""Talent: the researcher pool, the talent programmes and placements of high-level talents.

Researchers are a pool (people), not agents: firms' R&D staff are limited by it. High-level
talents and funded teams are cohorts placed into firms; a placement raises the host's
capability and counts towards the plan's '服务企业引进人才不少于100人'.
"""

from __future__ import annotations

import mesa
import numpy as np

from .funds import top_k

PROGRAMME_MONTH = 3  # March: programme calls are decided early in the year


class TalentMarket(mesa.Agent):
    def __init__(self, model: mesa.Model, researchers: float, high_level_per_year: float) -> None:
        super().__init__(model)
        self.researchers = float(researchers)
        self.high_level_per_year = float(high_level_per_year)
        self.arrived = 0  # high-level talents arrived since start
        self.waiting = 0  # arrived and not yet placed
        self.placed = 0  # since start
        self.young_funded = 0
        self.teams_funded = 0
        self.fill = 1.0  # share of firms' desired R&D staff that the pool can fill

    def demand(self) -> float:
        f = self.model.firms
        return float((f.staff_share * f.employees())[f.alive].sum())

    def step(self) -> None:
        m = self.model
        p, rng, levers = m.p, m.streams["talent"], m.levers
        services = 1.0 + p["talent_services_effect"] * levers.services_index
        demand = self.demand()
        gap = max(demand - self.researchers, 0.0)
        self.researchers += self.researchers * (p["talent_inflow_rate"] * services - p["talent_outflow_rate"]) / 12.0
        self.researchers += p["talent_market_response"] * gap / 12.0
        self.fill = min(1.0, self.researchers / demand) if demand > 0 else 1.0
        f = m.firms
        f.staff_eff[:] = f.staff_share * self.fill
        new = int(rng.poisson(self.high_level_per_year * services / 12.0))
        self.arrived += new
        self.waiting += new
        self._place(m.government.take("talents_placed_per_year"))
        if m.calendar_month == PROGRAMME_MONTH:
            self._programmes()

    def _host_score(self) -> np.ndarray:
        f = self.model.firms
        return f.capability + 10.0 * f.rd_ratio + self.model.streams["talent"].gumbel(0.0, 0.3, f.n)

    def _place(self, quota: int) -> None:
        """Place up to `quota` waiting talents, never more than have arrived."""
        n = min(quota, self.waiting)
        if n <= 0:
            return
        f = self.model.firms
        hosts = top_k(self._host_score(), f.alive & (f.rd_ratio > 0.02), n)
        f.capability[hosts] += self.model.p["talent_capability_gain"]
        self.waiting -= len(hosts)
        self.placed += len(hosts)
        self.researchers += len(hosts)

    def _programmes(self) -> None:
        """Fund the year's young talents and teams as far as the talent-grant budget allows."""
        m, p = self.model, self.model.p
        ledger = m.fund.ledgers["talent_grant"]
        teams = round(m.government.yearly("talent_teams_per_year"))
        young = round(m.government.yearly("young_talents_per_year"))
        teams = ledger.buy(teams, p["team_grant"])
        young = ledger.buy(young, p["young_talent_grant"])
        f = m.firms
        hosts = top_k(self._host_score(), f.alive, teams + young)
        f.capability[hosts[:teams]] += p["team_capability_gain"]
        f.capability[hosts[teams:]] += p["talent_capability_gain"] * 0.5
        self.teams_funded += teams
        self.young_funded += young
        self.researchers += young + 5 * teams  # a team brings about five researchers
