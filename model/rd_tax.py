"""The R&D super-deduction (研发费用加计扣除): a national tax rule whose dated steps lowered the price of R&D.

A firm deducts (1 + d) yuan from its taxable income for each yuan of R&D expense, so a yuan of R&D costs it
u = 1 - t (1 + d), t its income-tax rate: 15% for a certified high-tech firm (PE10, the notch), 25% for the
others (Enterprise Income Tax Law, arts. 4 and 28). A firm's R&D propensity moves by (u / u_50%)^-e - 1, against
d = 50%, the rule of 2008-2016; e = rd_user_cost_elasticity (PE13), with the posterior drawn per replication over
0.21-0.50 (parameters.BACKGROUND_DRAWN). The R&D parameters were fitted without any deduction: see the end of this
note. Only firms with a taxable profit gain; the take-up of Chinese tax incentives is low and rises with the
firm's taxable position (PE16), so the rise is weighted by the chance R / (R + rd_deduction_take_up_size) that a
firm of revenue R claims, an expectation rather than a draw (no random stream moves). That weight also stands in
for the small low-profit firms' (小型微利) lower rates, for which the deduction is worth less.

The steps (the notices of the Ministry of Finance and the State Taxation Administration):
- 50% until 2016 (Enterprise Income Tax Law implementing regulations, art. 95);
- 75% in 2017 for technology-based SMEs (财税〔2017〕34号), in the model firms with revenue up to 2亿元;
- 75% for every firm from 2018 (财税〔2018〕99号);
- 100% for manufacturing from 2021 (2021年第13号);
- 100% for technology-based SMEs from 2022 (2022年第16号), and for every firm from October 2022 (2022年第28号);
- 100% for every firm from 2023, with no end date (2023年第7号).
Two of the model's industries gain nothing, so their R&D does not move: business services (租赁和商务服务业, which
财税〔2015〕119号 excludes from the deduction since 2016, with tobacco, hotels and catering, wholesale and retail, real
estate and entertainment) and the seed industry (income from breeding new crop varieties is exempt from income tax,
EIT regulations art. 86, so a deduction from it is worth nothing). The others keep their whole sector: culture and
tourism, and "other", mix excluded activities (hotels, entertainment, trade) with included ones the sources do not
split. A technology-based SME is tested on revenue only (its 500-staff and 2亿-asset limits are not).

The R&D parameters were fitted (calibration/posterior.csv) with a model that had no deduction, on figures from 2014
to 2024, most of them after the 2017-2018 step: their constant propensity partly averages the later rules in,
before 2017 as after, so this rise, added without a refit, counts part of them twice after 2017.
The core (mechanisms="core") has no tax rules, as it has no programmes: only the full model applies this.
"""

from __future__ import annotations

import numpy as np

from .sectors import N_SECTORS, index

HIGH_TECH_RATE = 0.15
STANDARD_RATE = 0.25
BEFORE = 0.5  # the rule of 2008-2016, against which the rise is measured
TECH_SME_REVENUE = 20000.0  # 万元: the technology-based SME's revenue ceiling (2亿元)
MANUFACTURING = index("advanced_manufacturing")
EXCLUDED = (index("business_services"), index("seed_industry"))  # no gain from the deduction: see above


def deduction(year: int, month: int, revenue: np.ndarray, sector: np.ndarray) -> np.ndarray | float:
    """The super-deduction rate each firm claims in this calendar month (a float when all claim the same)."""
    who, d_in, d_out = _rule(year, month, revenue, sector)
    return d_in if who is None else np.where(who, d_in, d_out)


def _rule(year: int, month: int, revenue: np.ndarray, sector: np.ndarray) -> tuple[np.ndarray | None, float, float]:
    """(who, d_in, d_out): firms in `who` claim d_in, the others d_out; who is None when every firm claims d_in."""
    if year < 2017:
        return None, BEFORE, BEFORE
    if year >= 2023 or (year == 2022 and month >= 10):
        return None, 1.0, 1.0
    if 2018 <= year <= 2020:
        return None, 0.75, 0.75
    sme = revenue <= TECH_SME_REVENUE
    if year == 2017:
        return sme, 0.75, BEFORE
    full = sector == MANUFACTURING
    if year == 2022:
        full |= sme
    return full, 1.0, 0.75


def gain(d: np.ndarray | float, rate: float, elasticity: float) -> np.ndarray | float:
    """Rise of R&D at full take-up for a firm taxed at `rate` when the deduction is `d`, against 50%."""
    return ((1.0 - rate * (1.0 + d)) / (1.0 - rate * (1.0 + BEFORE))) ** -elasticity - 1.0


def uplift(revenue: np.ndarray, sector: np.ndarray, high_tech: np.ndarray, year: int, month: int,
           p: dict[str, float]) -> np.ndarray | float:
    """Rise of each firm's R&D propensity from the deduction of this month, against the 50% rule.

    It runs over every firm every month, so it makes few passes: the rise at full take-up has one value per tax
    rate and deduction, and a month has at most two deductions."""
    who, d_in, d_out = _rule(year, month, revenue, sector)
    if who is None and d_in == BEFORE:
        return 0.0
    e = p["rd_user_cost_elasticity"]
    full = np.where(high_tech, gain(d_in, HIGH_TECH_RATE, e), gain(d_in, STANDARD_RATE, e))
    if who is not None:
        out = ~who
        full[out] = np.where(high_tech[out], gain(d_out, HIGH_TECH_RATE, e), gain(d_out, STANDARD_RATE, e))
    rise = revenue + p["rd_deduction_take_up_size"]
    np.divide(revenue, rise, out=rise)  # the chance of taking it up
    rise *= full
    rise *= _CLAIMS[sector]
    return rise


_CLAIMS = np.ones(N_SECTORS)
_CLAIMS[list(EXCLUDED)] = 0.0
