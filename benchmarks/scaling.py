"""The plan scenario at another size: a district of N firms with every stock and flow scaled alike.

The benchmark needs the same model at 3,000, 30,000 and 300,000 firms. Scaling Tongzhou keeps
every mechanism in play at every size (the plan's levers, platforms, incubators, funds), so
the figures compare like with like; the citywide profile beijing-2023 is timed separately.
"""

from __future__ import annotations

from pathlib import Path

from model.profiles import PROFILES
from model.scenario import Scenario, parse_scenario, read_document

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml"
# Entries that grow with the size of the district; shares, the Pareto index, growth rates,
# researcher slack and places per incubator do not.
EXTENSIVE = ("tech_firms", "new_market_entities", "high_tech", "specialized_sme", "listed", "national_platforms",
             "municipal_platforms", "joint_labs", "pilot_bases", "incubators_ordinary", "incubators_municipal",
             "rd_total", "gdp", "high_level_talents_per_year")


def middle(entry: dict) -> float:
    return float(entry["value"]) if "value" in entry else sum(entry["range"]) / 2.0


def scaled_plan(n_firms: int, months: int | None = None) -> Scenario:
    """The plan scenario on a Tongzhou scaled to n_firms tech firms at baseline (estimates at their midpoints)."""
    doc = read_document(PLAN)
    profile = PROFILES[doc["scenario"]["profile"]]
    factor = n_firms / middle(profile.entries["tech_firms"])
    doc["baseline"] = {key: middle(profile.entries[key]) * (factor if key in EXTENSIVE else 1.0)
                       for key in profile.entries}
    doc["baseline"]["tech_firms"] = float(n_firms)
    if months is not None:
        start_year, start_month = (int(x) for x in doc["scenario"]["start"].split("-"))
        last = start_year * 12 + start_month - 1 + months - 1
        doc["scenario"]["end"] = f"{last // 12}-{last % 12 + 1:02d}"
        doc["targets"] = [t for t in doc.get("targets", []) if t["year"] * 12 + 11 <= last]  # December in the horizon
    return parse_scenario(doc, f"{PLAN.name} scaled to {n_firms} firms")
