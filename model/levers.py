"""The levers a planner can move, their ranges, and scenarios with the levers set to a point.

A lever is named by its path in the scenario file: `municipal_platforms_per_year`, or
`budget.rd_growth_reward` for a budget channel. Its range comes from the scenario's `[ranges]`
table. Sensitivity analysis, optimisation and scenario discovery all work on this space.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .lever_registry import LEVERS, UNITS
from .parameters import PARAMETERS
from .scenario import Budget, Levers, Scenario, upper_bound


def label(name: str, lang: str = "en") -> str:
    lever = LEVERS[name]
    return lever.zh if lang == "zh" else lever.en


def unit(name: str) -> str:
    return LEVERS[name].unit


def shown(name: str, value: float) -> float:
    """A lever value in the unit it is shown in (budgets in 亿元, shares in %)."""
    return value * UNITS[LEVERS[name].unit].scale


def unit_text(name: str, lang: str) -> str:
    u = UNITS[LEVERS[name].unit]
    return u.zh if lang == "zh" else u.en


def axis_unit(name: str, lang: str) -> str:
    """A lever's unit on a chart's axis: a count the district sets each year is per year ('家/年', 'platforms a
    year'); the budgets' unit says so already."""
    text = unit_text(name, lang)
    if not text or not name.endswith("_per_year"):
        return text
    return f"{text}/年" if lang == "zh" else f"{text} a year"


def valid_range(name: str) -> tuple[float, float]:
    """The [low, high] the scenario schema accepts for a lever."""
    model, key = (Budget, name.removeprefix("budget.")) if name.startswith("budget.") else (Levers, name)
    field = model.model_fields[key]
    low = next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), 0.0)
    return float(low), upper_bound(field)


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
                if n not in LEVERS:  # the 22 names would not fit on one line: the closest, and where they are
                    near = difflib.get_close_matches(n, LEVERS, 1)
                    hint = f"did you mean {near[0]}? " if near else ""
                    raise InputError("--levers", n, f"unknown lever; {hint}the levers are the keys of the "
                                                    "scenario's [ranges] table")
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


def unit_grant(scenario: Scenario, name: str) -> float | None:
    """万元 a budget channel pays for one unit of a count lever (its first programme term), or None."""
    lever = LEVERS[name]
    if lever.channel is None or lever.is_budget or not lever.terms:
        return None
    term = lever.terms[0]
    return float(scenario.parameters.get(term, PARAMETERS[term].value))


def _need(scenario: Scenario, channel: str, values: dict[str, float]) -> float:
    """万元 a year the channel's counts ask for at `values` (the scenario's counts where not given)."""
    return sum(values.get(name, get(scenario, name)) * grant for name in LEVERS
               if LEVERS[name].channel == channel and (grant := unit_grant(scenario, name)) is not None)


def channel_follows_counts(scenario: Scenario, values: dict[str, float]) -> dict[str, float]:
    """The budget channels of the counts in `values`, moved so that the counts are paid for.

    A platform or a funded talent is paid out of its channel, and a count the channel cannot pay is not
    delivered. So in every analysis that moves levers (sweep, sensitivity, optimize, discover):
    - each unit of a count above (below) the scenario's adds (frees) its unit grant in the channel, on top
      of the channel's own value in `values` (or the scenario's);
    - the channel never holds less than its counts need, less the scenario's own shortfall (a scenario
      that funds its counts short stays exactly as short, so its own values reproduce its numbers).
    Without the floor, cutting the channel would leave the counts standing unpaid and cost nothing."""
    paying = {LEVERS[n].channel for n in LEVERS if unit_grant(scenario, n) is not None}  # channels with counts
    touched = {LEVERS[n].channel for n in values if unit_grant(scenario, n) is not None} | (paying & set(values))
    out: dict[str, float] = {}
    for channel in sorted(touched):
        own = values.get(channel, get(scenario, channel))
        moved = own + _need(scenario, channel, values) - _need(scenario, channel, {})
        shortfall = max(0.0, _need(scenario, channel, {}) - get(scenario, channel))
        out[channel] = max(0.0, moved, _need(scenario, channel, values) - shortfall)
    return out


def with_levers(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with some levers set; validated like a file, so a point outside a lever's domain fails.
    Counts paid from a budget channel bring their money with them (channel_follows_counts)."""
    values = {**values, **channel_follows_counts(scenario, values)}
    budget = {k.removeprefix("budget."): v for k, v in values.items() if k.startswith("budget.")}
    plain = {k: v for k, v in values.items() if not k.startswith("budget.")}
    new_budget = Budget.model_validate({**scenario.levers.budget.model_dump(), **budget})
    levers = Levers.model_validate({**scenario.levers.model_dump(), **plain, "budget": new_budget})
    return scenario.model_copy(update={"levers": levers})
