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

from dataclasses import dataclass, replace


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
    mechanism: str = ""  # how the model turns the lever into outcomes
    mechanism_zh: str = ""  # the same in Chinese (HOW gives both)
    effects: tuple[str, ...] = ()  # behavioural parameters of that mechanism: drawn from their evidence ranges
    terms: tuple[str, ...] = ()  # the programme's own terms (tickets, grants, rates): held at their value

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


# A mechanism in both languages, side by side: the app's lever panel shows the Chinese on its Chinese page. Both say
# the same, with the same figures and parameter names (tests/test_zh_texts.py holds them to it).
_PLATFORM = {
    "en": "once built (platform_build_months), a platform adds its own R&D to the district's, raises the capability "
          "of the firms of its industry in proportion to platforms per 1,000 firms there, and spins off firms",
    "zh": "平台建成后（platform_build_months），其自身的 R&D 经费计入全区 R&D 投入，按所在行业每 1,000 家企业"
          "拥有的平台数同比例提升该行业企业的能力，并衍生新企业",
}
_SUBSIDY = {
    "en": "a subsidised firm's exit hazard falls while the subsidy runs (rent: firms under 3 years old; loans: "
          "above-scale or certified firms)",
    "zh": "补贴期内受补贴企业的退出风险下降（房租补贴面向成立不满 3 年的企业，贷款贴息面向规上企业或已获认定的企业）",
}
# Each lever's mechanism, the behavioural parameters it acts through (`effects`, drawn in every replication from
# their evidence range, see parameters.PARAMETERS for the cited rows) and the programme terms it is paid on.
HOW: dict[str, tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]] = {
    "national_platforms_per_year": (_PLATFORM, ("rd_per_national_platform", "spillover_per_density", "spinoff_rate"),
                                    ("platform_grant_national", "platform_build_months")),
    "municipal_platforms_per_year": (_PLATFORM, ("rd_per_municipal_platform", "spillover_per_density", "spinoff_rate"),
                                     ("platform_grant_municipal", "platform_build_months")),
    "joint_labs_per_year": (_PLATFORM, ("rd_per_joint_lab", "spillover_per_density", "spinoff_rate"),
                            ("platform_grant_joint_lab", "platform_build_months")),
    "pilot_bases_per_year": (_PLATFORM, ("rd_per_pilot_base", "spillover_per_density", "spinoff_rate"),
                             ("platform_grant_pilot", "platform_build_months")),
    "young_talents_per_year": ({
        "en": "a supported young talent works 36 months in a host firm, which grows faster meanwhile and adds a "
              "researcher to its industry's pool",
        "zh": "获支持的杰出青年人才在一家企业工作 36 个月，其间该企业增长更快，所在行业的研发人员储备增加一人"},
        ("growth_talent_boost",), ("young_talent_grant",)),
    "talent_teams_per_year": ({
        "en": "a funded team works 36 months in a host firm, which grows faster meanwhile, and brings about five "
              "researchers to its industry's pool",
        "zh": "获资助的创新团队在一家企业工作 36 个月，其间该企业增长更快，并为所在行业的研发人员储备带来约五名"
              "研究人员"},
        ("growth_team_boost",), ("team_grant",)),
    "talents_placed_per_year": ({
        "en": "a placed high-level talent works 36 months in a host firm, which grows faster meanwhile; placements "
              "cannot exceed the talents that arrived",
        "zh": "为企业引进的高层次人才在该企业工作 36 个月，其间企业增长更快；引才人数不超过当期实际流入的人才数"},
        ("growth_talent_boost",), ()),
    "high_tech_pool_per_year": ({
        "en": "pooled firms that meet the high-tech rules apply and pass more often in the annual round, and those "
              "just below its R&D rule bunch up to it more often (pool_bunching_factor, held at its value)",
        "zh": "入库企业中符合高新技术企业认定条件的，在年度认定中申报和通过的概率更高；研发费用占比略低于认定标准的入库"
              "企业，更常将其提高到标准线（pool_bunching_factor，取固定值）"},
        ("pool_apply_uplift",), ()),
    "listing_pool_size": ({
        "en": "pooled firms list at a higher yearly rate than other firms that meet the listing rules",
        "zh": "入库企业的年上市率高于其他符合上市条件的企业"},
        ("listing_rate_pool",), ()),
    "application_scenarios_per_year": ({
        "en": "a firm matched to an application scenario grows faster for 12 months",
        "zh": "对接到应用场景的企业在随后 12 个月内增长更快"},
        ("growth_scenario_boost",), ()),
    "scenarios_for_attracted_share": ({
        "en": "reserves scenarios (and their growth boost) for attracted firms",
        "zh": "将一部分应用场景（及其带来的增长）留给招商引进企业"},
        ("growth_scenario_boost",), ()),
    "attracted_firms_per_year": ({
        "en": "attracted firms join the population, some already certified high-tech and some in the plan's future "
              "industries; they arrive established (Pareto-sized from attracted_revenue_min, most R&D-active ones "
              "owning IP: parameters.py, entrants)",
        "zh": "招商引进企业加入全区企业群体，其中一部分已认定为高新技术企业，一部分属于规划确定的未来产业；引进企业落地"
              "时已具规模（营业收入自 attracted_revenue_min 起服从帕累托分布，开展实质性研发的企业大多拥有知识产权：见 "
              "parameters.py 新进入企业部分）"},
        ("attracted_high_tech_share", "attracted_future_share"), ()),
    "new_municipal_incubators": ({
        "en": "more incubator places: more start-ups enter, and incubated firms grow at a different rate and exit "
              "less during their stay",
        "zh": "孵化器在孵名额增加：新设初创企业增多，在孵企业在孵期间的增长率随之改变，退出减少"},
        ("startup_incubator_elasticity", "growth_incubator_boost", "exit_incubator_reduction"),
        ("incubator_accreditation_prob", "incubation_months", "incubator_admission_share")),
    "new_ordinary_incubators": ({
        "en": "as municipal incubators, without accreditation",
        "zh": "作用同市级孵化器，但无需经过认定"},
        ("startup_incubator_elasticity", "growth_incubator_boost", "exit_incubator_reduction"),
        ("incubation_months", "incubator_admission_share")),
    "services_index": ({
        "en": "talent services raise the inflow of researchers into every industry's pool",
        "zh": "人才服务保障水平提高各行业研发人员的流入"},
        ("talent_services_effect",), ()),
    "adaptive_shift": ({
        "en": "moves money between channels each year; it acts only through the channels' own effects",
        "zh": "每年在各资金渠道之间调剂预算，仅通过各渠道自身的效应起作用"},
        (), ()),
    "budget.guidance_fund_equity": ({
        "en": "equity raises the investee's R&D propensity and its growth for 24 months",
        "zh": "股权投资在 24 个月内提高被投企业的 R&D 投入倾向和增长率"},
        ("equity_rd_uplift", "growth_equity_boost"), ("equity_ticket", "social_leverage")),
    "budget.loan_interest_subsidy": (_SUBSIDY, ("exit_subsidy_reduction",), ("loan_subsidy_ticket",)),
    "budget.rent_subsidy": (_SUBSIDY, ("exit_subsidy_reduction",), ("rent_subsidy_ticket",)),
    "budget.rd_growth_reward": ({
        "en": "a firm paid for last year's R&D growth raises its R&D propensity by elasticity x rate (negative where "
              "rewards crowd out the firm's own R&D); larger firms claim more often (take-up)",
        "zh": "因上年 R&D 投入增长获得奖励的企业，其 R&D 投入倾向提高“弹性 × 奖励比例”（奖励挤出企业自有 R&D 投入时"
              "为负值）；规模越大的企业申领越多（申领率）"},
        ("rd_reward_elasticity", "rd_reward_take_up_size"), ("rd_reward_rate", "rd_reward_cap")),
    "budget.platform_grant": ({
        "en": "pays for the platform levers' new platforms (a platform not paid for is not started)",
        "zh": "支付各平台杠杆新建平台的资助（未获资助的平台不启动建设）"},
        (), ("platform_grant_national", "platform_grant_municipal", "platform_grant_joint_lab",
             "platform_grant_pilot")),
    "budget.talent_grant": ({
        "en": "pays for the young talents and teams (those not paid for are not funded)",
        "zh": "支付杰出青年人才和创新团队的资助（未获资助的不予支持）"},
        (), ("young_talent_grant", "team_grant")),
}


def with_mechanisms(levers: dict[str, Lever], how: dict) -> dict[str, Lever]:
    """The levers with their mechanism, effects and terms; ValueError naming a lever whose mechanism lacks its
    Chinese (the app's Chinese page would show the English)."""
    out = {}
    for name, lv in levers.items():
        text, effects, terms = how[name]
        if not text.get("en") or not text.get("zh"):
            raise ValueError(f"lever {name}: its mechanism needs both its English and its Chinese (en, zh)")
        out[name] = replace(lv, mechanism=text["en"], mechanism_zh=text["zh"], effects=effects, terms=terms)
    return out


LEVERS = with_mechanisms(LEVERS, HOW)


CHANNELS = tuple(name.removeprefix("budget.") for name, lv in LEVERS.items() if lv.is_budget)  # the budget's


def effect_parameters() -> tuple[str, ...]:
    """Every lever's behavioural parameters, once, in a fixed order (the order replications draw them in)."""
    return tuple(sorted({name for lv in LEVERS.values() for name in lv.effects}))


def effort() -> dict[str, tuple[list[str], list[str]]]:
    """Indicator -> (levers, budget channels) the adaptive loop raises when the indicator's target lags."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for lv in LEVERS.values():
        for indicator in lv.serves:
            levers, channels = out.setdefault(indicator, ([], []))
            (channels if lv.is_budget else levers).append(lv.name.removeprefix("budget."))
    return out


__all__ = ["CHANNELS", "HOW", "LEVERS", "UNITS", "Lever", "Unit", "UnitCost", "effect_parameters", "effort",
           "with_mechanisms"]
