"""Firms as columns of numpy arrays: state, entry, growth, the R&D decision and exit.

One row per firm. Rows of exited firms stay (alive=False) until the yearly compaction, so
indices are stable within a year. All updates are array operations: no per-firm Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from .sectors import N_SECTORS
from .streams import entrant_uids, hash_ids, uniform_at

REFERENCE_REVENUE = 500.0  # 万元/year: the size at which growth spread and hazards take their nominal values
REVENUE_CAP = 5_000_000.0  # 万元/year (500亿): no single tech firm in a district above this
NONE = -1  # "no month" / "no incubator" sentinel for int columns

# name -> dtype; int32 month columns hold a model month index (0 = first simulated month)
COLUMNS: dict[str, type] = {
    "alive": np.bool_,
    "sector": np.int8,
    "age": np.int32,  # months
    "revenue": np.float64,  # 万元/year, annual rate
    "labour": np.float64,  # employees per 万元 of revenue, firm-specific
    "rd_ratio": np.float64,  # R&D spending / revenue, current
    "rd_ratio_avg": np.float64,  # moving average standing for the certification's 3-year ratio
    "rd_base": np.float64,  # this month's R&D propensity (rd_traits: from the scores below and the firm's size)
    "rd_mult": np.float64,  # exp(rd_propensity_sigma z): its R&D propensity relative to active firms of its size
    "rd_idle": np.float64,  # its propensity while not R&D-active (median rd_idle_median)
    "rd_floor": np.float64,  # R&D share it keeps at least (it bunched at a threshold, or was moved onto a rule)
    "active_u": np.float64,  # uniform; R&D-active while below the activity chance of its size
    "rd_last_year": np.float64,  # 万元/year R&D at the last December (for growth rewards)
    "rd_increase": np.float64,  # 万元 increase over the last calendar year, rewarded in April
    "staff_share": np.float64,  # desired R&D staff share of employees (rd_traits)
    "staff_mult": np.float64,  # exp(0.5 z): the firm's staff share relative to firms of its activity
    "staff_floor": np.float64,  # staff share it keeps at least
    "staff_eff": np.float64,  # share actually filled, given the researchers available (talent.py)
    "capability": np.float64,
    "ip": np.bool_,
    "annual_shock": np.float64,  # this year's Laplace log-growth shock, spread over the months
    "ht_until": np.int32,  # high-tech certificate valid while month < ht_until
    "ht_ever": np.bool_,
    "ht_score": np.float64,  # uniform; passes the high-tech rules the model does not spell out when below its chance
    "ht_revenue": np.float64,  # revenue when its high-tech certificate was last granted or renewed (the hand-over)
    "zjtx_until": np.int32,
    "zjtx_score": np.float64,  # 专精特新 points-test standing, lower passes (certification.zjtx_scores); set at
    # the settle and at entry, copied with the row
    "above_scale": np.bool_,
    "strong": np.bool_,
    "upgraded_small": np.bool_,  # counted once for 小升规
    "upgraded_strong": np.bool_,  # counted once for 规升强
    "pool_until": np.int32,  # high-tech cultivation pool (培育库)
    "listing_pool": np.bool_,
    "listed": np.bool_,
    "incubator": np.int32,  # incubator unique_id or NONE
    "incubated_until": np.int32,
    "equity_until": np.int32,
    "subsidy_until": np.int32,
    "scenario_until": np.int32,
    "talent_until": np.int32,  # hosts a placed high-level talent or a funded young talent
    "team_until": np.int32,  # hosts a funded innovation team
    "reward_until": np.int32,  # paid an R&D-growth reward in the last round: its R&D price is lower
    "future": np.bool_,
    "attracted": np.bool_,
    "new": np.bool_,  # entered during the simulation
    "born": np.int32,  # model month of entry (NONE for baseline firms)
    "active": np.bool_,  # does R&D in earnest this month (rd_traits)
    "revenue_jan": np.float64,  # revenue at the start of this calendar year (for growth statistics)
    "revenue_year": np.float64,  # this calendar year's revenue so far: a twelfth of each month's rate (规上 review)
    "uid": np.uint64,  # identity across scenarios: keys the firm's random draws (FirmStream)
    "uid_hash": np.uint64,  # _mix64(uid + golden), hashed once at entry rather than at every draw
}
_INT_NONE = {"born", "ht_until", "zjtx_until", "pool_until", "incubator", "incubated_until",
             "equity_until", "subsidy_until", "scenario_until", "talent_until", "team_until", "reward_until"}
# Month columns that hold "until" months: shifted when the spin-up hands over to the run (population.py).
UNTIL_COLUMNS = ("ht_until", "zjtx_until", "pool_until", "incubated_until", "equity_until", "subsidy_until",
                 "scenario_until", "talent_until", "team_until", "reward_until")


class FirmTable:
    """Struct of arrays with amortised appends."""

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        self._cap = capacity
        self.cols = {name: np.zeros(capacity, dtype=dt) for name, dt in COLUMNS.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        cols = self.__dict__.get("cols")
        if cols is not None and name in cols:
            return cols[name][: self.n]
        raise AttributeError(name)

    def __deepcopy__(self, memo: dict) -> FirmTable:
        """A copy of the rows in use only (a kept spin-up, spinups.py, need not carry the spare capacity)."""
        new = FirmTable.__new__(FirmTable)
        new.n, new._cap = self.n, max(self.n, 1)
        new.cols = {name: col[: new._cap].copy() for name, col in self.cols.items()}
        memo[id(self)] = new
        return new

    def append(self, rows: dict[str, np.ndarray]) -> np.ndarray:
        """Add rows (missing columns get defaults); returns their indices."""
        k = len(rows["revenue"])
        if self.n + k > self._cap:
            self._grow(self.n + k)
        sl = slice(self.n, self.n + k)
        for name, col in self.cols.items():
            if name in rows:
                col[sl] = rows[name]
            else:
                col[sl] = NONE if name in _INT_NONE else 0
        self.cols["alive"][sl] = True
        self.cols["uid_hash"][sl] = hash_ids(self.cols["uid"][sl])
        self.n += k
        return np.arange(sl.start, sl.stop)

    def _grow(self, need: int) -> None:
        cap = max(need, int(self._cap * 1.5))
        for name, col in self.cols.items():
            new = np.zeros(cap, dtype=col.dtype)
            new[: self.n] = col[: self.n]
            self.cols[name] = new
        self._cap = cap

    def compact(self) -> np.ndarray:
        """Drop exited rows; returns the old index of each kept row."""
        keep = np.flatnonzero(self.alive)
        self.take(keep)
        return keep

    def take(self, rows: np.ndarray) -> None:
        """Keep only `rows` (ascending), in that order."""
        for col in self.cols.values():
            col[: len(rows)] = col[rows]
        self.n = len(rows)

    def employees(self) -> np.ndarray:
        return np.maximum(1.0, self.revenue * self.labour)


@dataclass
class EntryDraw:
    """What the caller asks of a cohort of entrants."""

    n: int
    sector: np.ndarray
    revenue: np.ndarray
    capability: np.ndarray
    future: np.ndarray
    attracted: bool
    kind: int = 1  # 1 start-up, 2 spin-off, 3 attracted (4-6 the same in the spin-up): part of the firms' uid


def new_firm_rows(rng: np.random.Generator, d: EntryDraw, p: dict[str, float], month: int) -> dict[str, np.ndarray]:
    n = d.n
    traits = draw_rd_traits(rng, n, p)
    active, rd_base, staff = rd_traits_of(d.revenue, traits, p)
    ip_active = p["attracted_ip_share_active"] if d.attracted else p["entrant_ip_share_active"]
    return {
        "sector": d.sector,
        "age": np.zeros(n, np.int32) if not d.attracted else rng.integers(24, 180, n).astype(np.int32),
        "revenue": d.revenue,
        "labour": draw_labour(rng, n),
        **traits,
        "active": active,
        "rd_base": rd_base,
        "rd_ratio": rd_base,
        "rd_ratio_avg": rd_base,
        "rd_last_year": rd_base * d.revenue,
        "staff_share": staff,
        "staff_eff": staff,
        "capability": d.capability,
        "ip": rng.random(n) < np.where(active, ip_active, p["entrant_ip_share_idle"]),
        "annual_shock": np.zeros(n),
        "future": d.future,
        "attracted": np.full(n, d.attracted),
        "new": np.ones(n, bool),
        "born": np.full(n, month, np.int32),
        "revenue_jan": d.revenue,
        "uid": entrant_uids(d.kind, month, n),
        "ht_score": rng.random(n),
    }


def draw_rd_traits(rng: np.random.Generator, n: int, p: dict[str, float]) -> dict[str, np.ndarray]:
    """A firm's persistent R&D scores: how it stands among firms of its size, whatever its size becomes.

    Inverse CDFs of uniforms, so that a CohortStream (one block of uniforms per cohort) draws them too."""
    z_rd, z_staff = ndtri(rng.random(n)), ndtri(rng.random(n))
    return {"active_u": rng.random(n), "rd_mult": np.exp(p["rd_propensity_sigma"] * z_rd),
            "rd_idle": p["rd_idle_median"] * np.exp(p["rd_idle_sigma"] * z_rd),
            "staff_mult": np.exp(p["rd_staff_sigma"] * z_staff)}


def rd_traits_of(revenue: np.ndarray, t: dict[str, np.ndarray], p: dict[str, float],
                 rd_floor: np.ndarray | float = 0.0, staff_floor: np.ndarray | float = 0.0
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(R&D-active, R&D propensity, desired R&D staff share) of firms of this revenue with these scores.

    Most registered tech firms do next to no R&D; a firm does R&D in earnest with chance
    rd_active_share x (R / 500万)^rd_active_size_elasticity (at most rd_active_cap): larger firms more often, and a
    firm that grows may start. An R&D-active firm spends a median rd_active_median of revenue at 500万, a share that
    falls with size (size^rd_size_elasticity: R&D is partly a fixed cost; ZGC's specialised parks average
    15.42%, seed 002), lognormal around it (draw_rd_traits); an idle firm rd_idle_median. Desired R&D staff:
    rd_staff_share_active of employees when active, rd_staff_share_idle when idle, lognormal."""
    size = np.maximum(revenue, 1.0) / REFERENCE_REVENUE
    active = t["active_u"] < np.minimum(p["rd_active_share"] * size ** p["rd_active_size_elasticity"],
                                        p["rd_active_cap"])
    # the power runs over the active rows only (a third of firms or fewer): it is this pass's cost
    rd = np.array(t["rd_idle"], dtype=np.float64, copy=True)
    on = np.flatnonzero(active)
    rd[on] = p["rd_active_median"] * size[on] ** p["rd_size_elasticity"] * t["rd_mult"][on]
    rd = np.clip(np.maximum(rd, rd_floor), 0.0, 0.6)
    staff_median = np.where(active, p["rd_staff_share_active"], p["rd_staff_share_idle"])
    staff = np.clip(np.maximum(staff_median * t["staff_mult"], staff_floor), 0.0, 0.9)
    return active, rd, staff


TRAITS = ("active_u", "rd_mult", "rd_idle", "staff_mult")


def rd_traits(f: FirmTable, p: dict[str, float], rows: np.ndarray | slice = slice(None)) -> None:
    """This month's activity, R&D propensity and desired staff share of the firms in `rows`, in place."""
    t = {k: getattr(f, k)[rows] for k in TRAITS}
    active, rd, staff = rd_traits_of(f.revenue[rows], t, p, f.rd_floor[rows], f.staff_floor[rows])
    f.active[rows], f.rd_base[rows], f.staff_share[rows] = active, rd, staff


def draw_labour(rng: np.random.Generator, n: int) -> np.ndarray:
    # About 1 employee per 50万元 of revenue (Beijing tech-firm revenue per worker), +-60%.
    return rng.lognormal(np.log(1 / 50.0), 0.5, n)


def draw_sectors(rng: np.random.Generator, shares: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(N_SECTORS, size=n, p=shares).astype(np.int8)


def pareto_revenue(rng: np.random.Generator, n: int, x_min: float, alpha: float) -> np.ndarray:
    return np.minimum(x_min * rng.random(n) ** (-1.0 / alpha), REVENUE_CAP)


def laplace_shocks(rng: np.random.Generator, revenue: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """Annual log-growth shock: Laplace, spread falling with size as S^-beta (Amaral et al. 1997)."""
    sigma = p["growth_sigma"] * (np.maximum(revenue, 1.0) / REFERENCE_REVENUE) ** (-p["growth_size_beta"])
    # Laplace scale b has standard deviation b*sqrt(2). Centre the shock so that it adds no
    # mean to revenue: E[exp(X)] = 1/(1-b^2) for a Laplace X with scale b < 1.
    b = np.minimum(sigma / np.sqrt(2.0), 0.9)
    return rng.laplace(0.0, b) + np.log1p(-b * b)


def grow(f: FirmTable, month: int, p: dict[str, float], spill: np.ndarray) -> None:
    """One month of revenue growth: drift from R&D, capability, and the programmes a firm is in.

    Programmes act while they run (equity deployed, a scenario contract, incubation, a hosted talent or
    team) and end: none adds to a firm's lasting traits, so winning again and again cannot compound.
    """
    drift = (
        p["growth_drift"]
        # R&D pays with diminishing returns: past 15% of revenue, more R&D buys no extra growth
        + p["growth_rd_effect"] * np.minimum(f.rd_ratio, 0.15)
        + p["growth_capability_effect"] * (f.capability - 1.0)
        + p["growth_equity_boost"] * (f.equity_until > month)
        + p["growth_scenario_boost"] * (f.scenario_until > month)
        + p["growth_incubator_boost"] * (f.incubated_until > month)
    )
    if p.get("growth_talent_boost", 0.0) or p.get("growth_team_boost", 0.0):
        drift += p["growth_talent_boost"] * (f.talent_until > month)
        drift += p["growth_team_boost"] * (f.team_until > month)
    alive = f.alive
    drift += f.annual_shock
    drift /= 12.0
    drift[~alive] = 0.0  # exited rows keep their last state until the yearly compaction
    f.revenue[:] = np.minimum(f.revenue * np.exp(drift), REVENUE_CAP)
    f.revenue_year[:] += f.revenue / 12.0
    # Capability returns to the mean firm's 1 at capability_decay a year; spill-overs hold it above.
    f.capability[:] += (spill[f.sector] - p["capability_decay"] * (f.capability - 1.0)) / 12.0 * alive
    f.age[:] += alive


def rd_ceiling(revenue: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """The highest R&D share a firm of this size sustains: 0.6 at 500万, falling as size^-rd_ceiling_exponent.

    R&D is partly a fixed cost: small firms can spend most of their revenue on it, large ones cannot
    (the plausibility law rd_share_by_size checks the aggregate by size band)."""
    ceiling = np.full(len(revenue), 0.6)
    big = np.flatnonzero(~(revenue <= REFERENCE_REVENUE))  # at or below 500万 it is 0.6 (1 ** x is 1); NaN stays NaN
    ceiling[big] = 0.6 * (revenue[big] / REFERENCE_REVENUE) ** -p["rd_ceiling_exponent"]
    return ceiling


def decide_rd(f: FirmTable, rng: np.random.Generator, month: int, p: dict[str, float],
              thresholds: np.ndarray, staff_threshold: float = 0.10, uplift: np.ndarray | float = 0.0) -> None:
    """Firms move R&D towards their propensity, raised while a programme lowers its price (`uplift`, see
    funds.py) and never above the ceiling of their size; some bunch at the high-tech threshold."""
    # Bunching: firms just below their size band's threshold move up to it (Chen et al. 2021).
    gap = thresholds - f.rd_ratio_avg
    in_pool = f.pool_until > month
    coached = np.where(in_pool, p["pool_bunching_factor"], 1.0)  # the cultivation pool coaches on the rules
    band = p["rd_bunching_band"] * coached
    near = np.flatnonzero(f.alive & f.ip & (gap > 0) & (gap <= band))  # the few who could bunch draw
    prob = p["rd_bunching_prob"] / 12.0 * coached[near]
    bunch = near[uniform_at(rng, near, f.n) < prob]
    f.rd_floor[bunch] = np.maximum(f.rd_floor[bunch], thresholds[bunch] + 0.002)
    f.staff_floor[bunch] = np.maximum(f.staff_floor[bunch], max(p["rd_staff_target_share"], staff_threshold + 0.02))
    f.rd_base[bunch] = np.maximum(f.rd_base[bunch], f.rd_floor[bunch])
    f.staff_share[bunch] = np.maximum(f.staff_share[bunch], f.staff_floor[bunch])
    target = f.rd_base * (1.0 + uplift) if np.any(uplift) else f.rd_base.copy()
    np.minimum(target, rd_ceiling(f.revenue, p), out=target)
    f.rd_ratio[:] += (target - f.rd_ratio) / p["rd_adjust_months"]
    # The high-tech rule looks at three years of R&D; an exponential moving average with a
    # 24-month time constant stands in for that three-year mean.
    f.rd_ratio_avg[:] += (f.rd_ratio - f.rd_ratio_avg) / 24.0
    without = np.flatnonzero(f.alive & ~f.ip)
    p_ip = 1.0 - np.exp(-p["ip_rate_per_rd"] * f.rd_ratio[without] / 12.0)
    f.ip[without[uniform_at(rng, without, f.n) < p_ip]] = True


AGE_MATE_YEARS = 10  # the age-mates of exit_size_means: each whole year of age 0-9 a class, 10 or more one


def exit_size_means(f: FirmTable, p: dict[str, float]) -> np.ndarray | None:
    """The exit hazard's size term, (max(revenue, 1) / 500万)^-exit_size_gamma, averaged over the living firms of
    each whole year of age (0-9, then 10 or more), at the month's start; None while exit_size_age_mates is 0.

    PE44 is a registry's mean hazard over all the firms of an age, most of them small: divided by this mean, size
    sorts which firms of an age exit without moving how many do."""
    if p["exit_size_age_mates"] == 0.0:
        return None
    alive = np.flatnonzero(f.alive)
    years = np.minimum(f.age[alive] // 12, AGE_MATE_YEARS)
    term = (np.maximum(f.revenue[alive], 1.0) / REFERENCE_REVENUE) ** -p["exit_size_gamma"]
    sums = np.bincount(years, weights=term, minlength=AGE_MATE_YEARS + 1)
    counts = np.bincount(years, minlength=AGE_MATE_YEARS + 1)
    return np.divide(sums, counts, out=np.ones(AGE_MATE_YEARS + 1), where=counts > 0)


def exit_mask(f: FirmTable, rng: np.random.Generator, month: int, p: dict[str, float],
              size_means: np.ndarray | None = None) -> np.ndarray:
    """Monthly exits: hazard falls with age and size, lower while incubated or subsidised. With size_means
    (exit_size_means at the month's start; ages have moved on a month since) the size term is read against the
    firm's age-mates."""
    # Whole columns (nearly every row is alive) and as few passes over them as the formula allows:
    # this runs over every firm every month.
    h = age_hazard(f.age, p)
    size = np.maximum(f.revenue, 1.0)
    np.log(size, out=size)
    size -= np.log(REFERENCE_REVENUE)
    size *= -p["exit_size_gamma"]
    h *= np.exp(size, out=size)  # (revenue / 500万)^-gamma
    if size_means is not None:
        w = p["exit_size_age_mates"]
        h /= (1.0 - w) + w * size_means[np.minimum(np.maximum(f.age - 1, 0) // 12, AGE_MATE_YEARS)]
    h[f.incubated_until > month] *= 1.0 - p["exit_incubator_reduction"]
    h[f.subsidy_until > month] *= 1.0 - p["exit_subsidy_reduction"]
    h[f.listed] *= p["listed_exit_factor"]
    np.minimum(h, 5.0, out=h)
    h *= -1.0 / 12.0
    prob = np.expm1(h, out=h)
    prob *= -1.0  # 1 - exp(-min(h, 5) / 12)
    out = uniform_at(rng, slice(None), f.n) < prob
    out &= f.alive
    return out


def age_hazard(age: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """Annual exit hazard by age: exit_hazard_old (1 - exp(-age / exit_age_scale))^2, read from a table by
    whole months (ages are whole months) rather than computed firm by firm.

    The hazard rises over the first years and levels off, the shape of Chinese registry data (PE44:
    1.6% in the founding year, 6.3% in the second, 9.5% in the third, above 8% to the seventh)."""
    top = int(age.max(initial=0)) + 1
    key = (p["exit_hazard_old"], p["exit_age_scale"])
    table = _AGE_TABLES.get(key)
    if table is None or len(table) < top:
        months = np.arange(max(top, 1200))
        table = p["exit_hazard_old"] * (1.0 - np.exp(-months / p["exit_age_scale"])) ** 2
        _AGE_TABLES.clear()  # one replication's parameters at a time
        _AGE_TABLES[key] = table
    return table[age]


_AGE_TABLES: dict[tuple[float, float], np.ndarray] = {}
