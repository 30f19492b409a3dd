"""The levers a planner can move, their ranges, and scenarios with the levers set to a point.

A lever is named by its path in the scenario file: `municipal_platforms_per_year`, or
`budget.rd_growth_reward` for a budget channel. Its range comes from the scenario's `[ranges]`
table. Sensitivity analysis, optimisation and scenario discovery all work on this space.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .scenario import Budget, Levers, Scenario

# zh / en labels and units of every lever, for tables and charts
LABELS: dict[str, tuple[str, str, str]] = {
    "national_platforms_per_year": ("国家级平台/年", "national platforms a year", "platforms"),
    "municipal_platforms_per_year": ("市级平台/年", "municipal platforms a year", "platforms"),
    "joint_labs_per_year": ("校企联合实验室/年", "joint labs a year", "labs"),
    "pilot_bases_per_year": ("中试/检测基地/年", "pilot and testing bases a year", "bases"),
    "young_talents_per_year": ("杰出青年/年", "young talents a year", "people"),
    "talent_teams_per_year": ("创新团队/年", "innovation teams a year", "teams"),
    "talents_placed_per_year": ("服务企业引才/年", "talents placed in firms a year", "people"),
    "high_tech_pool_per_year": ("高企培育库入库/年", "high-tech cultivation pool places a year", "firms"),
    "listing_pool_size": ("上市培育库规模", "listing pool size", "firms"),
    "application_scenarios_per_year": ("应用场景/年", "application scenarios a year", "scenarios"),
    "scenarios_for_attracted_share": ("配给引进企业的场景占比", "share of scenarios for attracted firms", "share"),
    "attracted_firms_per_year": ("招商引进企业/年", "firms attracted a year", "firms"),
    "new_municipal_incubators": ("新增市级孵化器(期内)", "new municipal incubators (horizon)", "incubators"),
    "new_ordinary_incubators": ("新增一般孵化器(期内)", "new ordinary incubators (horizon)", "incubators"),
    "services_index": ("人才服务水平", "talent services index", "index 0-1"),
    "adaptive_shift": ("年度考核调整比例", "adaptive shift", "share"),
    "budget.guidance_fund_equity": ("引导基金", "guidance fund equity", "万元/year"),
    "budget.loan_interest_subsidy": ("贷款贴息", "loan interest subsidies", "万元/year"),
    "budget.rent_subsidy": ("房租补贴", "rent subsidies", "万元/year"),
    "budget.rd_growth_reward": ("研发投入增长奖励", "R&D-growth rewards", "万元/year"),
    "budget.platform_grant": ("平台资助", "platform grants", "万元/year"),
    "budget.talent_grant": ("人才资助", "talent grants", "万元/year"),
}


def label(name: str, lang: str = "en") -> str:
    zh, en, _ = LABELS[name]
    return zh if lang == "zh" else en


def unit(name: str) -> str:
    return LABELS[name][2]


def get(scenario: Scenario, name: str) -> float:
    obj = scenario.levers.budget if name.startswith("budget.") else scenario.levers
    return float(getattr(obj, name.removeprefix("budget.")))


@dataclass(frozen=True)
class LeverSpace:
    """The levers explored and their [low, high] bounds, in scenario-file units."""

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray

    @property
    def dim(self) -> int:
        return len(self.names)

    @classmethod
    def from_scenario(cls, scenario: Scenario, names: list[str] | None = None, origin: str = "<scenario>",
                      ) -> LeverSpace:
        ranges = declared_ranges(scenario)
        if names:
            for n in names:
                if n not in LABELS:
                    raise InputError("--levers", n, f"unknown lever; known: {', '.join(LABELS)}")
                if n not in ranges:
                    raise InputError(origin, f"ranges.{n}", "no [low, high] range given for this lever")
                if ranges[n][1] <= ranges[n][0]:
                    raise InputError(origin, f"ranges.{n}", f"low = high = {ranges[n][0]}: nothing to explore")
            chosen = list(dict.fromkeys(names))
        else:
            chosen = [n for n in ranges if ranges[n][1] > ranges[n][0]]  # a fixed lever is not explored
        if not chosen:
            raise InputError(origin, "ranges", "no lever with a range low < high to explore")
        return cls(tuple(chosen), np.array([ranges[n][0] for n in chosen]), np.array([ranges[n][1] for n in chosen]))

    def scale(self, unit_points: np.ndarray) -> np.ndarray:
        """Points in [0, 1]^d to lever values."""
        return self.low + np.asarray(unit_points) * (self.high - self.low)

    def unit(self, values: np.ndarray) -> np.ndarray:
        return (np.asarray(values) - self.low) / (self.high - self.low)

    def salib_problem(self) -> dict:
        return {"num_vars": self.dim, "names": list(self.names),
                "bounds": [[float(lo), float(hi)] for lo, hi in zip(self.low, self.high, strict=True)]}

    def apply(self, scenario: Scenario, point: np.ndarray) -> Scenario:
        return with_levers(scenario, dict(zip(self.names, map(float, point), strict=True)))


def declared_ranges(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Every lever with a range in the scenario file, levers first, then budget channels."""
    out = {}
    for k, pair in scenario.ranges.model_dump(exclude={"budget"}).items():
        if pair is not None:
            out[k] = (pair[0], pair[1])
    for k, pair in scenario.ranges.budget.model_dump().items():
        if pair is not None:
            out[f"budget.{k}"] = (pair[0], pair[1])
    return out


def with_levers(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with some levers set; validated like a file, so a point outside a lever's domain fails."""
    budget = {k.removeprefix("budget."): v for k, v in values.items() if k.startswith("budget.")}
    plain = {k: v for k, v in values.items() if not k.startswith("budget.")}
    new_budget = Budget.model_validate({**scenario.levers.budget.model_dump(), **budget})
    levers = Levers.model_validate({**scenario.levers.model_dump(), **plain, "budget": new_budget})
    return scenario.model_copy(update={"levers": levers})
