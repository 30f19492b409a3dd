"""Every lever a scenario can set, once: how tables, sentences, charts, costs and the adaptive loop name it.

A lever is named by its path in the scenario file (`municipal_platforms_per_year`, or
`budget.rd_growth_reward` for a budget channel); its valid range is the scenario schema's bound
(`levers.valid_range`). Like `parameters.Param`, each record carries its unit, labels and where its
numbers come from: the unit costs are our estimates with a range (no source gives them), and a
scenario can override any of them in its `[costs]` table.

This module imports nothing of the package, so the schema, the mechanisms and the reports can all
read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """How a lever's value is shown: multiplied by `scale`, followed by the zh or en wording."""

    zh: str
    en: str
    scale: float = 1.0


# One wording per unit. Money is entered in 万元 a year and shown in 亿元 (1亿元 = 10,000万元 = 100m yuan).
UNITS: dict[str, Unit] = {
    "platforms": Unit("家", "platforms"), "labs": Unit("家", "labs"), "bases": Unit("家", "bases"),
    "people": Unit("人", "people"), "teams": Unit("个", "teams"), "firms": Unit("家", "firms"),
    "scenarios": Unit("项", "scenarios"), "incubators": Unit("家", "incubators"),
    "share": Unit("%", "%", 100.0), "index 0-1": Unit("", ""),
    "万元/year": Unit("亿元/年", "亿元 (100m yuan) a year", 1e-4),
}


@dataclass(frozen=True)
class UnitCost:
    """What one unit of a lever costs the district, 万元; `range` is the plausible interval of the estimate."""

    value: float
    unit: str
    label: str
    source: str
    range: tuple[float, float]


@dataclass(frozen=True)
class Lever:
    name: str
    zh: str  # label in tables and charts
    en: str
    unit: str  # a key of UNITS
    phrase_zh: str  # subject of a sentence: '每年新增市级平台' (不少于4家)
    phrase_en: str  # noun of a sentence: 'municipal platforms a year' (at least 4 ...)
    style: str  # "count": 'at least 4 platforms a year'; "amount": 'rewards of at least 2.3亿元 a year'
    explain: str  # one line for a planner: what the lever does in the model
    channel: str | None = None  # the budget channel that pays for each unit, if one does
    serves: tuple[str, ...] = ()  # indicators the adaptive loop raises this lever for when they lag
    cost: UnitCost | None = None  # priced here when no budget channel pays for it
    per_horizon: bool = False  # a count over the whole horizon, not per year

    @property
    def is_budget(self) -> bool:
        return self.name.startswith("budget.")


def _channel(key: str, zh: str, en: str, explain: str, serves: tuple[str, ...] = ()) -> Lever:
    return Lever(f"budget.{key}", zh, en, "万元/year", "每年" + zh, en, "amount", explain, channel=f"budget.{key}",
                 serves=serves)


LEVERS: dict[str, Lever] = {lv.name: lv for lv in (
    Lever("national_platforms_per_year", "国家级平台/年", "national platforms a year", "platforms",
           "每年新增国家级平台", "national platforms a year", "count",
           "national innovation platforms started each year, paid from the platform grant",
           channel="budget.platform_grant", serves=("national_platforms", "new_national_platforms")),
    Lever("municipal_platforms_per_year", "市级平台/年", "municipal platforms a year", "platforms",
           "每年新增市级平台", "municipal platforms a year", "count",
           "municipal innovation platforms started each year, paid from the platform grant",
           channel="budget.platform_grant", serves=("municipal_platforms",)),
    Lever("joint_labs_per_year", "校企联合实验室/年", "joint labs a year", "labs",
           "每年新建校企联合实验室", "new joint labs a year", "count",
           "university-firm joint labs and new R&D institutes started each year, paid from the platform grant",
           channel="budget.platform_grant", serves=("joint_labs",)),
    Lever("pilot_bases_per_year", "中试/检测基地/年", "pilot and testing bases a year", "bases",
           "每年新建中试/检测基地", "new pilot and testing bases a year", "count",
           "pilot-production and testing bases started each year, paid from the platform grant",
           channel="budget.platform_grant"),
    Lever("young_talents_per_year", "杰出青年/年", "young talents a year", "people",
           "每年支持杰出青年", "young talents supported a year", "count",
           "outstanding young scientists supported each year, paid from the talent grant",
           channel="budget.talent_grant"),
    Lever("talent_teams_per_year", "创新团队/年", "innovation teams a year", "teams",
           "每年支持创新团队", "innovation teams supported a year", "count",
           "innovation teams supported each year, paid from the talent grant", channel="budget.talent_grant"),
    Lever("talents_placed_per_year", "服务企业引才/年", "talents placed in firms a year", "people",
           "每年服务企业引进人才", "talents placed in firms a year", "count",
           "talents the district's services place in firms each year", serves=("talents_placed_cum",),
           cost=UnitCost(10.0, "万元 per talent", "service cost of placing a talent in a firm", "estimate", (5, 30))),
    Lever("high_tech_pool_per_year", "高企培育库入库/年", "high-tech cultivation pool places a year", "firms",
           "每年高企培育库入库企业", "firms entering the high-tech cultivation pool a year", "count",
           "firms coached towards high-tech certification each year (高企培育库)", serves=("high_tech",),
           cost=UnitCost(10.0, "万元 per pooled firm", "coaching a firm in the 高企培育库 for a year", "estimate",
                         (3, 20))),
    Lever("listing_pool_size", "上市培育库规模", "listing pool size", "firms",
           "上市培育库规模", "a listing pool", "amount",
           "firms in the listing pipeline (上市培育库), topped up each January", serves=("listed",),
           cost=UnitCost(50.0, "万元 per pooled firm per year", "listing advisory and subsidies per firm in the "
                         "上市培育库", "estimate", (20, 100))),
    Lever("application_scenarios_per_year", "应用场景/年", "application scenarios a year", "scenarios",
           "每年发布应用场景", "application scenarios published a year", "count",
           "application scenarios (pilot purchases) the district opens to firms each year",
           serves=("scenarios_published_cum",),
           cost=UnitCost(200.0, "万元 per scenario", "opening an application scenario (pilot purchase, "
                         "coordination)", "estimate", (50, 500))),
    Lever("scenarios_for_attracted_share", "配给引进企业的场景占比", "share of scenarios for attracted firms", "share",
           "配给引进企业的场景占比", "a share of scenarios for attracted firms", "amount",
           "share of the application scenarios reserved for attracted firms"),
    Lever("attracted_firms_per_year", "招商引进企业/年", "firms attracted a year", "firms",
           "每年招商引进企业", "firms attracted a year", "count",
           "firms attracted (招商) from central Beijing and SOE headquarters each year",
           serves=("future_firms_new", "scenarios_for_attracted_cum"),
           cost=UnitCost(300.0, "万元 per firm", "招商 incentives per attracted firm (settling reward, rent)",
                         "estimate", (100, 1000))),
    Lever("new_municipal_incubators", "新增市级孵化器(期内)", "new municipal incubators (horizon)", "incubators",
           "期内新增市级孵化器", "new municipal incubators over the plan", "count",
           "municipal incubators added over the plan", serves=("new_municipal_incubators",), per_horizon=True,
           cost=UnitCost(2000.0, "万元 per incubator", "district support to build and accredit a municipal "
                         "incubator", "estimate", (1000, 5000))),
    Lever("new_ordinary_incubators", "新增一般孵化器(期内)", "new ordinary incubators (horizon)", "incubators",
           "期内新增一般孵化器", "new ordinary incubators over the plan", "count",
           "ordinary incubators and 众创空间 added over the plan", per_horizon=True,
           cost=UnitCost(500.0, "万元 per incubator", "district support for an ordinary incubator or 众创空间",
                         "estimate", (200, 1500))),
    Lever("services_index", "人才服务水平", "talent services index", "index 0-1",
           "人才服务水平(0-1)", "a talent services index (0-1)", "amount",
           "talent services (housing, schools, medical care; the plan's 温度), 0 to 1",
           cost=UnitCost(20000.0, "万元 per year at index 1", "talent services (housing, schools, medical care) at "
                         "the best level in Beijing", "estimate", (5000, 50000))),
    Lever("adaptive_shift", "年度考核调整比例", "adaptive shift", "share",
           "年度考核调整比例", "an adaptive shift", "amount",
           "share of on-track channels' budget moved each year to lagging targets (with adaptive = true)"),
    _channel("guidance_fund_equity", "引导基金", "guidance fund equity",
             "equity the guidance fund invests in firms each year", ("specialized_sme", "listed")),
    _channel("loan_interest_subsidy", "贷款贴息", "loan interest subsidies",
             "interest subsidies on firms' loans each year", ("upgrades_cum",)),
    _channel("rent_subsidy", "房租补贴", "rent subsidies", "rent subsidies for firms each year"),
    _channel("rd_growth_reward", "研发投入增长奖励", "R&D-growth rewards",
             "rewards for firms' R&D growth each year", ("high_tech", "rd_vs_baseline", "rd_intensity")),
    _channel("platform_grant", "平台资助", "platform grants", "grants that pay for new platforms",
             ("national_platforms", "new_national_platforms", "municipal_platforms", "joint_labs")),
    _channel("talent_grant", "人才资助", "talent grants", "grants that pay for the talent programmes",
             ("talents_placed_cum",)),
)}


def effort() -> dict[str, tuple[list[str], list[str]]]:
    """Indicator -> (levers, budget channels) the adaptive loop raises when the indicator's target lags."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for lv in LEVERS.values():
        for indicator in lv.serves:
            levers, channels = out.setdefault(indicator, ([], []))
            (channels if lv.is_budget else levers).append(lv.name.removeprefix("budget."))
    return out


__all__ = ["LEVERS", "UNITS", "Lever", "Unit", "UnitCost", "effort"]
