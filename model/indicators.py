"""Indicators: one per plan target, plus context, flows and the 总量 / 增量 / 质量 composite indices.

`compute(model)` reads the model's state once a month; the model keeps the result as its
`snapshot`, which Mesa's DataCollector records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .lever_registry import CHANNELS, LEVERS

if TYPE_CHECKING:
    from .sim import EcosystemModel


@dataclass(frozen=True)
class Indicator:
    label: str
    unit: str
    zh: str


INDICATORS: dict[str, Indicator] = {
    "high_tech": Indicator("national high-tech firms", "firms", "高新技术企业"),
    "specialized_sme": Indicator("specialized SMEs (专精特新)", "firms", "专精特新企业"),
    "to_above_scale_cum": Indicator("小升规 firms since start", "firms", "小升规(累计)"),
    "above_scale_to_strong_cum": Indicator("规升强 firms since start", "firms", "规升强(累计)"),
    "upgrades_cum": Indicator("小升规 + 规升强 since start", "firms", "小升规+规升强(累计)"),
    "listed": Indicator("listed firms incl. NEEQ (上市挂牌)", "firms", "上市挂牌企业"),
    "rd_spending": Indicator("R&D spending", "万元/year", "R&D经费"),
    "rd_vs_baseline": Indicator("R&D spending relative to the baseline year", "x", "R&D相对基年倍数"),
    "rd_intensity": Indicator("R&D intensity (R&D / GDP)", "%", "R&D投入强度"),
    "national_platforms": Indicator("national innovation platforms", "platforms", "国家级创新平台"),
    "new_national_platforms": Indicator("national platforms landed since start", "platforms", "新落地国家级平台"),
    "municipal_platforms": Indicator("municipal innovation platforms", "platforms", "市级创新平台"),
    "joint_labs": Indicator("joint labs and new R&D institutions", "platforms", "校企联合实验室、新型研发机构"),
    "pilot_bases": Indicator("pilot and testing bases", "platforms", "中试、检验检测基地"),
    "platforms_awaiting_grant": Indicator("platforms due under the levers and not yet paid for", "platforms",
                                          "待资助平台"),
    "new_municipal_incubators": Indicator("municipal incubators added since start", "incubators", "新增市级孵化器"),
    "talents_placed_cum": Indicator("talents placed in firms since start", "people", "服务企业引进人才(累计)"),
    "future_firms_new": Indicator("future-industry eco-chain firms added since start and alive", "firms", "未来产业生态链企业(新增)"),
    "scenarios_published_cum": Indicator("application scenarios published since start", "scenarios", "发布应用场景(累计)"),
    "scenarios_for_attracted_cum": Indicator("scenarios matched to attracted firms since start", "scenarios", "为引进企业配场景(累计)"),
    "living_firms": Indicator("living tech firms", "firms", "科技型企业"),
    "above_scale": Indicator("above-scale tech firms", "firms", "规上企业"),
    "entries_cum": Indicator("firm entries since start", "firms", "新进入企业(累计)"),
    "exits_cum": Indicator("firm exits since start", "firms", "退出企业(累计)"),
    "incubated": Indicator("firms in incubators", "firms", "在孵企业"),
    "researchers": Indicator("researchers available", "people", "研发人员"),
    "budget_disbursed_cum": Indicator("S&T budget disbursed since start", "万元", "财政科技资金拨付(累计)"),
    "budget_unspent_cum": Indicator("S&T budget left unspent since start", "万元", "未使用预算(累计)"),
    "social_capital_cum": Indicator("social capital drawn in by the guidance fund", "万元", "撬动社会资本(累计)"),
    "gdp": Indicator("GDP", "万元/year", "地区生产总值"),
    "ht_certified_cum": Indicator("high-tech certificates granted since start (first, again, renewals)", "firms", "高企认定(累计,含重新认定)"),
    "ht_first_cum": Indicator("firms certified high-tech for the first time since start", "firms", "首次认定高企(累计)"),
    "ht_renewed_cum": Indicator("high-tech certificates renewed since start", "firms", "高企复审(累计)"),
    "ht_due": Indicator("high-tech certificates ending within twelve months (due for renewal)", "firms", "一年内到期高企"),
    "zjtx_new_cum": Indicator("专精特新 certificates granted anew since start", "firms", "新认定专精特新(累计)"),
    "zjtx_renewed_cum": Indicator("专精特新 certificates renewed since start", "firms", "专精特新复核(累计)"),
    "absorbed_cum": Indicator("firms that joined with an absorbed territory since start", "firms", "扩区并入企业(累计)"),
    "exit_hazard_y1": Indicator("share of firms exiting in the calendar year they were founded, since start", "1/year",
                                "成立当年退出率"),
    "exit_hazard_y2": Indicator("share of firms exiting in their second calendar year, since start", "1/year",
                                "第2年退出率"),
    "exit_hazard_y3": Indicator("share of firms exiting in their third calendar year, since start", "1/year",
                                "第3年退出率"),
    "exit_hazard_y4_7": Indicator("share of firms exiting in a year of their fourth to seventh calendar years, "
                                  "since start", "1/year", "第4-7年退出率"),
    "active_high_tech_share": Indicator("share of R&D-active firms holding a high-tech certificate", "share", "研发活跃企业中高企占比"),
    "active_rd_ratio_mean": Indicator("mean R&D / revenue of R&D-active firms", "share", "研发活跃企业平均研发强度"),
    "active_rd_ratio_aggregate": Indicator("R&D over revenue of all R&D-active firms together", "share", "研发活跃企业研发强度(总量口径)"),
    "above_scale_high_tech_share": Indicator("share of above-scale tech firms holding a high-tech certificate", "share", "规上科技企业中高企占比"),
    "active_listed_share": Indicator("share of R&D-active firms that are listed", "share", "研发活跃企业中上市挂牌占比"),
    "zjtx_mean_revenue": Indicator("mean revenue of 专精特新 firms", "万元/year", "专精特新企业平均营业收入"),
    "zjtx_rd10_share": Indicator("share of 专精特新 firms spending over 10% of revenue on R&D", "share", "专精特新企业中研发投入占比超10%的比例"),
    "zjtx_staff20_share": Indicator("share of 专精特新 firms with over 20% R&D staff", "share", "专精特新企业中研发人员占比超20%的比例"),
    "total_index": Indicator("总量 index (stocks, baseline = 100)", "index", "总量指数"),
    "increment_index": Indicator("增量 index (growth of stocks since baseline, %)", "%", "增量指数"),
    "quality_index": Indicator("质量 index (composition, baseline = 100)", "index", "质量指数"),
}

# The ledger of each budget channel: what its years opened with (after any adaptive shift) and what it paid, since
# the start. At a December row the difference is what the channel left unspent (money does not roll over).
for _c in CHANNELS:
    _lv = LEVERS[f"budget.{_c}"]
    INDICATORS[f"budgeted_{_c}_cum"] = Indicator(f"{_lv.en}: budgeted since start", "万元", f"{_lv.zh}预算(累计)")
    INDICATORS[f"paid_{_c}_cum"] = Indicator(f"{_lv.en}: paid since start", "万元", f"{_lv.zh}拨付(累计)")

# Indicators that can be below zero: 增量 is the stocks' growth since the baseline, negative when they shrink. Every
# other one is a count, money, a multiple, a share, a rate or an index, never negative, so a negative target
# threshold on it is a slip (model/targets.py refuses it). Of the percents, that leaves rd_intensity: the profiles'
# districts spend 2% (Tongzhou's low end) to 6.7% (Beijing 2023) of GDP on R&D, and a plan's target is above its
# district's level, so a threshold below PERCENT_FLOOR, ten times under the lowest, is a fraction written for a
# percent (0.04 for 4%), refused too. 增量 is exempt: a growth of 0.1% is a sensible target.
SIGNED = frozenset({"increment_index"})
PERCENT_FLOOR = 0.2

def indicator_name(name: str, lang: str) -> str:
    """An indicator as the charts, reports and terminal name it: its Chinese name (zh) or its English label, capitalised
    (en)."""
    ind = INDICATORS[name]
    return ind.zh if lang == "zh" else ind.label[:1].upper() + ind.label[1:]


# Targets on these indicators are commitments: a lever delivers them by arithmetic (the count it sets each
# year), so meeting them is no finding of the model. Indicator -> the lever that delivers it.
COMMITMENTS: dict[str, str] = {
    "talents_placed_cum": "talents_placed_per_year",
    "scenarios_published_cum": "application_scenarios_per_year",
    "scenarios_for_attracted_cum": "scenarios_for_attracted_share",
}
# The profile's baseline entry that sets where a target's indicator starts; the others start at zero (counts
# since the start) or at one (rd_vs_baseline) by definition.
BASELINE_ENTRY: dict[str, str] = {
    "high_tech": "high_tech", "specialized_sme": "specialized_sme", "listed": "listed", "rd_intensity": "rd_total",
    "national_platforms": "national_platforms", "municipal_platforms": "municipal_platforms",
    "joint_labs": "joint_labs", "pilot_bases": "pilot_bases",
}

# Quantities that grow with the district: a model run on one firm in `scale` multiplies them back.
EXTENSIVE = frozenset({
    "high_tech", "specialized_sme", "to_above_scale_cum", "above_scale_to_strong_cum", "upgrades_cum", "listed",
    "rd_spending", "national_platforms", "new_national_platforms", "municipal_platforms", "joint_labs",
    "pilot_bases", "platforms_awaiting_grant", "new_municipal_incubators", "talents_placed_cum", "future_firms_new",
    "scenarios_published_cum", "scenarios_for_attracted_cum", "living_firms", "above_scale", "entries_cum", "exits_cum", "incubated",
    "researchers", "budget_disbursed_cum", "budget_unspent_cum", "social_capital_cum", "gdp", "ht_certified_cum",
    "ht_first_cum", "ht_renewed_cum", "ht_due", "zjtx_new_cum", "zjtx_renewed_cum", "absorbed_cum",
    *(f"{kind}_{c}_cum" for c in CHANNELS for kind in ("budgeted", "paid")),
})
STOCKS = ("living_firms", "high_tech", "rd_spending", "platforms_all", "above_scale")


def compute(model: EcosystemModel) -> dict[str, float]:
    """This month's indicators (in the district's units: counts multiplied by the model's scale)."""
    s: dict[str, float] = {}
    for part in (_firm_counts, _rd_and_platforms, _programmes, _active_firms_and_exits, _zjtx_holders):
        part(model, s)
    for k in EXTENSIVE:
        s[k] = float(s[k]) * model.scale
    s.update(composites(s, model.base_snapshot if model.snapshot else None))
    return s


def _firm_counts(model: EcosystemModel, s: dict[str, float]) -> None:
    """Certified, upgraded and listed firms."""
    f, month, c = model.firms, model.month, model.counters
    alive = f.alive
    s["high_tech"] = np.count_nonzero(alive & (f.ht_until > month))
    s["specialized_sme"] = np.count_nonzero(alive & (f.zjtx_until > month))
    s["to_above_scale_cum"] = c.small_up
    s["above_scale_to_strong_cum"] = c.strong_up
    s["upgrades_cum"] = c.small_up + c.strong_up
    s["listed"] = np.count_nonzero(alive & f.listed)


def gdp_points(events: list[tuple[int, str, float]], gdp0: float) -> tuple[tuple[float, float], ...]:
    """(years after the baseline, GDP over the baseline's) of a profile's documented GDP events, in date order: an
    event of model month m gives the GDP at the end of that month, m + 1 months after the baseline."""
    return tuple(sorted(((m + 1) / 12.0, v / gdp0) for m, kind, v in events if kind == "gdp"))


def gdp_factor(years: float, growth: float, points: tuple[tuple[float, float], ...] = ()) -> float:
    """GDP `years` after the baseline, over the baseline's: through the profile's documented points (years, GDP
    over the baseline's), at a constant rate between two of them, and at `growth` a year after the last one (from
    the baseline when the profile documents none)."""
    t0, g0 = 0.0, 1.0
    for t1, g1 in points:  # t1 > t0: points fall at month ends after the baseline, one per month (profiles.py)
        if years <= t1:
            return g0 * (g1 / g0) ** ((years - t0) / (t1 - t0))
        t0, g0 = t1, g1
    return g0 * (1.0 + growth) ** (years - t0)


def _rd_and_platforms(model: EcosystemModel, s: dict[str, float]) -> None:
    """R&D spending and intensity, GDP, and the operating platforms by level."""
    f, month = model.firms, model.month
    alive = f.alive
    level = {"national": 0, "municipal": 0, "joint_lab": 0, "pilot_base": 0}
    new_national, platform_rd = 0, 0.0
    for pl in model.platforms:
        if pl.operating:
            level[pl.level] += 1
            new_national += pl.new and pl.level == "national"
            platform_rd += pl.rd_spending(model.p) if pl.new else 0.0
    years = (month + 1) / 12.0 if model.snapshot else 0.0  # end of month `month`; 0 at the baseline
    b = model.baseline
    growth = gdp_factor(years, b["gdp_growth"], model.gdp_points)
    firm_rd = model.rd_statistical_ratio * float(np.sum(f.rd_ratio * f.revenue, where=alive))
    # R&D outside firms (institutes, universities, hospitals) keeps its baseline share of GDP
    s["rd_spending"] = firm_rd + model._nonfirm_rd0 * growth + platform_rd
    s["gdp"] = b["gdp"] * growth
    s["rd_intensity"] = 100.0 * s["rd_spending"] / s["gdp"]
    s["rd_vs_baseline"] = s["rd_spending"] / (model.base_snapshot["rd_spending"] / model.scale) if model.snapshot else 1.0
    s["platforms_awaiting_grant"] = sum(model.government.platforms_waiting.values())
    s["national_platforms"] = level["national"]
    s["new_national_platforms"] = new_national
    s["municipal_platforms"] = level["municipal"]
    s["joint_labs"] = level["joint_lab"]
    s["pilot_bases"] = level["pilot_base"]


def _programmes(model: EcosystemModel, s: dict[str, float]) -> None:
    """Incubators, talents, scenarios, the firm population's flows, the special fund and certificates due."""
    f, c, month = model.firms, model.counters, model.month
    alive = f.alive
    gov = model.government
    s["new_municipal_incubators"] = gov.incubators_added["municipal"]
    s["talents_placed_cum"] = model.talent.placed
    s["future_firms_new"] = np.count_nonzero(alive & f.future & f.new)
    s["scenarios_published_cum"] = gov.scenarios_published
    s["scenarios_for_attracted_cum"] = gov.scenarios_for_attracted
    s["living_firms"] = np.count_nonzero(alive)
    s["above_scale"] = np.count_nonzero(alive & f.above_scale)
    s["entries_cum"] = c.entries
    s["exits_cum"] = c.exits
    s["incubated"] = np.count_nonzero(alive & (f.incubator >= 0))
    s["researchers"] = model.talent.researchers
    s["budget_disbursed_cum"] = model.fund.disbursed
    s["budget_unspent_cum"] = model.fund.unspent
    s["social_capital_cum"] = model.fund.stats.social_capital
    for channel in CHANNELS:
        ledger = model.fund.ledgers[channel]
        s[f"budgeted_{channel}_cum"] = ledger.budgeted
        s[f"paid_{channel}_cum"] = ledger.disbursed
    s["ht_certified_cum"] = c.ht_first + c.ht_again + c.ht_renewed
    s["ht_first_cum"] = c.ht_first
    s["ht_renewed_cum"] = c.ht_renewed
    s["ht_due"] = np.count_nonzero(alive & (f.ht_until >= month) & (f.ht_until < month + 12))
    s["zjtx_new_cum"] = c.zjtx_new
    s["zjtx_renewed_cum"] = c.zjtx_renewed
    s["absorbed_cum"] = c.absorbed


def _active_firms_and_exits(model: EcosystemModel, s: dict[str, float]) -> None:
    """Context: shares among R&D-active and above-scale firms, and exit rates by calendar year of life."""
    f, month, c = model.firms, model.month, model.counters
    alive = f.alive
    act = alive & f.active
    n_act = max(int(np.count_nonzero(act)), 1)
    s["active_high_tech_share"] = np.count_nonzero(act & (f.ht_until > month)) / n_act
    s["active_rd_ratio_mean"] = float(f.rd_ratio[act].mean()) if act.any() else 0.0
    s["active_rd_ratio_aggregate"] = float((f.rd_ratio * f.revenue)[act].sum() / max(f.revenue[act].sum(), 1.0))
    s["active_listed_share"] = np.count_nonzero(act & f.listed) / n_act
    big = alive & f.above_scale
    s["above_scale_high_tech_share"] = np.count_nonzero(big & (f.ht_until > month)) / max(np.count_nonzero(big), 1)
    exits, at_risk = c.exits_by_year_of_life, c.at_risk_by_year_of_life
    rate = exits / np.maximum(at_risk, 1.0)
    s["exit_hazard_y1"], s["exit_hazard_y2"], s["exit_hazard_y3"] = (float(r) for r in rate[:3])
    s["exit_hazard_y4_7"] = float(exits[3:7].sum() / max(at_risk[3:7].sum(), 1.0))


def _zjtx_holders(model: EcosystemModel, s: dict[str, float]) -> None:
    """Context: what the 专精特新 firms are like, as Beijing's sources describe theirs (PE29, PE30)."""
    f = model.firms
    held = f.alive & (f.zjtx_until > model.month)
    n = np.count_nonzero(held)
    s["zjtx_mean_revenue"] = float(f.revenue[held].mean()) if n else 0.0
    s["zjtx_rd10_share"] = np.count_nonzero(held & (f.rd_ratio > 0.10)) / max(n, 1)
    s["zjtx_staff20_share"] = np.count_nonzero(held & (f.staff_eff > 0.20)) / max(n, 1)


def composites(s: dict[str, float], base: dict[str, float] | None) -> dict[str, float]:
    """三量: 总量 (stocks), 增量 (growth of stocks, %), 质量 (composition), relative to the baseline `base`
    (None: this is the baseline). See README."""
    s = dict(s, platforms_all=s["national_platforms"] + s["municipal_platforms"] + s["joint_labs"] + s["pilot_bases"])
    q = _quality(s)
    if base is None:
        return {"total_index": 100.0, "increment_index": 0.0, "quality_index": 100.0}
    base = dict(base, platforms_all=base["national_platforms"] + base["municipal_platforms"] + base["joint_labs"]
                + base["pilot_bases"])
    q0 = _quality(base)
    ratios = np.array([max(s[k], 1e-9) / max(base[k], 1e-9) for k in STOCKS])
    qual = np.array([max(v, 1e-12) / max(q0[k], 1e-12) for k, v in q.items()])
    return {"total_index": 100.0 * float(np.exp(np.log(ratios).mean())),
            "increment_index": 100.0 * float((ratios - 1.0).mean()),
            "quality_index": 100.0 * float(np.exp(np.log(qual).mean()))}


def _quality(s: dict[str, float]) -> dict[str, float]:
    n = max(s["living_firms"], 1)
    return {"ht_share": s["high_tech"] / n, "rd_intensity": s["rd_intensity"],
            "zjtx_share": s["specialized_sme"] / n, "scale_share": s["above_scale"] / n}
