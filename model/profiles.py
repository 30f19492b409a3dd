"""Region profiles: the documented state of a district at its baseline date.

Profiles live as TOML files next to this module. An entry is a sourced `value` or an
estimated `range`; `draw_baseline` draws one value per entry for one replication.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .sectors import SECTORS

REQUIRED = (
    "tech_firms", "new_market_entities", "high_tech", "specialized_sme", "listed",
    "national_platforms", "municipal_platforms", "joint_labs", "pilot_bases",
    "incubators_ordinary", "incubators_municipal", "incubator_places", "above_scale_share",
    "revenue_pareto_alpha", "rd_total", "rd_firm_share", "gdp", "gdp_growth",
    "researcher_slack", "high_level_talents_per_year",
)


@dataclass(frozen=True)
class Profile:
    name: str
    region: str
    baseline: str
    entries: dict[str, dict]
    sector_shares: np.ndarray
    pipeline: dict

    def estimated(self) -> list[str]:
        return [k for k, e in self.entries.items() if "range" in e]

    def draw(self, rng: np.random.Generator, overrides: dict[str, float] | None = None) -> dict[str, float]:
        """One replication's baseline: sourced values as given, estimates drawn uniformly, then
        the scenario's overrides. Every range is drawn even when overridden, so an override does
        not shift the other draws."""
        out = {}
        for key in REQUIRED:  # fixed order keeps the draws reproducible
            e = self.entries[key]
            out[key] = float(e["value"]) if "value" in e else float(rng.uniform(*e["range"]))
        out.update(overrides or {})
        return out


def _load(name: str) -> Profile:
    text = resources.files(__package__).joinpath("profiles", f"{name}.toml").read_text("utf-8")
    doc = tomllib.loads(text)
    entries = doc["baseline"]
    missing = [k for k in REQUIRED if k not in entries]
    if missing:
        raise ValueError(f"profile {name}: missing {missing}")
    for k, e in entries.items():
        if ("value" in e) == ("range" in e):
            raise ValueError(f"profile {name}: {k} needs exactly one of value / range")
        if ("value" in e and "source" not in e) or ("range" in e and "estimate" not in e):
            raise ValueError(f"profile {name}: {k} lacks its source or estimate reasoning")
    shares = np.array([doc["sector_shares"][s] for s in SECTORS], dtype=float)
    return Profile(name, doc["profile"]["region"], doc["profile"]["baseline"], entries,
                   shares / shares.sum(), doc.get("pipeline", {}))


PROFILE_NAMES = ("tongzhou-2023", "bda-2015", "beijing-2023")
PROFILES: dict[str, Profile] = {n: _load(n) for n in PROFILE_NAMES}
