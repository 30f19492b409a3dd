"""Indicators: one per plan target, plus context and the 总量 / 增量 / 质量 composite indices.

Each indicator is a property of EcosystemModel with the same name (Mesa's DataCollector
reads them as model reporters).
"""

from __future__ import annotations

from dataclasses import dataclass


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
    "total_index": Indicator("总量 index (stocks, baseline = 100)", "index", "总量指数"),
    "increment_index": Indicator("增量 index (growth of stocks since baseline, %)", "%", "增量指数"),
    "quality_index": Indicator("质量 index (composition, baseline = 100)", "index", "质量指数"),
}
