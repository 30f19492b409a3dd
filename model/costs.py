"""What a lever mix costs the district each year, in 万元.

The budget channels cost what is budgeted (committed money, spent or not). Levers that the
model does not pay for out of a channel (incubators, attraction, application scenarios,
cultivation pools, talent services) get a unit cost here. Platforms and talent programmes
are paid out of `platform_grant` and `talent_grant`, so their counts cost nothing more: a
count the channel cannot pay for is not delivered.

No source gives these unit costs; each is our estimate with a plausible range, and a scenario
can override any of them in its `[costs]` table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .months import lever_years


@dataclass(frozen=True)
class UnitCost:
    value: float
    unit: str
    label: str
    source: str
    range: tuple[float, float]


UNIT_COSTS: dict[str, UnitCost] = {
    "high_tech_pool_per_year": UnitCost(10.0, "万元 per pooled firm", "coaching a firm in the 高企培育库 for a year",
                                        "estimate", (3, 20)),
    "listing_pool_size": UnitCost(50.0, "万元 per pooled firm per year", "listing advisory and subsidies per "
                                  "firm in the 上市培育库", "estimate", (20, 100)),
    "application_scenarios_per_year": UnitCost(200.0, "万元 per scenario", "opening an application scenario "
                                               "(pilot purchase, coordination)", "estimate", (50, 500)),
    "attracted_firms_per_year": UnitCost(300.0, "万元 per firm", "招商 incentives per attracted firm (settling "
                                         "reward, rent)", "estimate", (100, 1000)),
    "new_municipal_incubators": UnitCost(2000.0, "万元 per incubator", "district support to build and accredit "
                                         "a municipal incubator", "estimate", (1000, 5000)),
    "new_ordinary_incubators": UnitCost(500.0, "万元 per incubator", "district support for an ordinary "
                                        "incubator or 众创空间", "estimate", (200, 1500)),
    "talents_placed_per_year": UnitCost(10.0, "万元 per talent", "service cost of placing a talent in a firm",
                                        "estimate", (5, 30)),
    "services_index": UnitCost(20000.0, "万元 per year at index 1", "talent services (housing, schools, "
                               "medical care) at the best level in Beijing", "estimate", (5000, 50000)),
}
HORIZON_TOTALS = ("new_municipal_incubators", "new_ordinary_incubators")  # counts over the horizon, not per year


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
