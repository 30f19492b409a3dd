"""What a lever mix costs the district each year, in 万元.

The budget channels cost what is budgeted (committed money, spent or not). Levers that the
model does not pay for out of a channel (incubators, attraction, application scenarios,
cultivation pools, talent services) get a unit cost here. Platforms and talent programmes
are paid out of `platform_grant` and `talent_grant`, so their counts cost nothing more here: a
count the channel cannot pay for is not delivered, and an analysis that moves a count moves its
channel by the unit grant (levers.channel_follows_counts), so the count is paid for and costed.

No source gives these unit costs; each is our estimate with a plausible range, and a scenario
can override any of them in its `[costs]` table.
"""

from __future__ import annotations

from .lever_registry import LEVERS, UnitCost
from .months import lever_years

# The levers priced here, and those counted over the horizon rather than per year (lever_registry.py).
UNIT_COSTS: dict[str, UnitCost] = {name: lv.cost for name, lv in LEVERS.items() if lv.cost is not None}
HORIZON_TOTALS = tuple(name for name, lv in LEVERS.items() if lv.per_horizon)


def annual_cost(levers, horizon_years: float, overrides: dict[str, float] | None = None) -> dict[str, float]:
    """Cost per year by item (万元): each budget channel, then each priced lever."""
    overrides = overrides or {}
    out = {f"budget.{k}": float(v) for k, v in levers.budget.model_dump().items()}
    for name, uc in UNIT_COSTS.items():
        quantity = float(getattr(levers, name))
        if name in HORIZON_TOTALS:
            quantity /= max(horizon_years, 1e-9)
        out[name] = quantity * overrides.get(name, uc.value)
    return out


def total_annual_cost(scenario) -> float:
    """万元 per year of the scenario's lever mix: budget plus priced levers."""
    return float(sum(annual_cost(scenario.levers, lever_years(scenario.scenario), scenario.costs).values()))
