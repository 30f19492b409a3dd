"""Certifications as rules, not rates.

高新技术企业 (national high-tech enterprise), 《高新技术企业认定管理办法》(国科发火〔2016〕32号):
  registered at least one year; owns core IP; R&D staff at least 10% of employees; R&D expense
  over the last three years at least 5% / 4% / 3% of revenue for revenue up to 5000万 / 5000万-2亿
  / above 2亿; then an expert score (approval step). Valid three years; the firm must re-apply.
  The >=60% high-tech product revenue rule is folded into the approval probability.

专精特新中小企业, 《优质中小企业梯度培育管理暂行办法》(工信部企业〔2022〕63号), simplified:
  an SME (under 1000 employees and under 4亿 revenue, the industrial SME ceiling); at least two
  years in its niche; last year's R&D at least 100万 and at least 3% of revenue; revenue at least
  1000万, or guidance-fund/venture equity in the last two years (we use a deployed guidance-fund
  ticket); owns IP. Valid three years.

规上 / 小升规 / 规升强: see sectors.py for thresholds; status is reviewed once a year on annual
revenue, as the statistics bureau does.

上市挂牌: candidates are firms with revenue of at least 5000万 holding a high-tech or 专精特新
certificate. Each January the listing pipeline (上市培育库, size set by the scenario) is topped up
with the largest candidates; pool firms list at listing_rate_pool a year, other candidates at
the lower listing_rate_outside.
"""

from __future__ import annotations

import numpy as np

from .firms import FirmTable, uniform_at
from .sectors import ABOVE_SCALE_THRESHOLD, SECTORS, STRONG_THRESHOLD_WAN

VALIDITY_MONTHS = 36
# Application (mid-year) and approval are one step at the approval month.
HIGH_TECH_APPROVE_MONTH = 11  # November: lists are published late in the year
ZJTX_APPROVE_MONTH = 9
REVIEW_MONTH = 12  # statistics review of above-scale status
LISTING_POOL_MONTH = 1

_SCALE = np.array([ABOVE_SCALE_THRESHOLD[s] for s in SECTORS])


def high_tech_rd_threshold(revenue: np.ndarray) -> np.ndarray:
    """R&D expense ratio required for the size band: 5% / 4% / 3%."""
    return np.where(revenue <= 5000.0, 0.05, np.where(revenue <= 20000.0, 0.04, 0.03))


def high_tech_eligible(f: FirmTable) -> np.ndarray:
    employees = f.employees()
    staff = f.staff_eff  # share filled after the talent constraint (talent.py)
    return (
        f.alive
        & (f.age >= 12)
        & f.ip
        & (staff >= 0.10)
        & (f.rd_ratio_avg >= high_tech_rd_threshold(f.revenue))
        & (employees >= 1)
    )


def high_tech_valid(f: FirmTable, month: int) -> np.ndarray:
    return f.alive & (f.ht_until > month)


def high_tech_round(f: FirmTable, rng: np.random.Generator, month: int, p: dict[str, float]) -> dict[str, int]:
    """Annual application (June) and approval (November) in one step at the approval month.

    Applicants are eligible firms without a certificate valid beyond this year's round, i.e.
    first-time applicants and firms whose certificate expires within the coming year.
    """
    eligible = high_tech_eligible(f)
    # Certificates end in November, the month of the round: a firm whose certificate ends
    # now or within the year renews in this round.
    expiring = (f.ht_until >= month) & (f.ht_until < month + 12)
    uncertified = f.ht_until < month
    in_pool = f.pool_until > month
    uplift = p["pool_apply_uplift"] * in_pool
    p_apply = np.where(expiring, p["recert_apply_prob"], p["high_tech_apply_prob"] + uplift)
    rows = np.flatnonzero(eligible & (expiring | uncertified))  # only these can apply: only they draw
    applies = rows[uniform_at(rng, rows, f.n) < np.minimum(p_apply[rows], 1.0)]
    p_approve = np.where(expiring, p["recert_approval_prob"], np.minimum(p["high_tech_approval_prob"] + uplift, 1.0))
    approved = np.zeros(f.n, dtype=bool)
    approved[applies[uniform_at(rng, applies, f.n) < p_approve[applies]]] = True
    first_time = approved & ~f.ht_ever
    # A renewal starts when the old certificate ends; a first certificate starts now.
    start = np.where(expiring, f.ht_until, month)
    f.ht_until[approved] = start[approved] + VALIDITY_MONTHS
    f.ht_ever[approved] = True
    return {"applied": len(applies), "approved": int(approved.sum()), "first_time": int(first_time.sum())}


def zjtx_eligible(f: FirmTable, month: int) -> np.ndarray:
    employees = f.employees()
    rd_spend = f.rd_ratio_avg * f.revenue
    funded = f.equity_until > month
    return (
        f.alive
        & (f.age >= 24)
        & f.ip
        & (employees < 1000)
        & (f.revenue < 40000.0)
        & (rd_spend >= 100.0)
        & (f.rd_ratio_avg >= 0.03)
        & ((f.revenue >= 1000.0) | funded)
    )


def zjtx_round(f: FirmTable, rng: np.random.Generator, month: int, p: dict[str, float]) -> int:
    eligible = zjtx_eligible(f, month)
    expiring = (f.zjtx_until >= month) & (f.zjtx_until < month + 12)
    candidates = eligible & ((f.zjtx_until < month) | expiring)
    p_apply = np.where(expiring, p["recert_apply_prob"], p["zjtx_apply_prob"])
    p_approve = np.where(expiring, p["recert_approval_prob"], p["zjtx_approval_prob"])
    rows = np.flatnonzero(candidates)
    apply_draw, approve_draw = uniform_at(rng, rows, f.n), uniform_at(rng, rows, f.n)
    approved = np.zeros(f.n, dtype=bool)
    approved[rows[(apply_draw < p_apply[rows]) & (approve_draw < p_approve[rows])]] = True
    start = np.where(expiring, f.zjtx_until, month)
    f.zjtx_until[approved] = start[approved] + VALIDITY_MONTHS
    return int(approved.sum())


def in_cultivation_system(f: FirmTable, month: int) -> np.ndarray:
    """The plan's 梯度培育体系: firms holding a high-tech or 专精特新 certificate or in the 培育库.

    The plan counts 小升规 / 规升强 among the firms it cultivates ('建立科技型中小企业、高新技术企业、
    “小升规”、“规升强”企业的梯度培育体系'), not every firm that happens to cross a threshold.
    """
    return (f.ht_until > month) | (f.zjtx_until > month) | (f.pool_until > month)


def scale_review(f: FirmTable, month: int) -> tuple[int, int]:
    """Yearly 规上 review. Returns (new 小升规 firms, new 规升强 firms) counted towards the plan:
    firms of the cultivation system, not attracted, each firm at most once per kind. 规升强 needs
    last year's 规上 status, so a firm that jumps from below 规上 to 1亿 in one year counts as
    小升规 that year and can count as 规升强 only later."""
    above = f.alive & (f.revenue >= _SCALE[f.sector])
    strong = above & (f.revenue >= STRONG_THRESHOLD_WAN)
    counted = in_cultivation_system(f, month) & ~f.attracted
    small_up = counted & above & ~f.above_scale & ~f.upgraded_small
    strong_up = counted & strong & f.above_scale & ~f.strong & ~f.upgraded_strong
    f.upgraded_small[small_up] = True
    f.upgraded_strong[strong_up] = True
    f.above_scale[:] = above
    f.strong[:] = strong
    return int(small_up.sum()), int(strong_up.sum())


def initial_scale_status(f: FirmTable) -> None:
    f.above_scale[:] = f.alive & (f.revenue >= _SCALE[f.sector])
    f.strong[:] = f.above_scale & (f.revenue >= STRONG_THRESHOLD_WAN)


def listing_candidates(f: FirmTable, month: int) -> np.ndarray:
    certified = (f.ht_until > month) | (f.zjtx_until > month)
    return f.alive & ~f.listed & (f.revenue >= 5000.0) & certified


def fill_listing_pool(f: FirmTable, month: int, size: int) -> int:
    """Each January the pool is topped up to `size` with the largest certified candidates."""
    f.listing_pool[:] &= f.alive & ~f.listed
    free = size - int(f.listing_pool.sum())
    if free <= 0:
        return 0
    cand = np.flatnonzero(listing_candidates(f, month) & ~f.listing_pool)
    if len(cand) > free:
        cand = cand[np.argpartition(-f.revenue[cand], free - 1)[:free]]
    f.listing_pool[cand] = True
    return len(cand)


def listings(f: FirmTable, rng: np.random.Generator, month: int, p: dict[str, float]) -> int:
    cand = np.flatnonzero(listing_candidates(f, month) | (f.listing_pool & f.alive & ~f.listed))
    rate = np.where(f.listing_pool[cand], p["listing_rate_pool"], p["listing_rate_outside"])
    new = cand[uniform_at(rng, cand, f.n) < 1.0 - np.exp(-rate / 12.0)]
    f.listed[new] = True
    f.listing_pool[new] = False
    return len(new)
