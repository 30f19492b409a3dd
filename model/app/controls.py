"""The page's lever controls, built from the lever registry (model/lever_registry.py) and the parameters' evidence.

Each control carries the registry's labels, unit, explanation, mechanism and effects; each effect its
central value, range and source from model/parameters.py, and the policy-evidence rows it cites. The mechanism and
each effect's name and source come in Chinese too, from beside their English (the registry's HOW, the parameters'
label_zh and source_zh). Values are
entered in the scenario file's units (万元 a year, shares 0-1), so what the page runs is what the file says.

The page's values go through levers.with_levers as they are, as in every analysis that moves levers: a count
that a budget channel pays for (platforms, young talents, teams) moves the channel by its unit grant, and the
channel never holds less than its counts need (levers.channel_follows_counts). A channel typed on the page is
kept as its own value less what the counts moved, so that the box shows what runs.
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass

from pydantic import ValidationError

from ..analysis.calibration import data_dir
from ..errors import InputError
from ..lever_registry import LEVERS as REGISTRY
from ..lever_registry import UNITS
from ..levers import (
    declared_ranges,
    get,
    shown,
    unit_grant,
    unit_text,
    valid_range,
    with_levers,
)
from ..parameters import PARAMETERS
from ..scenario import Budget, Levers, Scenario

# What each lever is, in a planner's Chinese (the registry's `explain` is the English).
EXPLAIN_ZH: dict[str, str] = {
    "national_platforms_per_year": "每年新落地的国家级创新平台（重点实验室、工程中心等），由平台资助支付",
    "municipal_platforms_per_year": "每年新认定的市级创新平台，由平台资助支付",
    "joint_labs_per_year": "每年新建的校企联合实验室、新型研发机构，由平台资助支付",
    "pilot_bases_per_year": "每年新建的成果转化、中试和检验检测基地，由平台资助支付",
    "young_talents_per_year": "每年支持的杰出青年人才，由人才资助支付",
    "talent_teams_per_year": "每年支持的优秀创新团队，由人才资助支付",
    "talents_placed_per_year": "每年为企业引进的人才",
    "high_tech_pool_per_year": "每年进入高新技术企业培育库的企业，获辅导后更易通过认定",
    "listing_pool_size": "上市重点培育库的企业数，每年一月补足",
    "application_scenarios_per_year": "每年向企业开放的应用场景（首购、试用），配到场景的企业需求上升一年",
    "scenarios_for_attracted_share": "应用场景中留给招商引进企业的比例（0–1）",
    "attracted_firms_per_year": "每年从中心城区和央企总部引进的企业",
    "new_municipal_incubators": "期内新增的市级孵化器（总数，分摊到各年）",
    "new_ordinary_incubators": "期内新增的一般孵化器、众创空间（总数）",
    "services_index": "人才服务水平（住房、子女教育、医疗）：0 为没有，1 为北京最好水平",
    "adaptive_shift": "年度考核时，从进展顺利的渠道移向落后目标的预算比例（需开启年度考核）",
    "budget.guidance_fund_equity": "政府引导基金每年对企业的股权投资",
    "budget.loan_interest_subsidy": "科技企业贷款贴息，每年",
    "budget.rent_subsidy": "科技企业房租补贴，每年",
    "budget.rd_growth_reward": "按企业研发投入增量给予的奖励，每年",
    "budget.platform_grant": "新建创新平台的资助，每年（支付上面的平台数）",
    "budget.talent_grant": "人才项目资助，每年（支付上面的青年人才和团队）",
}
# The input's unit where the registry shows a lever in another (money in 亿元, shares in %); the others as shown.
FILE_UNITS: dict[str, tuple[str, str]] = {
    "万元/year": ("万元/年", "10k yuan a year"), "share": ("比例 0–1", "share 0-1"),
    "index 0-1": ("指数 0–1", "index 0-1"),
}
ADAPTIVE = ("年度考核调整", "annual reassessment", "每年考核一次，把预算移向落后的目标",
            "once a year, move budget towards lagging targets")
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("platforms", ("national_platforms_per_year", "municipal_platforms_per_year", "joint_labs_per_year",
                   "pilot_bases_per_year")),
    ("talent", ("young_talents_per_year", "talent_teams_per_year", "talents_placed_per_year", "services_index")),
    ("firms", ("high_tech_pool_per_year", "listing_pool_size", "attracted_firms_per_year",
               "application_scenarios_per_year", "scenarios_for_attracted_share")),
    ("incubators", ("new_municipal_incubators", "new_ordinary_incubators")),
    ("budget", tuple(f"budget.{k}" for k in Budget.model_fields)),
    ("review", ("adaptive", "adaptive_shift")),
)
# Levers that may take a value per year. The scenario format holds one value for the whole horizon today:
# when it allows a per-year table, list the lever here and the page offers one field per year.
PER_YEAR: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Evidence:
    """A row of calibration/data/policy-evidence.csv: its id, the study and where to find it."""

    id: str
    reference: str
    url: str


@dataclass(frozen=True)
class Effect:
    """A behavioural parameter a lever acts through, drawn per replication from its range (model/parameters.py)."""

    name: str
    label: str
    unit: str
    central: float
    range: tuple[float, float]
    source: str
    evidence: tuple[Evidence, ...]
    no_evidence: bool
    label_zh: str = ""
    source_zh: str = ""

    def label_in(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label

    def source_in(self, lang: str) -> str:
        return self.source_zh if lang == "zh" else self.source


@dataclass(frozen=True)
class Control:
    """One control on the page: what it is called, its unit, what it does, and the evidence for its effect."""

    name: str  # its path in the scenario file's [levers]: "services_index", "budget.rent_subsidy"
    zh: str
    en: str
    unit_zh: str
    unit_en: str
    explain_zh: str
    explain_en: str
    kind: str  # "number" or "switch"
    bounds: tuple[float, float]  # what the scenario format accepts
    group: str
    mechanism: str = ""  # the registry's, in English
    mechanism_zh: str = ""
    effects: tuple[Effect, ...] = ()
    channel: str | None = None  # the budget channel that pays for each unit
    per_year: bool = False

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def unit(self, lang: str) -> str:
        return self.unit_zh if lang == "zh" else self.unit_en

    def explain(self, lang: str) -> str:
        return self.explain_zh if lang == "zh" else self.explain_en

    def mechanism_in(self, lang: str) -> str:
        return self.mechanism_zh if lang == "zh" else self.mechanism


@functools.cache
def evidence_rows() -> dict[str, Evidence]:
    """The policy-evidence table by id; empty if the file is not there (the ids are shown alone then)."""
    path = data_dir("calibration", "calibrated") / "data" / "policy-evidence.csv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return {r["id"]: Evidence(r["id"], r["source"], r["url_or_reference"]) for r in csv.DictReader(f)}
    except (OSError, KeyError, csv.Error):
        return {}


def effect(name: str) -> Effect:
    p = PARAMETERS[name]
    rows = evidence_rows()
    cited = tuple(rows.get(i, Evidence(i, "", "")) for i in p.evidence)
    return Effect(name, p.label, p.unit, p.value, p.range, p.source, cited, p.no_evidence, p.label_zh, p.source_zh)


def _controls() -> dict[str, Control]:
    group_of = {name: g for g, names in GROUPS for name in names}
    out = {"adaptive": Control("adaptive", ADAPTIVE[0], ADAPTIVE[1], "开/关", "on/off", ADAPTIVE[2], ADAPTIVE[3],
                               "switch", (0, 1), group_of["adaptive"])}
    for name, lv in REGISTRY.items():
        uz, ue = FILE_UNITS.get(lv.unit, (UNITS[lv.unit].zh, UNITS[lv.unit].en))
        lo, hi = valid_range(name)
        out[name] = Control(name, lv.zh, lv.en, uz, ue, EXPLAIN_ZH[name], lv.explain, "number",
                            (lo, hi if math.isfinite(hi) else 1e9), group_of[name], lv.mechanism, lv.mechanism_zh,
                            tuple(effect(e) for e in lv.effects), None if lv.is_budget else lv.channel,
                            per_year=name in PER_YEAR)
    return {name: out[name] for _, names in GROUPS for name in names}


CONTROLS: dict[str, Control] = _controls()


def schema_levers() -> set[str]:
    """Every lever the scenario format has, by its path in [levers]."""
    return {k for k in Levers.model_fields if k != "budget"} | {f"budget.{k}" for k in Budget.model_fields}


def plan_value(scenario: Scenario, name: str) -> float:
    if name == "adaptive":
        return float(scenario.levers.adaptive)
    return get(scenario, name)


def explored_range(scenario: Scenario, name: str) -> tuple[float, float] | None:
    """The scenario's [ranges] entry for the lever (what sensitivity and optimize explore), if any."""
    return declared_ranges(scenario).get(name)


def slider_range(scenario: Scenario, name: str) -> tuple[float, float]:
    """The span of the lever's slider: the scenario's [ranges], else up to twice the plan's value, within the bounds."""
    lo, hi = CONTROLS[name].bounds
    declared = explored_range(scenario, name)
    value = plan_value(scenario, name)
    a, b = declared if declared else (0.0, 1.0 if hi <= 1 else max(2 * value, 10.0))
    return max(lo, min(a, value)), min(hi, max(b, value))


def grant(scenario: Scenario, name: str) -> float | None:
    """万元 the lever's budget channel pays for one more unit (a platform, a young talent, a team), or None."""
    return unit_grant(scenario, name) if CONTROLS[name].channel else None


def with_values(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with the page's levers, validated by the schema (InputError naming the lever otherwise).

    A key "lever@year" is a per-year value (the page offers them for the levers in PER_YEAR): the scenario format
    has no place for one yet, so it is refused here, by name, rather than dropped."""
    per_year = sorted(k for k in values if "@" in k)
    if per_year:
        raise InputError("levers", per_year[0], "per-year values are not in the scenario format yet")
    numbers = {k: v for k, v in values.items() if k != "adaptive"}
    try:
        out = with_levers(scenario, numbers) if numbers else scenario
    except ValidationError as exc:  # a value outside the lever's bounds
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError("levers", ("budget." if exc.title == "Budget" else "") + where, first["msg"]) from None
    if "adaptive" in values:
        out = out.model_copy(update={"levers": out.levers.model_copy(update={"adaptive": bool(values["adaptive"])})})
    return out


def moved_by_counts(scenario: Scenario, values: dict[str, float], channel: str) -> float:
    """万元 a year the page's counts add to (or free from) `channel`: their change times their unit grant."""
    return sum((values[n] - get(scenario, n)) * grant for n in values
               if n in REGISTRY and REGISTRY[n].channel == channel and not REGISTRY[n].is_budget
               and (grant := unit_grant(scenario, n)) is not None)


def followed(scenario: Scenario, values: dict[str, float]) -> dict[str, float]:
    """The channels the page's counts move, and by how much (万元 a year)."""
    moved = {c.channel: moved_by_counts(scenario, values, c.channel) for c in CONTROLS.values() if c.channel}
    return {ch: v for ch, v in moved.items() if v}


def shown_value(scenario: Scenario, values: dict[str, float], name: str) -> float:
    """The value a control shows: what runs (a channel with what the counts moved and the floor of what they
    need); the page's or the plan's value while the settings are not valid."""
    if name.startswith("budget."):
        try:
            return get(with_values(scenario, values), name)
        except InputError:
            pass
    return values.get(name, plan_value(scenario, name))


def stored_value(scenario: Scenario, values: dict[str, float], name: str, typed: float) -> float:
    """What to keep for a value typed in a control: a channel's own value, so that with the counts' grants it
    comes to what was typed (with_levers adds them)."""
    return typed - moved_by_counts(scenario, values, name) if name.startswith("budget.") else typed


def floor_raised(scenario: Scenario, values: dict[str, float], name: str) -> bool:
    """Whether the channel runs above its own value and the counts' grants: the counts need more than that."""
    if not name.startswith("budget.") or name not in values:
        return False
    own = values[name] + moved_by_counts(scenario, values, name)
    return shown_value(scenario, values, name) > own + 1e-9


def in_shown_unit(name: str, value: float, lang: str) -> str | None:
    """The value in the unit the reports show the lever in (亿元 a year, %), where that differs from the input's."""
    if name not in REGISTRY or UNITS[REGISTRY[name].unit].scale == 1.0:
        return None
    text = f"{shown(name, value):,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit_text(name, lang)}".strip()
