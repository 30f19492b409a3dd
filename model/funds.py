"""Government special funds (专项资金): a ledger per channel and the selection rules.

The annual budget of a channel is never exceeded: every payment goes through
`Ledger.spend`, which grants at most what is left. What is left at the end of a year is
booked as unspent (it does not roll over, as with Chinese fiscal appropriations).
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from .firms import NONE, FirmTable
from .lever_registry import CHANNELS
from .streams import gumbel_at, skip, uniform_at

RD_REWARD_MONTH = 4  # April: rewards on last year's R&D increase are paid after annual accounts
EQUITY_MONTHS = 24  # a guidance-fund ticket is deployed (and acts) for two years
EQUITY_COOL_OFF = 12  # and the firm is not backed again in the year after


@dataclass
class Ledger:
    annual: float
    spent_this_year: float = 0.0
    disbursed: float = 0.0  # since start
    unspent: float = 0.0  # since start, closed years
    budgeted: float = 0.0  # since start, opened years

    def open_year(self, annual: float) -> None:
        self.annual = annual
        self.spent_this_year = 0.0
        self.budgeted += annual

    def close_year(self) -> None:
        """Book what is left as unspent; nothing more can be spent until the next year opens."""
        self.unspent += self.remaining
        self.annual = self.spent_this_year

    @property
    def remaining(self) -> float:
        return self.annual - self.spent_this_year

    def buy(self, n: int, unit_cost: float) -> int:
        """Pay for as many of n units as the budget covers in full; returns the number bought."""
        if unit_cost <= 0:
            return max(n, 0)
        k = max(0, min(n, int(self.remaining // unit_cost)))
        self.spend(k * unit_cost)
        return k

    def spend(self, amount: float) -> float:
        granted = min(max(amount, 0.0), self.remaining)
        self.spent_this_year += granted
        self.disbursed += granted
        return granted


def ranking_scores(base: np.ndarray, mask: np.ndarray, rng, noise: float = 0.3) -> np.ndarray:
    """An expert review's scores: base plus Gumbel(0, noise) noise, drawn for the firms in `mask` (those the
    ranking can pick).

    The noise stands for what the review sees and the model does not. Other rows are NaN: no
    ranking may read them.
    """
    n = len(base)
    if np.count_nonzero(mask) > n // 2:  # most firms can be picked: whole columns beat gathering rows
        score = gumbel_at(rng, slice(None), n, 0.0, noise)
        score += base
        score[~mask] = np.nan
        return score
    rows = np.flatnonzero(mask)
    score = np.full(n, np.nan)
    score[rows] = base[rows] + gumbel_at(rng, rows, n, 0.0, noise)
    return score


def merit(f: FirmTable) -> np.ndarray:
    """What a programme review rewards: capability (in logs) and R&D effort up to 15% of revenue, in tenths.

    Bounded on purpose: R&D beyond 15% of revenue is not more merit to a reviewer, and capability enters in
    logs, so no firm's score runs away from the field (with review_noise, awards rotate among good firms)."""
    return np.log(np.maximum(f.capability, 0.05)) + 10.0 * np.minimum(f.rd_ratio_avg, 0.15)


def month_merit(model: mesa.Model) -> np.ndarray:
    """merit of the model's firms, from the column EcosystemModel.step computes once for the month's reviews (talent
    hosts, the fund's channels, scenarios: all run before R&D effort and capability move); merit(f) outside them."""
    f = model.firms
    cached = getattr(model, "review_merit", None)
    return cached if cached is not None and len(cached) == f.n else merit(f)


def top_k(score: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores among mask (the selection rule of every channel)."""
    idx = np.flatnonzero(mask)
    if k <= 0 or len(idx) == 0:
        return idx[:0]
    if len(idx) > k:
        idx = idx[np.argpartition(-score[idx], k - 1)[:k]]
    return idx


@dataclass
class FundStats:
    social_capital: float = 0.0
    equity_deals: int = 0
    rd_reward_fill: float = 1.0  # share of claimed R&D rewards actually paid last round
    rd_reward_uplift: float = 0.0  # rise of R&D propensity of the firms paid in the last round


class SpecialFund(mesa.Agent):
    """The district's S&T special fund with its six channels."""

    def __init__(self, model: mesa.Model, budget: dict[str, float], scale: float = 1.0) -> None:
        super().__init__(model)
        self.ledgers = {c: Ledger(annual=0.0) for c in CHANNELS}
        # annual budget by channel in the model's units (1/scale of the district's); the government may shift it
        self.plan = {c: v / scale for c, v in budget.items()}
        self.stats = FundStats()

    # --- calendar ---
    def open_year(self) -> None:
        for c, ledger in self.ledgers.items():
            ledger.open_year(self.plan[c])

    def close_year(self) -> None:
        for ledger in self.ledgers.values():
            ledger.close_year()

    def monthly_allowance(self, channel: str) -> float:
        months_left = 12 - (self.model.calendar_month - 1)
        return self.ledgers[channel].remaining / months_left

    # --- channels ---
    def step(self) -> None:
        m = self.model
        f, month, p = m.firms, m.month, m.p
        # Each review uses one firm-keyed draw a month whether or not a channel has money, so a
        # budget lever does not change anyone's later draws.
        self._equity(f, month, p, m.firm_streams["funds"])
        self._loan_and_rent(f, month, p, m.firm_streams["funds_loans"])
        if m.calendar_month == RD_REWARD_MONTH:
            self._rd_reward(f, p, m.firm_streams["funds"])

    def _score(self, f: FirmTable, rng, mask: np.ndarray) -> np.ndarray:
        """The review favours capability and R&D effort; scored for the firms in `mask` only."""
        return ranking_scores(month_merit(self.model), mask, rng, self.model.p["review_noise"])

    def _equity(self, f: FirmTable, month: int, p: dict, rng) -> None:
        ledger = self.ledgers["guidance_fund_equity"]
        ticket = p["equity_ticket"]
        k = int(self.monthly_allowance("guidance_fund_equity") // ticket)
        if k <= 0:
            skip(rng, f.n)
            return
        # a fund invests once per firm and round: a firm backed in the last three years is not picked again
        mask = (f.alive & ~f.listed & (f.age >= 12)
                & ((f.equity_until == NONE) | (f.equity_until + EQUITY_COOL_OFF <= month)))
        chosen = top_k(self._score(f, rng, mask), mask, k)
        chosen = chosen[: ledger.buy(len(chosen), ticket)]
        # While deployed, equity relaxes the financing constraint on R&D (Hall & Lerner 2010; decide_rd
        # reads equity_until) and adds growth (grow): effects of the money, not lasting traits.
        f.equity_until[chosen] = month + EQUITY_MONTHS
        self.stats.social_capital += len(chosen) * ticket * p["social_leverage"]
        self.stats.equity_deals += len(chosen)

    def _loan_and_rent(self, f: FirmTable, month: int, p: dict, rng) -> None:
        free = f.alive & (f.subsidy_until <= month)
        certified = (f.ht_until > month) | (f.zjtx_until > month)
        channels = [
            (channel, ticket, mask, int(self.monthly_allowance(channel) // ticket)) for channel, ticket, mask in (
                ("loan_interest_subsidy", p["loan_subsidy_ticket"], free & (f.above_scale | certified)),
                ("rent_subsidy", p["rent_subsidy_ticket"], free & (f.age < 36)))
        ]
        open_to = np.zeros(f.n, dtype=bool)  # one review scores the firms of both channels
        for _channel, _ticket, mask, k in channels:
            if k > 0:
                open_to |= mask
        if not open_to.any():
            skip(rng, f.n)
            return
        score = self._score(f, rng, open_to)
        for channel, ticket, mask, k in channels:
            chosen = top_k(score, mask & (f.subsidy_until <= month), k)
            chosen = chosen[: self.ledgers[channel].buy(len(chosen), ticket)]
            f.subsidy_until[chosen] = month + 12

    def _rd_reward(self, f: FirmTable, p: dict, rng) -> None:
        """April: pay rewards on last year's R&D increase to the firms that claim them, as far as the money goes.

        The reward lowers the price of R&D for the firms it pays, for the year until the next round: their
        R&D propensity moves by elasticity x effective rate while they are in that year (decide_rd), not for
        ever, so rewards paid year after year do not compound. The elasticity comes from the evidence table
        (PE13, PE19, PE11) and may be negative, where rewards crowd out a firm's own R&D (PE01, PE03)."""
        ledger = self.ledgers["rd_growth_reward"]
        entitled = np.flatnonzero(f.alive & (f.rd_increase > 0))
        # Not every entitled firm claims: take-up of Chinese incentives is low and rises with size (PE16). The
        # draw is keyed by firm, so a budget lever changes nobody's decision to claim.
        takes_up = uniform_at(rng, entitled, f.n) < f.revenue[entitled] / (f.revenue[entitled]
                                                                         + p["rd_reward_take_up_size"])
        claimants = entitled[takes_up]
        claim = np.zeros(f.n)
        claim[claimants] = np.minimum(p["rd_reward_rate"] * f.rd_increase[claimants], p["rd_reward_cap"])
        total = float(claim.sum())
        f.rd_increase[:] = 0.0
        if total <= 0 or ledger.remaining <= 0:
            self.stats.rd_reward_fill = 0.0 if ledger.annual <= 0 else self.stats.rd_reward_fill
            self.stats.rd_reward_uplift = 0.0
            return
        paid = ledger.spend(total)
        fill = paid / total
        self.stats.rd_reward_fill = fill
        self.stats.rd_reward_uplift = p["rd_reward_elasticity"] * p["rd_reward_rate"] * fill
        f.reward_until[claim > 0] = self.model.month + 12

    def rd_uplift(self, f: FirmTable, month: int, p: dict) -> np.ndarray | float:
        """Rise of each firm's R&D propensity from the programmes it is in this month (decide_rd)."""
        if not (self.stats.rd_reward_uplift or (f.equity_until > month).any()):
            return 0.0
        return (p["equity_rd_uplift"] * (f.equity_until > month)
                + self.stats.rd_reward_uplift * (f.reward_until > month))

    # --- derived ---
    @property
    def disbursed(self) -> float:
        return sum(ledger.disbursed for ledger in self.ledgers.values())

    @property
    def unspent(self) -> float:
        return sum(ledger.unspent for ledger in self.ledgers.values())

    @property
    def budgeted(self) -> float:
        return sum(ledger.budgeted for ledger in self.ledgers.values())

    @property
    def open_remaining(self) -> float:
        return sum(ledger.remaining for ledger in self.ledgers.values())
