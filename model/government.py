"""The district government: applies the scenario's levers month by month.

Commitments expressed per year (platforms, talents, pool places, scenarios) are turned into
monthly quotas by accumulation, so 5 a year means exactly 5 a year, not 5 on average. With
`adaptive = true` the plan's own loop runs (月度监测、季度调度、年度考核): each December the
government compares every target due in a later year with the straight path from the baseline
to the target and moves budget and effort towards those that are behind.
"""

from __future__ import annotations

import mesa
import numpy as np

from .certification import high_tech_rd_threshold
from .funds import top_k
from .institutions import Platform
from .lever_registry import effort

PLATFORM_LEVERS = {
    "national": "national_platforms_per_year",
    "municipal": "municipal_platforms_per_year",
    "joint_lab": "joint_labs_per_year",
    "pilot_base": "pilot_bases_per_year",
}
PLATFORM_GRANT = {"national": "platform_grant_national", "municipal": "platform_grant_municipal",
                  "joint_lab": "platform_grant_joint_lab", "pilot_base": "platform_grant_pilot"}

# Which levers and budget channels serve which target indicator (for the adaptive loop).
EFFORT = effort()


class Government(mesa.Agent):
    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.multiplier: dict[str, float] = {}  # adaptive scaling of yearly levers
        self._acc: dict[str, float] = {}
        self.platforms_waiting: dict[str, int] = {lvl: 0 for lvl in PLATFORM_LEVERS}
        self.platforms_built: dict[str, int] = {lvl: 0 for lvl in PLATFORM_LEVERS}
        # each platform's build time and sector are keyed by (level, its serial number), so adding
        # platforms of one level leaves those of another level as they were (common random numbers)
        self._platform_key = int(model.streams["platforms"].integers(2**62))
        self.incubators_added = {"municipal": 0, "ordinary": 0}
        self.incubator_retries: list[int] = []  # months at which failed municipal bids are retried
        self.scenarios_published = 0
        self.scenarios_for_attracted = 0
        self.shifts: list[str] = []  # a log of adaptive decisions, for the report

    # --- levers as quotas ---
    def yearly(self, lever: str) -> float:
        """The lever's yearly number in the model's units (a model of one firm in `scale` gets 1/scale of it)."""
        return float(getattr(self.model.levers, lever)) * self.multiplier.get(lever, 1.0) / self.model.scale

    def take(self, lever: str, per_year: float | None = None) -> int:
        """Whole units due this month for a per-year commitment."""
        rate = self.yearly(lever) if per_year is None else per_year
        acc = self._acc.get(lever, 0.0) + rate / 12.0
        n = int(np.floor(acc + 1e-9))
        self._acc[lever] = acc - n
        return n

    # --- the month ---
    def step(self) -> None:
        m = self.model
        if m.calendar_month == 1:
            m.fund.open_year()
            self._cultivation_pool()
        if m.running_plan:  # institutions stand as documented at the baseline through the spin-up
            self._platforms()
            self._incubators()
        if m.calendar_month in (3, 6, 9, 12):
            self._publish_scenarios()


    def _cultivation_pool(self) -> None:
        """高企培育库: the most promising uncertified firms get a year of coaching."""
        m = self.model
        f, month = m.firms, m.month
        n = round(self.yearly("high_tech_pool_per_year"))
        gap = high_tech_rd_threshold(f.revenue, m.calendar_year) - f.rd_ratio_avg
        mask = f.alive & (f.ht_until < month) & (f.age >= 6)
        # a ranking, not a rate: firms closest to the R&D rule first (a point of score per 5 points of R&D share
        # missing), then those holding IP (the rule's other hurdle), capability breaking ties
        score = -np.maximum(gap, 0.0) * 20.0 + f.ip + f.capability * 0.2
        chosen = top_k(score, mask, n)
        f.pool_until[chosen] = month + 12

    def _platforms(self) -> None:
        m = self.model
        p = m.p
        for index, (level, lever) in enumerate(PLATFORM_LEVERS.items()):
            # each platform in the middle of its share of the year, as the incubators: a yearly 0.33 or 1.33 then
            # gives 1 or 4 over a three-year plan (floor(0.99), floor(3.99) gave 0 and 3, each a share late)
            self._acc.setdefault(lever, 0.5)
            self.platforms_waiting[level] += self.take(lever)
            n = self.platforms_waiting[level]
            if n == 0:
                continue
            funded = m.fund.ledgers["platform_grant"].buy(n, p[PLATFORM_GRANT[level]])
            self.platforms_waiting[level] -= funded
            for _ in range(funded):
                rng = np.random.default_rng([self._platform_key, index, self.platforms_built[level]])
                self.platforms_built[level] += 1
                build = round(p["platform_build_months"] * rng.uniform(0.5, 1.5))
                sector = m.draw_platform_sector(rng)
                Platform(m, level, sector, m.month + build, new=True)

    def _incubators(self) -> None:
        m = self.model
        for level, lever in (("municipal", "new_municipal_incubators"), ("ordinary", "new_ordinary_incubators")):
            # spread the horizon's total evenly over its months, each in the middle of its share; past the
            # horizon (innosim run --until) the same pace goes on
            self._acc.setdefault(lever, 0.5)
            n = self.take(lever, per_year=self.yearly(lever) * 12.0 / m.lever_months)
            if level == "municipal":  # municipal status needs the city's accreditation; a failed bid
                n += self.incubator_retries.count(m.month)  # is tried again six months later
                rng = np.random.default_rng([m.keys["incubators"], m.month, 1])  # keyed by month: bids of
                ok = rng.random(n) < m.p["incubator_accreditation_prob"]  # one month leave later ones alone
                self.incubator_retries = [t for t in self.incubator_retries if t > m.month]
                self.incubator_retries += [m.month + 6] * int((~ok).sum())
                n = int(ok.sum())
            for _ in range(n):
                m.add_incubator(level)
                self.incubators_added[level] += 1

    def _publish_scenarios(self) -> None:
        from .application import publish

        # called once a quarter, so each call must add a quarter of the yearly number (take adds 1/12)
        n = self.take("application_scenarios_per_year", per_year=self.yearly("application_scenarios_per_year") * 3)
        if n:
            # the reserved share is kept exactly over time, not rounded away quarter by quarter
            acc = self._acc.get("reserved", 0.0) + n * self.model.levers.scenarios_for_attracted_share
            reserved = int(np.floor(acc + 1e-9))
            self._acc["reserved"] = acc - reserved
            published, for_attracted = publish(self.model, n, reserved)
            self.scenarios_published += published
            self.scenarios_for_attracted += for_attracted

    # --- 年度考核 ---
    def reassess(self) -> None:
        """December, after the month's indicators are in."""
        m = self.model
        behind = [t for t in m.targets if t.year > m.calendar_year and m.behind_path(t)]
        if not behind:
            return
        levers, channels = set(), set()
        for t in behind:
            lv, ch = EFFORT.get(t.indicator, ([], []))
            levers.update(lv)
            channels.update(ch)
        shift = m.levers.adaptive_shift
        for lever in levers:
            self.multiplier[lever] = self.multiplier.get(lever, 1.0) * (1.0 + shift)
        plan = m.fund.plan
        donors = [c for c in plan if c not in channels and plan[c] > 0]
        if channels and donors:
            moved = sum(plan[c] * shift for c in donors)
            for c in donors:
                plan[c] *= 1.0 - shift
            for c in channels:
                plan[c] += moved / len(channels)
        self.shifts.append(f"{m.calendar_year}: behind on {', '.join(sorted(t.id for t in behind))}; "
                           f"levers x{1 + shift:.2f}: {', '.join(sorted(levers)) or '-'}; "
                           f"budget to: {', '.join(sorted(channels)) or '-'}")

